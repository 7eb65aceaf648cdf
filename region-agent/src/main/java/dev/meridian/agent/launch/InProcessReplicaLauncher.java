package dev.meridian.agent.launch;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.core.Ticker;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicReference;

/**
 * Starts each replica as a server inside the agent's JVM, recording into the agent's metrics: fast
 * to start, for tests. A fault-injected crash aborts the server, and the supervisor sees it exit.
 * Thread-safe.
 */
public final class InProcessReplicaLauncher implements ReplicaLauncher {
  private final MetricRegistry registry;
  private final Ticker ticker;

  /** Creates a launcher whose replicas record into {@code registry}. */
  public InProcessReplicaLauncher(MetricRegistry registry, Ticker ticker) {
    this.registry = registry;
    this.ticker = ticker;
  }

  @Override
  public RunningReplica launch(ReplicaSpec spec) throws ReplicaStartException {
    CompletableFuture<String> exited = new CompletableFuture<>();
    AtomicReference<ReplicaBootstrap> started = new AtomicReference<>();
    Runnable crash =
        () -> {
          started.get().abort();
          exited.complete(ExitCodes.describe(ExitCodes.CRASHED));
        };
    try {
      started.set(ReplicaBootstrap.start(spec, registry, ticker, 0, crash));
    } catch (ModelLoadException e) {
      throw new ReplicaStartException("model failed to load: " + e.getMessage(), e);
    } catch (RuntimeException e) {
      throw new ReplicaStartException("cannot start: " + e, e);
    }
    return new InProcessReplica(started.get(), exited);
  }

  /** A replica whose server runs in this JVM. */
  private record InProcessReplica(ReplicaBootstrap replica, CompletableFuture<String> exited)
      implements RunningReplica {
    @Override
    public ReplicaReady ready() {
      return replica.ready();
    }

    @Override
    public void stop() {
      replica.close();
      exited.complete(ExitCodes.describe(0));
    }
  }
}
