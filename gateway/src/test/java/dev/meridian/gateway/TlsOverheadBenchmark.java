package dev.meridian.gateway;

import dev.meridian.core.tracing.Tracing;
import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What TLS on both hops costs a call: a plaintext gateway and a TLS one (callers and replicas with
 * certificates) measured {@link SideBySide}. A benchmark, not part of the suite (surefire runs only
 * {@code *Test} classes):
 *
 * <pre>
 * mvn -B -pl gateway -am test -Dtest=TlsOverheadBenchmark -Dsurefire.failIfNoSpecifiedTests=false
 * </pre>
 */
class TlsOverheadBenchmark {
  @TempDir Path directory;

  @Test
  void tlsAgainstPlaintextOneCallInFlight() {
    try (GatewayFixture plaintext = new GatewayFixture();
        GatewayFixture tls = new GatewayFixture(directory.resolve("tls"))) {
      SideBySide.start(plaintext, directory, "plaintext", Tracing.off());
      SideBySide.start(tls, directory, "tls", Tracing.off());
      SideBySide.compare("tls-overhead", "plaintext", plaintext, "tls", tls);
    }
  }
}
