package dev.meridian.agent.launch;

import dev.meridian.agent.config.OipServer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.registry.ReplicaProtocol;
import java.util.concurrent.CompletableFuture;

/**
 * "Starts" a replica that is an external Open Inference Protocol server the agent does not run: it
 * waits, at most the spec's start timeout, until the server at the model's {@code address} says its
 * model is ready. The agent then registers and probes it like any replica, but never stops or
 * restarts it; stopping the replica only lets go of it. Thread-safe.
 */
public final class AttachedReplicaLauncher implements ReplicaLauncher {
  private final OipServer.Address address;
  private final TransportSecurity security;

  /** Creates a launcher that attaches to the server at {@code address}. */
  public AttachedReplicaLauncher(OipServer.Address address, TransportSecurity security) {
    this.address = address;
    this.security = security;
  }

  @Override
  public RunningReplica launch(ReplicaSpec spec) throws ReplicaStartException {
    ReplicaReady ready =
        OipServerClient.awaitReady(
            security,
            address.host(),
            address.port(),
            spec,
            pause -> Thread.sleep(pause.toMillis()));
    return new AttachedReplica(ready, new CompletableFuture<>());
  }

  @Override
  public ReplicaProtocol protocol() {
    return ReplicaProtocol.OIP;
  }

  /** A server someone else runs: it never exits as far as the agent knows; probes judge it. */
  private record AttachedReplica(ReplicaReady ready, CompletableFuture<String> exited)
      implements RunningReplica {
    @Override
    public void stop() {
      exited.complete("detached from the OIP server");
    }
  }
}
