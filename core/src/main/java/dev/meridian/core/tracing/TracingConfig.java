package dev.meridian.core.tracing;

import java.net.URI;
import java.util.Objects;

/**
 * Where a process exports its spans and how many calls it records: the {@code tracing} section of
 * every role that serves calls.
 *
 * @param endpoint the OTLP/HTTP traces endpoint, such as {@code http://collector:4318/v1/traces}
 * @param sampleRatio the share of calls that arrive without a sampled trace which are recorded; a
 *     call whose caller sampled its trace is always recorded
 */
public record TracingConfig(URI endpoint, double sampleRatio) {
  /** Checks both values. */
  public TracingConfig {
    Objects.requireNonNull(endpoint, "endpoint");
    TracingSettings.SAMPLE_RATIO.check(sampleRatio);
  }
}
