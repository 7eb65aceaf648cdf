package dev.meridian.core.tracing;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import java.net.URI;
import java.net.URISyntaxException;
import java.util.List;
import java.util.Locale;
import java.util.Optional;

/**
 * The {@code tracing} section of the gateway's and the agent's files (the agent hands it to its
 * replicas). Absent, no span is recorded or exported, and a caller's W3C trace context is still
 * passed on to the replicas unchanged.
 */
public final class TracingSettings {
  private static final String ENDPOINT_TYPE = "an http:// or https:// URL";

  /** {@code tracing.otlp-endpoint}. */
  public static final Setting<URI> OTLP_ENDPOINT =
      Setting.of("tracing.otlp-endpoint", ENDPOINT_TYPE, TracingSettings::readEndpoint)
          .derivedWhenAbsent("off")
          .means(
              "the OTLP/HTTP endpoint spans are exported to (protobuf), such as"
                  + " `http://collector:4318/v1/traces`; set, every call and every attempt is a"
                  + " span");

  /** {@code tracing.sample-ratio}. */
  public static final Setting<Double> SAMPLE_RATIO =
      Setting.number("tracing.sample-ratio", 0, 1)
          .withDefault(1.0, "1")
          .means(
              "share of calls recorded when the caller sent no sampled trace context; a caller's"
                  + " sampled trace is always recorded");

  /** Every key of the section, for a role's schema. */
  public static final List<Setting<?>> SETTINGS = List.of(OTLP_ENDPOINT, SAMPLE_RATIO);

  private TracingSettings() {}

  /**
   * Reads the {@code tracing} section: empty when it names no endpoint.
   *
   * @throws dev.meridian.core.config.ConfigException naming the key of a malformed value
   */
  public static Optional<TracingConfig> read(ConfigNode tracing) {
    double ratio = SAMPLE_RATIO.read(tracing);
    return OTLP_ENDPOINT.readOptional(tracing).map(endpoint -> new TracingConfig(endpoint, ratio));
  }

  private static URI readEndpoint(ConfigNode node, String leaf) {
    String text = node.string(leaf);
    try {
      URI uri = new URI(text);
      String scheme = uri.getScheme() == null ? "" : uri.getScheme().toLowerCase(Locale.ROOT);
      if ((scheme.equals("http") || scheme.equals("https")) && uri.getHost() != null) {
        return uri;
      }
    } catch (URISyntaxException e) {
      // named below, with what is expected
    }
    throw node.invalid(leaf, text, ENDPOINT_TYPE);
  }
}
