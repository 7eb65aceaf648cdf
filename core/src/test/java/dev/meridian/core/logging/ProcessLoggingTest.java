package dev.meridian.core.logging;

import static java.nio.charset.StandardCharsets.UTF_8;
import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.LoggerContext;
import ch.qos.logback.classic.joran.JoranConfigurator;
import ch.qos.logback.classic.util.ContextInitializer;
import ch.qos.logback.core.joran.spi.JoranException;
import com.fasterxml.jackson.databind.JsonNode;
import com.fasterxml.jackson.databind.ObjectMapper;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.PrintStream;
import java.time.OffsetDateTime;
import java.util.ArrayList;
import java.util.List;
import java.util.logging.Level;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The processes' logging as {@code logback.xml} configures it: what the standard error of a process
 * that installed {@link ProcessLogging} gets from {@code java.util.logging} (as gRPC logs) and from
 * SLF4J, parsed as JSON.
 */
class ProcessLoggingTest {
  private static final String GRPC_LOGGER = "io.grpc.internal.ManagedChannelImpl";
  private static final ObjectMapper JSON = new ObjectMapper();

  private final ByteArrayOutputStream stderr = new ByteArrayOutputStream();
  private PrintStream realStderr;

  @BeforeEach
  void logAsAProcessDoes() throws JoranException {
    realStderr = System.err;
    System.setErr(new PrintStream(stderr, true, UTF_8));
    configureFromLogbackXml();
    ProcessLogging.install();
  }

  @AfterEach
  void restoreTheTestsLogging() throws JoranException {
    System.setErr(realStderr);
    System.clearProperty("MERIDIAN_LOG_LEVEL");
    LoggerContext context = context();
    context.reset();
    new ContextInitializer(context).autoConfig();
  }

  @Test
  void aLibrarysJulRecordIsOneJsonLineAndBelowTheLevelIsNotBridged() throws IOException {
    java.util.logging.Logger grpc = java.util.logging.Logger.getLogger(GRPC_LOGGER);

    grpc.log(Level.WARNING, "Failed to resolve name. status={0}", "UNAVAILABLE");
    grpc.fine("dropped");

    assertThat(grpc.isLoggable(Level.FINE)).isFalse();
    assertThat(lines(GRPC_LOGGER))
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.get("level").asText()).isEqualTo("WARN");
              assertThat(line.get("message").asText())
                  .isEqualTo("Failed to resolve name. status=UNAVAILABLE");
              assertThat(line.get("thread_name").asText())
                  .isEqualTo(Thread.currentThread().getName());
              assertThat(OffsetDateTime.parse(line.get("@timestamp").asText()).getOffset())
                  .hasToString("Z");
              assertThat(line.has("@version")).isFalse();
              assertThat(line.has("level_value")).isFalse();
            });
  }

  @Test
  void keyValuesAreTopLevelFieldsAndCallerTextCannotForgeALine() throws IOException {
    Logger logger = LoggerFactory.getLogger(ProcessLoggingTest.class);

    logger
        .atWarn()
        .addKeyValue("event", "replica_ejected")
        .addKeyValue("replica", "eu-west-m-0")
        .addKeyValue("request_id", "r1\"\n{\"event\":\"forged\"}")
        .setCause(new IllegalStateException("boom"))
        .log("replica ejected");
    logger.debug("dropped");

    assertThat(lines(ProcessLoggingTest.class.getName()))
        .singleElement()
        .satisfies(
            line -> {
              assertThat(line.get("event").asText()).isEqualTo("replica_ejected");
              assertThat(line.get("replica").asText()).isEqualTo("eu-west-m-0");
              assertThat(line.get("request_id").asText()).isEqualTo("r1\"\n{\"event\":\"forged\"}");
              assertThat(line.get("message").asText()).isEqualTo("replica ejected");
              assertThat(line.get("level").asText()).isEqualTo("WARN");
              assertThat(line.get("stack_trace").asText())
                  .startsWith("java.lang.IllegalStateException: boom");
            });
  }

  @Test
  void meridianLogLevelSetsTheLevelOfJulToo() throws Exception {
    System.setProperty("MERIDIAN_LOG_LEVEL", "DEBUG");
    configureFromLogbackXml();
    java.util.logging.Logger grpc = java.util.logging.Logger.getLogger(GRPC_LOGGER);

    grpc.fine("a detail");

    assertThat(lines(GRPC_LOGGER))
        .singleElement()
        .satisfies(line -> assertThat(line.get("level").asText()).isEqualTo("DEBUG"));
  }

  /** Every line written so far, each parsed as one JSON object, then those of {@code logger}. */
  private List<JsonNode> lines(String logger) throws IOException {
    List<JsonNode> lines = new ArrayList<>();
    for (String text : stderr.toString(UTF_8).split("\n")) {
      if (!text.isEmpty()) {
        JsonNode line = JSON.readTree(text);
        assertThat(line.isObject()).as(text).isTrue();
        if (line.get("logger_name").asText().equals(logger)) {
          lines.add(line);
        }
      }
    }
    return lines;
  }

  private static void configureFromLogbackXml() throws JoranException {
    LoggerContext context = context();
    context.reset();
    JoranConfigurator configurator = new JoranConfigurator();
    configurator.setContext(context);
    configurator.doConfigure(ProcessLogging.class.getResource("/logback.xml"));
  }

  private static LoggerContext context() {
    return (LoggerContext) LoggerFactory.getILoggerFactory();
  }
}
