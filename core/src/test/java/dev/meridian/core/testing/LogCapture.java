package dev.meridian.core.testing;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.classic.spi.IThrowableProxy;
import ch.qos.logback.core.read.ListAppender;
import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.slf4j.LoggerFactory;
import org.slf4j.event.KeyValuePair;

/**
 * Collects what one class logs through SLF4J while open (at the level logback gives its logger),
 * for tests that check a log line's key-value pairs. Thread-safe.
 */
public final class LogCapture implements AutoCloseable {
  private final Logger logger;
  private final ListAppender<ILoggingEvent> appender = new ListAppender<>();

  private LogCapture(Logger logger) {
    this.logger = logger;
    appender.setContext(logger.getLoggerContext());
    appender.start();
    logger.addAppender(appender);
  }

  /** Starts collecting what {@code source}'s logger logs. */
  public static LogCapture of(Class<?> source) {
    return new LogCapture((Logger) LoggerFactory.getLogger(source));
  }

  /** Every line logged so far. */
  public List<Line> lines() {
    synchronized (appender) {
      return appender.list.stream().map(Line::of).toList();
    }
  }

  /** The lines logged so far whose {@code event} is {@code event}. */
  public List<Line> events(String event) {
    return lines().stream().filter(line -> event.equals(line.fields().get("event"))).toList();
  }

  @Override
  public void close() {
    logger.detachAppender(appender);
    appender.stop();
  }

  /**
   * One logged line.
   *
   * @param level {@code INFO}, {@code WARN} and so on
   * @param fields the key-value pairs, in the order they were added
   * @param cause the class name of the exception logged with it, if any
   */
  public record Line(
      String level, String message, Map<String, Object> fields, Optional<String> cause) {
    static Line of(ILoggingEvent event) {
      Map<String, Object> fields = new LinkedHashMap<>();
      List<KeyValuePair> pairs = event.getKeyValuePairs();
      (pairs == null ? List.<KeyValuePair>of() : pairs)
          .forEach(pair -> fields.put(pair.key, pair.value));
      return new Line(
          event.getLevel().toString(),
          event.getFormattedMessage(),
          Collections.unmodifiableMap(fields),
          Optional.ofNullable(event.getThrowableProxy()).map(IThrowableProxy::getClassName));
    }
  }
}
