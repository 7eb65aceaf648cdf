package dev.meridian.agent.launch;

import dev.meridian.core.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.TimeoutException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Starts each replica as a child JVM: {@code java -Xmx<limit> -XX:+ExitOnOutOfMemoryError -cp <this
 * JVM's classpath> ReplicaMain <spec>}, then waits for its {@link Handshake}, at most the spec's
 * start timeout. A replica that runs out of heap exits (and is restarted) instead of limping on;
 * its standard error goes to the agent's. Thread-safe.
 */
public final class ProcessReplicaLauncher implements ReplicaLauncher {
  private static final Logger logger = LoggerFactory.getLogger(ProcessReplicaLauncher.class);

  @Override
  public RunningReplica launch(ReplicaSpec spec) throws ReplicaStartException {
    Process process;
    try {
      process =
          new ProcessBuilder(
                  JavaCommand.sameClasspath(
                      spec.memoryLimit(),
                      List.of("-XX:+ExitOnOutOfMemoryError"),
                      ReplicaMain.class.getName(),
                      List.of(spec.toJson())))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
    } catch (IOException e) {
      throw new ReplicaStartException("cannot start a replica process: " + e.getMessage(), e);
    }
    CompletableFuture<ReplicaReady> ready = new CompletableFuture<>();
    Thread reader =
        new Thread(() -> readOutput(process, spec.replicaId(), ready), spec.replicaId() + "-out");
    reader.setDaemon(true);
    reader.start();
    long startTimeoutMillis = spec.startTimeout().toMillis();
    try {
      return new ChildProcessReplica(
          process,
          ready.get(startTimeoutMillis, TimeUnit.MILLISECONDS),
          spec.drainTimeout(),
          ExitCodes::describe);
    } catch (TimeoutException e) {
      process.destroyForcibly();
      throw new ReplicaStartException(
          "replica did not report ready within " + startTimeoutMillis + "ms", e);
    } catch (ExecutionException e) {
      process.destroyForcibly();
      throw new ReplicaStartException(e.getCause().getMessage(), e.getCause());
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
      throw new ReplicaStartException("interrupted while the replica started", e);
    }
  }

  /**
   * Reads the child's output to its end: completes {@code ready} from the handshake, then logs the
   * rest, which also keeps the pipe drained so the child never blocks writing to it.
   */
  private static void readOutput(
      Process process, String replicaId, CompletableFuture<ReplicaReady> ready) {
    try (BufferedReader lines =
        new BufferedReader(
            new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
      String line;
      while ((line = lines.readLine()) != null) {
        String text = line;
        Handshake.parseReady(text).ifPresent(ready::complete);
        Handshake.parseFailed(text)
            .ifPresent(reason -> ready.completeExceptionally(new IllegalStateException(reason)));
        logger
            .atDebug()
            .addKeyValue("replica", replicaId)
            .addKeyValue("output", text)
            .log("replica output");
      }
    } catch (IOException | IllegalStateException e) {
      ready.completeExceptionally(e);
    }
    if (!ready.isDone()) {
      ready.completeExceptionally(
          new IllegalStateException(
              "replica " + ExitCodes.describe(waitFor(process)) + " before it was ready"));
    }
  }

  private static int waitFor(Process process) {
    try {
      return process.waitFor();
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return -1;
    }
  }
}
