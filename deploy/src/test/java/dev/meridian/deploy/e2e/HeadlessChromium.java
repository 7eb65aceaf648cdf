package dev.meridian.deploy.e2e;

import static org.junit.jupiter.api.Assertions.fail;

import dev.meridian.deploy.topology.net.NetworkLab;
import java.io.IOException;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Assumptions;

/**
 * Debian's Chromium, headless, loading a page as an operator's browser would: the DOM after load,
 * or a screenshot. Where it is missing a test using it aborts, except under CI ({@link
 * NetworkLab#requiredHere()}), where it fails: {@code .ci/run} installs it.
 */
final class HeadlessChromium {
  private static final Path CHROMIUM = Path.of("/usr/bin/chromium");

  private HeadlessChromium() {}

  /** Aborts the test (or, under CI, fails it) unless Chromium is installed. */
  static void require() {
    if (!Files.isExecutable(CHROMIUM)) {
      String reason = CHROMIUM + " is missing (apt-get install chromium)";
      if (NetworkLab.requiredHere()) {
        fail("Chromium must run in CI (CI=" + System.getenv("CI") + ") but " + reason);
      }
      Assumptions.abort(reason);
    }
  }

  /** The page at {@code page} as the browser has it once loaded. */
  static String dom(URI page) throws IOException, InterruptedException {
    return run(List.of("--dump-dom", page.toString()));
  }

  /** Saves a screenshot of {@code page} to {@code file}, a PNG. */
  static void screenshot(URI page, Path file) throws IOException, InterruptedException {
    Files.createDirectories(file.toAbsolutePath().getParent());
    run(
        List.of(
            "--screenshot=" + file.toAbsolutePath(), "--window-size=1280,1100", page.toString()));
  }

  private static String run(List<String> arguments) throws IOException, InterruptedException {
    require();
    List<String> command =
        new ArrayList<>(
            List.of(
                CHROMIUM.toString(),
                "--headless",
                // Root in a container: Chromium's sandbox cannot start there.
                "--no-sandbox",
                "--disable-gpu",
                "--disable-dev-shm-usage",
                "--no-first-run",
                "--user-data-dir=" + Files.createTempDirectory("e2e-chromium")));
    command.addAll(arguments);
    Process process =
        new ProcessBuilder(command).redirectError(ProcessBuilder.Redirect.DISCARD).start();
    String output = new String(process.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      fail("Chromium did not finish within 60 s: " + command);
    }
    if (process.exitValue() != 0) {
      fail("Chromium exited " + process.exitValue() + ": " + command);
    }
    return output;
  }
}
