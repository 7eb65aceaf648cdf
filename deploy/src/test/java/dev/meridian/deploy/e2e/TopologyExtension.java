package dev.meridian.deploy.e2e;

import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.TopologyPlan;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.extension.ExtensionContext;
import org.junit.jupiter.api.extension.ParameterContext;
import org.junit.jupiter.api.extension.ParameterResolver;

/**
 * Runs one {@link LocalTopology} for the whole test run (starting a dozen JVMs is the expensive
 * part) and hands it to the tests as a parameter. It is started on first use and kept in the root
 * extension store, so JUnit stops every process when the run ends, whether the tests passed, failed
 * or were aborted; a shutdown hook covers a test JVM that is itself told to stop.
 */
public final class TopologyExtension implements ParameterResolver {
  private static final List<String> REGIONS = List.of("eu-west", "us-east");
  private static final int REPLICAS = 2;
  private static final int CONTROLLERS = 2;
  // Ports of one topology: consul per region, controllers, gateway, metrics of every role.
  private static final int PORTS = 16;

  @Override
  public boolean supportsParameter(ParameterContext parameter, ExtensionContext context) {
    return parameter.getParameter().getType() == LocalTopology.class;
  }

  @Override
  public Object resolveParameter(ParameterContext parameter, ExtensionContext context) {
    return context
        .getRoot()
        .getStore(ExtensionContext.Namespace.create(TopologyExtension.class))
        .getOrComputeIfAbsent(
            RunningTopology.class, key -> RunningTopology.start(), RunningTopology.class)
        .topology();
  }

  /** The topology and the hook that stops it if the JVM exits first. */
  private record RunningTopology(LocalTopology topology, Thread hook) implements AutoCloseable {

    static RunningTopology start() {
      try {
        Files.createDirectories(Path.of("target"));
        // A fresh directory each run: no admin token, audit log or last-known-good routing file
        // from an earlier run can leak into this one.
        Path directory = Files.createTempDirectory(Path.of("target"), "e2e-topology-");
        int base = freePortBlock();
        LocalTopology topology =
            LocalTopology.start(
                new TopologyPlan(
                    directory,
                    REGIONS,
                    REPLICAS,
                    CONTROLLERS,
                    base,
                    base + REGIONS.size(),
                    base + REGIONS.size() + CONTROLLERS,
                    base + REGIONS.size() + CONTROLLERS + 1));
        Thread hook = new Thread(topology::close, "e2e-topology-stop");
        Runtime.getRuntime().addShutdownHook(hook);
        return new RunningTopology(topology, hook);
      } catch (IOException e) {
        throw new UncheckedIOException(e);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        throw new IllegalStateException("interrupted while the topology started", e);
      }
    }

    @Override
    public void close() {
      topology.close();
      Runtime.getRuntime().removeShutdownHook(hook);
    }
  }

  /** The first of {@value #PORTS} consecutive loopback ports that are all free now. */
  private static int freePortBlock() throws IOException {
    for (int base = 21000; base < 60000; base += PORTS) {
      if (allFree(base)) {
        return base;
      }
    }
    throw new IOException("no block of " + PORTS + " free loopback ports");
  }

  private static boolean allFree(int base) {
    for (int port = base; port < base + PORTS; port++) {
      try (ServerSocket socket = new ServerSocket(port, 1, InetAddress.getLoopbackAddress())) {
        socket.setReuseAddress(true);
      } catch (IOException e) {
        return false;
      }
    }
    return true;
  }
}
