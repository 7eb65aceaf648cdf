package dev.meridian.deploy;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.controller.ControllerConfig;
import dev.meridian.controller.ControllerConfigFile;
import dev.meridian.controller.FailoverController;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/**
 * Runs a failover controller from its YAML configuration until SIGTERM: it campaigns for
 * leadership, computes and writes routing tables while leading, and serves the admin RPC.
 */
@Command(
    name = "controller",
    description = "Run a failover controller until interrupted (several may run; one leads).")
final class ControllerCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The controller's YAML file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    ControllerConfig settings = ControllerConfigFile.load(config, System.getenv());
    FailoverController controller = FailoverController.start(settings, new MetricRegistry());
    System.out.println(
        "failover controller "
            + settings.id()
            + ": admin on "
            + controller.candidateId()
            + ", metrics on http://"
            + controller.metricsAddress()
            + "/metrics"
            + ", regions "
            + settings.regions());
    System.out.flush();
    ServeUntilStopped.serve(List.of(controller));
    return 0;
  }
}
