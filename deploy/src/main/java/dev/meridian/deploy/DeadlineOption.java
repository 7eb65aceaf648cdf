package dev.meridian.deploy;

import java.time.Duration;
import picocli.CommandLine.Option;

/** The {@code --timeout} of a command that makes one call: that call's deadline. */
final class DeadlineOption {
  @Option(
      names = "--timeout",
      defaultValue = "10s",
      converter = DurationConverter.class,
      description = "Deadline of the call, e.g. 500ms, 10s (default: ${DEFAULT-VALUE}).")
  Duration timeout;
}
