package dev.meridian.agent.launch;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.core.Ticker;
import dev.meridian.core.logging.ProcessLogging;
import dev.meridian.core.metrics.MetricsHttpServer;
import java.io.IOException;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;

/**
 * The main class of a child replica process, which the agent starts with its own classpath and one
 * argument, the {@link ReplicaSpec} as JSON (which names the host its gRPC and metrics servers
 * bind). It loads the models, serves, warms up, and reports on standard output through the {@link
 * Handshake}. SIGTERM stops it gracefully (NOT_SERVING, in-flight calls finished within the drain
 * timeout) with exit code 0; it also stops when the agent that started it is gone, so a killed
 * agent leaves no orphan replicas.
 */
public final class ReplicaMain {
  /**
   * How long a crash waits, so that the {@code Crash} call's response can still reach its caller.
   */
  private static final long CRASH_DELAY_MILLIS = 100;

  private ReplicaMain() {}

  /** Runs a replica until SIGTERM; see the class comment. */
  public static void main(String[] args) throws InterruptedException {
    // Logs go to standard error as JSON lines; standard output carries only the handshake.
    ProcessLogging.install();
    if (args.length != 1) {
      System.err.println("usage: ReplicaMain <replica spec as JSON>");
      System.exit(64);
    }
    ReplicaSpec spec = ReplicaSpec.fromJson(args[0]);
    MetricRegistry registry = new MetricRegistry();
    MetricsHttpServer metrics = null;
    ReplicaBootstrap replica = null;
    try {
      metrics = MetricsHttpServer.start(spec.host(), 0, registry);
      replica =
          ReplicaBootstrap.start(spec, registry, Ticker.SYSTEM, metrics.port(), ReplicaMain::crash);
    } catch (ModelLoadException e) {
      fail("model failed to load: " + e.getMessage(), ExitCodes.MODEL_LOAD_FAILED);
    } catch (IOException | RuntimeException e) {
      fail("cannot start: " + e, 1);
    }
    Runtime.getRuntime().addShutdownHook(new Thread(stopper(replica, metrics), "replica-shutdown"));
    ProcessHandle.current()
        .parent()
        .ifPresent(agent -> agent.onExit().thenRun(() -> System.exit(0)));
    System.out.println(Handshake.ready(replica.ready()));
    System.out.flush();
    // gRPC's threads are daemons: the main thread is what keeps the replica alive until SIGTERM.
    new CountDownLatch(1).await();
  }

  private static Runnable stopper(ReplicaBootstrap replica, MetricsHttpServer metrics) {
    return () -> {
      replica.close();
      metrics.close();
      System.out.flush();
      // A JVM stopped by SIGTERM exits 143 even when it shut down cleanly; 0 tells the agent (and
      // anyone reading exit codes) that the drain completed.
      Runtime.getRuntime().halt(0);
    };
  }

  private static void fail(String reason, int exitCode) {
    System.out.println(Handshake.failed(reason));
    System.out.flush();
    System.exit(exitCode);
  }

  private static void crash() {
    CompletableFuture.delayedExecutor(CRASH_DELAY_MILLIS, TimeUnit.MILLISECONDS)
        .execute(() -> Runtime.getRuntime().halt(ExitCodes.CRASHED));
  }
}
