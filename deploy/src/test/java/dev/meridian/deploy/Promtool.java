package dev.meridian.deploy;

import static org.junit.jupiter.api.Assertions.fail;

import dev.meridian.deploy.topology.net.NetworkLab;
import java.io.IOException;
import java.io.OutputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Prometheus' {@code promtool} from its Debian package. Where it is missing a test using it aborts,
 * except under CI ({@link NetworkLab#requiredHere()}), where it fails: {@code .ci/run} installs it.
 */
public final class Promtool {
  /** The Debian package's Prometheus server, installed beside promtool. */
  public static final Path PROMETHEUS = Path.of("/usr/bin/prometheus");

  private static final Path PROMTOOL = Path.of("/usr/bin/promtool");

  private Promtool() {}

  /**
   * What a promtool run printed and how it exited.
   *
   * @param exitCode 0 when every check passed
   * @param output its standard output and error, together
   */
  public record Result(int exitCode, String output) {}

  /** Aborts the test (or, under CI, fails it) unless promtool and prometheus are installed. */
  public static void require() {
    for (Path program : List.of(PROMTOOL, PROMETHEUS)) {
      if (!Files.isExecutable(program)) {
        String reason = program + " is missing (apt-get install prometheus)";
        if (NetworkLab.requiredHere()) {
          fail("Prometheus must run in CI (CI=" + System.getenv("CI") + ") but " + reason);
        }
        Assumptions.abort(reason);
      }
    }
  }

  /** Runs {@code promtool arguments...} with {@code input} on its standard input. */
  public static Result run(String input, String... arguments)
      throws IOException, InterruptedException {
    require();
    List<String> command = new ArrayList<>(List.of(PROMTOOL.toString()));
    command.addAll(List.of(arguments));
    Process process = new ProcessBuilder(command).redirectErrorStream(true).start();
    try (OutputStream in = process.getOutputStream()) {
      in.write(input.getBytes(StandardCharsets.UTF_8));
    }
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("promtool " + arguments[0] + " did not end within 60 s: " + output);
    }
    return new Result(process.exitValue(), output);
  }
}
