package dev.meridian.deploy;

import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.bench.BenchReport;
import dev.meridian.deploy.bench.BenchResults;
import dev.meridian.deploy.bench.InferenceClient;
import dev.meridian.deploy.bench.LoadGenerator;
import dev.meridian.proto.inference.v1.PredictRequest;
import io.grpc.ManagedChannel;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Drives Predict against a gateway or replica at a fixed rate or concurrency for a fixed time, with
 * a progress line each second, then prints throughput, latency percentiles and calls by status and
 * by serving path, as a table and optionally as JSON.
 */
@Command(name = "bench", description = "Drive load at a gateway or replica and report latency.")
final class BenchCommand implements Callable<Integer> {
  @Option(
      names = "--target",
      defaultValue = ListenAddress.DEFAULT_HOST + ":50051",
      description = "Address (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(names = "--input", required = true, description = "An input tensor, as for predict.")
  List<String> inputs;

  @Option(names = "--rate", description = "Open loop: calls per second.")
  Integer rate;

  @Option(names = "--concurrency", description = "Closed loop: calls in flight (default: 8).")
  Integer concurrency;

  @Option(
      names = "--duration",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "How long to drive load (default: ${DEFAULT-VALUE}).")
  Duration duration;

  @Option(
      names = "--timeout",
      defaultValue = "5s",
      converter = DurationConverter.class,
      description = "Deadline of each call (default: ${DEFAULT-VALUE}).")
  Duration timeout;

  @Option(
      names = "--protocol",
      defaultValue = "predict",
      description =
          "predict (Meridian's Predict) or oip (the Open Inference Protocol's ModelInfer)"
              + " (default: ${DEFAULT-VALUE}).")
  InferenceClient.Protocol protocol;

  @Mixin TlsOptions tls;

  @Option(names = "--label", defaultValue = "bench", description = "Name of the run in the report.")
  String label;

  @Option(names = "--json", description = "Also write the report as JSON to this file.")
  Path json;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, IOException {
    if (rate != null && concurrency != null) {
      throw new IllegalArgumentException("--rate and --concurrency: give one, not both");
    }
    if ((rate != null && rate <= 0) || (concurrency != null && concurrency <= 0)) {
      throw new IllegalArgumentException("--rate / --concurrency: expected > 0");
    }
    PredictRequest.Builder request = PredictRequest.newBuilder().setModelName(model);
    inputs.forEach(input -> request.addInputs(TensorArgument.parse(input)));
    TransportSecurity security = tls.security();
    ManagedChannel channel = Endpoints.channel("--target", target, security, TlsPeer.GATEWAY);
    BenchResults results = new BenchResults();
    ScheduledExecutorService progress = Executors.newSingleThreadScheduledExecutor();
    long start = System.nanoTime();
    try {
      progress.scheduleAtFixedRate(
          () ->
              spec.commandLine()
                  .getErr()
                  .printf("%s: %d calls so far%n", label, results.snapshot().calls()),
          1,
          1,
          TimeUnit.SECONDS);
      LoadGenerator load =
          new LoadGenerator(
              new InferenceClient(channel, protocol), request.build(), timeout, results);
      if (rate != null) {
        load.openLoop(rate, duration);
      } else {
        load.closedLoop(concurrency == null ? 8 : concurrency, duration);
      }
    } finally {
      progress.shutdownNow();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      security.close();
    }
    Duration elapsed = Duration.ofNanos(System.nanoTime() - start);
    BenchResults.Summary summary = results.snapshot();
    spec.commandLine().getOut().print(BenchReport.text(label, summary, elapsed));
    if (json != null) {
      Files.writeString(json, BenchReport.json(label, summary, elapsed), StandardCharsets.UTF_8);
    }
    return 0;
  }
}
