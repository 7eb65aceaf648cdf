package dev.meridian.deploy;

import java.util.ArrayList;
import java.util.Collections;
import java.util.List;
import java.util.concurrent.CountDownLatch;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps a command's servers running until the process is asked to stop (Ctrl-C or SIGTERM), then
 * closes them in the reverse order of their start, so the gateway stops before the replicas it
 * calls.
 */
final class ServeUntilStopped {
  private static final Logger logger = LoggerFactory.getLogger(ServeUntilStopped.class);

  private ServeUntilStopped() {}

  /** Blocks until the JVM shuts down; {@code resources} are listed in start order. */
  static void serve(List<? extends AutoCloseable> resources) throws InterruptedException {
    List<AutoCloseable> stopOrder = new ArrayList<>(resources);
    Collections.reverse(stopOrder);
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime()
        .addShutdownHook(
            new Thread(
                () -> {
                  closeAll(stopOrder);
                  System.err.println("meridian: stopped cleanly");
                  stopped.countDown();
                },
                "meridian-shutdown"));
    stopped.await();
  }

  /** Closes each resource, logging and going on past any that fails. */
  static void closeAll(List<? extends AutoCloseable> resources) {
    for (AutoCloseable resource : resources) {
      try {
        resource.close();
      } catch (Exception e) {
        logger
            .atWarn()
            .addKeyValue("resource", String.valueOf(resource))
            .setCause(e)
            .log("failed to close");
      }
    }
  }
}
