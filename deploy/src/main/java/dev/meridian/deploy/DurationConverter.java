package dev.meridian.deploy;

import dev.meridian.core.Durations;
import java.time.Duration;
import picocli.CommandLine.ITypeConverter;

/** Reads duration options as people type them: {@code 250ms}, {@code 10s}, {@code 5m}. */
final class DurationConverter implements ITypeConverter<Duration> {
  @Override
  public Duration convert(String value) {
    return Durations.parse(value);
  }
}
