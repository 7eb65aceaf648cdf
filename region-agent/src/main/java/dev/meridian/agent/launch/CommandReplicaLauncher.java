package dev.meridian.agent.launch;

import dev.meridian.agent.config.OipServer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.registry.ReplicaProtocol;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.net.ServerSocket;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Starts each replica as an external Open Inference Protocol server's process, from a model's
 * {@code command} with {@code {host}} and {@code {port}} replaced (the port the replica kept from
 * its last run, or a free one), then waits until the server says its model is ready, at most the
 * spec's start timeout. The process is then supervised like the agent's own replica processes:
 * SIGTERM then SIGKILL to stop it, restarted when it exits. Its output goes to the agent's.
 * Thread-safe.
 */
public final class CommandReplicaLauncher implements ReplicaLauncher {
  private final OipServer.Command command;
  private final TransportSecurity security;

  /** Creates a launcher that runs {@code command} and reaches it secured by {@code security}. */
  public CommandReplicaLauncher(OipServer.Command command, TransportSecurity security) {
    this.command = command;
    this.security = security;
  }

  @Override
  public RunningReplica launch(ReplicaSpec spec) throws ReplicaStartException {
    int port = spec.port() == 0 ? freePort(spec.host()) : spec.port();
    List<String> argv = command.commandLine(spec.host(), port);
    Process process;
    try {
      process =
          new ProcessBuilder(argv)
              .redirectOutput(ProcessBuilder.Redirect.INHERIT)
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new ReplicaStartException(
          "cannot start the OIP server " + argv.get(0) + ": " + e.getMessage(), e);
    }
    try {
      ReplicaReady ready =
          OipServerClient.awaitReady(
              security,
              spec.advertiseHost(),
              port,
              spec,
              pause -> {
                if (process.waitFor(pause.toMillis(), TimeUnit.MILLISECONDS)) {
                  throw new ReplicaStartException(
                      "OIP server "
                          + ExitCodes.describeExternal(process.exitValue())
                          + " before it was ready");
                }
              });
      return new ChildProcessReplica(
          process, ready, spec.drainTimeout(), ExitCodes::describeExternal);
    } catch (ReplicaStartException | RuntimeException e) {
      process.destroyForcibly();
      throw e;
    }
  }

  @Override
  public ReplicaProtocol protocol() {
    return ReplicaProtocol.OIP;
  }

  /** A port free on {@code host} now, for a server that cannot be told to pick its own. */
  private static int freePort(String host) throws ReplicaStartException {
    try (ServerSocket socket = new ServerSocket()) {
      socket.bind(new InetSocketAddress(host, 0));
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new ReplicaStartException("cannot find a free port on " + host + ": " + e, e);
    }
  }
}
