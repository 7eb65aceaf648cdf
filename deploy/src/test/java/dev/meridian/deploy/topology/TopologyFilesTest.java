package dev.meridian.deploy.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.controller.ControllerConfig;
import dev.meridian.controller.ControllerConfigFile;
import dev.meridian.controller.admin.OperatorDirectory;
import dev.meridian.controller.admin.Role;
import dev.meridian.core.Ticker;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The files a local topology writes for the admin RPC: tokens, operators file, controller auth. */
class TopologyFilesTest {
  @TempDir Path directory;

  private TopologyPlan plan() {
    return new TopologyPlan(
        directory,
        List.of("eu-west", "us-east"),
        1,
        1,
        8500,
        7400,
        8443,
        9460,
        Placement.ONE_MACHINE);
  }

  @Test
  void controllersAdmitADemoOperatorPerRoleWhoseTokensSurviveARewrite() throws IOException {
    TopologyPlan plan = plan();
    new TopologyFiles(plan).write();
    String operatorToken = Files.readString(plan.tokenFile(Role.OPERATOR)).trim();
    new TopologyFiles(plan).write();

    assertThat(Files.readString(plan.tokenFile(Role.OPERATOR)).trim()).isEqualTo(operatorToken);
    ControllerConfig controller =
        ControllerConfigFile.load(new TopologyFiles(plan).controllerConfig(0), Map.of());
    assertThat(controller.auth().operatorsFile()).hasValue(plan.operatorsFile().toAbsolutePath());
    OperatorDirectory operators = controller.auth().directory(Ticker.SYSTEM);
    for (Role role : Role.values()) {
      String token = Files.readString(plan.tokenFile(role)).trim();
      assertThat(operators.byToken(token))
          .as(role.label())
          .hasValueSatisfying(
              operator -> {
                assertThat(operator.name()).isEqualTo("demo-" + role.label());
                assertThat(operator.role()).isEqualTo(role);
              });
    }
    assertThat(Files.readString(plan.operatorsFile())).doesNotContain(operatorToken);
  }
}
