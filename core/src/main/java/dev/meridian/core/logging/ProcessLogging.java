package dev.meridian.core.logging;

import org.slf4j.LoggerFactory;
import org.slf4j.bridge.SLF4JBridgeHandler;

/**
 * A Meridian process's logging: every event, Meridian's through SLF4J and every library's through
 * {@code java.util.logging} (gRPC, the JDK), goes to logback, which writes it as one JSON object
 * per line on standard error ({@code logback.xml}). Each process's entry point installs it first.
 */
public final class ProcessLogging {
  private ProcessLogging() {}

  /**
   * Configures logback, then replaces {@code java.util.logging}'s console handler with a bridge to
   * SLF4J; once per process, later calls do nothing. Logback's configuration sets the levels of
   * {@code java.util.logging} to its own, so a record below them is dropped before it is bridged.
   */
  public static synchronized void install() {
    LoggerFactory.getILoggerFactory();
    if (!SLF4JBridgeHandler.isInstalled()) {
      SLF4JBridgeHandler.removeHandlersForRootLogger();
      SLF4JBridgeHandler.install();
    }
  }
}
