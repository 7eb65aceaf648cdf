package dev.meridian.deploy;

import dev.meridian.gateway.GatewayConfig;
import dev.meridian.gateway.GatewayServer;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** Runs a gateway in front of regions whose replica addresses are given on the command line. */
@Command(name = "gateway", description = "Run a gateway until interrupted.")
final class GatewayCommand implements Callable<Integer> {
  @Option(
      names = "--port",
      defaultValue = "50051",
      description = "Port (default: ${DEFAULT-VALUE}).")
  int port;

  @Option(names = "--region", required = true, description = "The gateway's own region.")
  String region;

  @Option(names = "--model", required = true, description = "A model the gateway serves.")
  List<String> models;

  @Option(
      names = "--upstream",
      required = true,
      description = "A region's replicas: region=host:port[,host:port...]; repeat per region.")
  Map<String, String> upstreams;

  @Option(
      names = "--default-timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Deadline of calls whose caller set none (default: ${DEFAULT-VALUE}).")
  Duration defaultTimeout;

  @Override
  public Integer call() throws InterruptedException {
    GatewayConfig.Builder config =
        GatewayConfig.builder().port(port).region(region).defaultTimeout(defaultTimeout);
    models.forEach(config::model);
    upstreams.forEach(
        (name, list) -> config.upstream(name, Endpoints.parseList("--upstream " + name, list)));
    GatewayServer gateway = GatewayServer.start(config.build());
    System.out.println("gateway (region " + region + ") listening on 127.0.0.1:" + gateway.port());
    ServeUntilStopped.serve(List.of(gateway));
    return 0;
  }
}
