package dev.meridian.deploy;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.GatewayConfigLoader;
import dev.meridian.gateway.GatewayServer;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a gateway from its YAML config file until SIGTERM or Ctrl-C. */
@Command(name = "gateway", description = "Run a gateway until interrupted.")
final class GatewayCommand implements Callable<Integer> {
  @Option(names = "--config", required = true, description = "The gateway's YAML config file.")
  Path config;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig gatewayConfig = GatewayConfigLoader.load(ConfigNode.load(config), System::getenv);
    GatewayServer gateway = GatewayServer.start(gatewayConfig, new MetricRegistry());
    System.out.println(
        "gateway (region "
            + gatewayConfig.region()
            + ") serving on "
            + gateway.advertisedAddress()
            + ", metrics on http://"
            + gateway.advertisedMetricsAddress()
            + "/metrics");
    ServeUntilStopped.serve(List.of(gateway));
    return 0;
  }
}
