package dev.meridian.deploy;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import dev.meridian.agent.replica.ReplicaServer;
import java.io.PrintWriter;
import java.io.StringWriter;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** The demo topology answering {@code meridian predict}, as a user would call it. */
class DemoTopologyTest {
  private DemoCommand.Topology topology;
  private final StringWriter out = new StringWriter();
  private final StringWriter err = new StringWriter();

  @AfterEach
  void stop() {
    if (topology != null) {
      topology.close();
    }
  }

  private DemoCommand.Topology startDemo() throws Exception {
    DemoCommand demo = new DemoCommand();
    new CommandLine(demo).parseArgs("--gateway-port", "0");
    topology = demo.start();
    return topology;
  }

  private int predict(String... args) {
    CommandLine commandLine = MeridianCommand.commandLine();
    commandLine.setOut(new PrintWriter(out, true));
    commandLine.setErr(new PrintWriter(err, true));
    String[] full = new String[args.length + 3];
    full[0] = "predict";
    full[1] = "--target";
    full[2] = "127.0.0.1:" + topology.gateway().port();
    System.arraycopy(args, 0, full, 3, args.length);
    return commandLine.execute(full);
  }

  @Test
  void predictReturnsTheModelsOutputAndTheServingRegion() throws Exception {
    startDemo();
    assertThat(topology.describe()).contains("region eu-west").contains("region us-east");

    int exit = predict("--model", "fraud-score", "--input", "features=0.5,1.2,0.3,2");

    assertThat(exit).isZero();
    // sigmoid(0.8*0.5 + 1.5*1.2 + 1.1*0.3 - 0.6*2 - 2.0) = sigmoid(-0.67)
    double expected = 1 / (1 + Math.exp(0.67));
    Matcher output =
        Pattern.compile("probability FP32\\[1, 1] = \\[([0-9.]+)]").matcher(out.toString());
    assertThat(output.find()).as(out.toString()).isTrue();
    assertThat(Double.parseDouble(output.group(1))).isCloseTo(expected, within(1e-6));
    assertThat(out.toString()).contains("region=eu-west").contains("path=PRIMARY");
  }

  @Test
  void predictMovesToTheOtherRegionWhenOneRegionStops() throws Exception {
    startDemo();
    topology.agents().get(0).replicas().forEach(ReplicaServer::close);

    assertThat(predict("--model", "fraud-score", "--input", "features=1,1,1,1")).isZero();

    assertThat(out.toString()).contains("region=us-east").contains("path=RETRY");
  }

  @Test
  void predictReportsStatusAndDescriptionOfAFailedCall() throws Exception {
    startDemo();

    assertThat(predict("--model", "nope", "--input", "features=1"))
        .isEqualTo(PredictCommand.EXIT_CALL_FAILED);
    assertThat(err.toString()).contains("NOT_FOUND: model 'nope' is not served by this gateway");
    assertThat(predict("--model", "fraud-score", "--input", "x:FP16=1"))
        .isEqualTo(MeridianCommand.EXIT_USAGE);
    assertThat(err.toString()).contains("unknown datatype 'FP16'");
  }
}
