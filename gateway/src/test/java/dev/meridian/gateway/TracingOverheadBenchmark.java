package dev.meridian.gateway;

import dev.meridian.core.testing.OtlpCollector;
import dev.meridian.core.tracing.Tracing;
import dev.meridian.core.tracing.TracingConfig;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Path;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What tracing costs a call: a gateway with tracing off (the default) and one recording every call
 * (a server span and an attempt span, exported over OTLP/HTTP in batches to a collector in this
 * JVM, and the context sent on to the replica), both with their metrics, measured {@link
 * SideBySide}. A benchmark, not part of the suite (surefire runs only {@code *Test} classes):
 *
 * <pre>
 * mvn -B -pl gateway -am test -Dtest=TracingOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class TracingOverheadBenchmark {
  @TempDir Path directory;

  @Test
  void tracingOnAgainstOffOneCallInFlight() {
    try (OtlpCollector collector = OtlpCollector.start();
        GatewayFixture off = new GatewayFixture();
        GatewayFixture on = new GatewayFixture()) {
      SideBySide.start(off, directory, "off", Tracing.off());
      SideBySide.start(
          on,
          directory,
          "on",
          Tracing.of(
              Optional.of(new TracingConfig(collector.tracesEndpoint(), 1)),
              "meridian-gateway",
              Attributes.empty()));
      SideBySide.compare("tracing-overhead", "off", off, "on", on);
      System.out.printf(
          "tracing-overhead: %d OTLP exports received%n", collector.received().size());
    }
  }
}
