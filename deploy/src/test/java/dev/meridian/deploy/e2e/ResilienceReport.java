package dev.meridian.deploy.e2e;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import dev.meridian.deploy.gameday.FigureCalculator;
import dev.meridian.deploy.gameday.Figures;
import dev.meridian.deploy.gameday.ScenarioRunner;
import dev.meridian.deploy.gameday.Target;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import java.util.stream.Collectors;
import java.util.stream.Stream;

/**
 * Writes each scenario's figures where docs/RESILIENCE.md is made from: one JSON file per scenario
 * and {@code RESULTS.md}, the table of every scenario of this run with the machine it ran on,
 * rewritten after each scenario so that an aborted run still leaves what it measured.
 */
final class ResilienceReport {
  private static final Pattern SCENARIO_FILE = Pattern.compile("scenario-(\\d+)\\.json");
  private static final Gson GSON = new GsonBuilder().setPrettyPrinting().serializeNulls().create();
  private static final String HEADER =
      """
      | # | scenario | calls | failed | degraded | outcomes | p99 before (ms) | p99 during (ms) \
      | max during (ms) | attempts/call (max) | traffic left after (ms) \
      | last call into it (ms) | returned after (ms) | notes |
      |---|---|---|---|---|---|---|---|---|---|---|---|---|---|
      """;

  private final Path directory;

  private ResilienceReport(Path directory) {
    this.directory = directory;
  }

  private static ResilienceReport thisRun;

  /**
   * The report of this test run in {@code target/resilience/}, shared by every scenario class; the
   * first call empties it of an earlier run's figures.
   */
  static synchronized ResilienceReport forThisRun() {
    if (thisRun == null) {
      thisRun = fresh(Path.of("target", "resilience"));
    }
    return thisRun;
  }

  /** Computes a scenario's figures and {@linkplain #add adds} them. */
  Figures record(
      int number, String scenario, ScenarioRunner.Run run, Optional<Target> target, String notes) {
    Figures figures = FigureCalculator.compute(number, scenario, run, target, notes);
    add(figures);
    return figures;
  }

  /** A report in {@code directory}, emptied of an earlier run's figures. */
  private static ResilienceReport fresh(Path directory) {
    try {
      Files.createDirectories(directory);
      for (Path old : jsonFiles(directory)) {
        Files.delete(old);
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return new ResilienceReport(directory);
  }

  /** Records {@code figures}, prints them as a line, and rewrites the table. */
  void add(Figures figures) {
    String row = row(figures);
    System.out.println("resilience: " + row);
    if (figures.failed() > 0) {
      System.out.println("resilience failures: " + figures.number() + ": " + figures.failures());
    }
    try {
      Files.writeString(
          directory.resolve(String.format("scenario-%d.json", figures.number())),
          GSON.toJson(figures),
          StandardCharsets.UTF_8);
      StringBuilder table = new StringBuilder(machine()).append('\n').append(HEADER);
      for (Path file : jsonFiles(directory)) {
        table.append(row(GSON.fromJson(Files.readString(file), Figures.class))).append('\n');
      }
      Files.writeString(directory.resolve("RESULTS.md"), table, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static String row(Figures f) {
    return String.format(
        "| %d | %s | %d | %d | %d | %s | %.1f | %.1f | %.1f | %.2f (%d) | %s | %s | %s | %s |",
        f.number(),
        f.scenario(),
        f.calls(),
        f.failed(),
        f.degraded(),
        outcomes(f.outcomes()),
        f.p99BeforeMs(),
        f.p99DuringMs(),
        f.maxDuringMs(),
        f.attemptsPerCall(),
        f.maxAttempts(),
        f.leftMs() == null ? "—" : f.leftMs(),
        f.lastTouchMs() == null ? "—" : f.lastTouchMs(),
        f.returnedMs() == null ? "—" : f.returnedMs(),
        f.notes());
  }

  private static String outcomes(Map<String, Long> outcomes) {
    return outcomes.entrySet().stream()
        .map(entry -> entry.getKey() + " " + entry.getValue())
        .collect(Collectors.joining(", "));
  }

  private static String machine() {
    return String.format(
        "Measured on %d cores, %s %s, Java %s (%s).%n",
        Runtime.getRuntime().availableProcessors(),
        System.getProperty("os.name"),
        System.getProperty("os.arch"),
        System.getProperty("java.runtime.version"),
        System.getProperty("java.vm.name"));
  }

  private static List<Path> jsonFiles(Path directory) throws IOException {
    try (Stream<Path> files = Files.list(directory)) {
      return files
          .filter(file -> SCENARIO_FILE.matcher(file.getFileName().toString()).matches())
          .sorted(Comparator.comparingInt(ResilienceReport::scenarioNumber))
          .toList();
    }
  }

  private static int scenarioNumber(Path file) {
    Matcher name = SCENARIO_FILE.matcher(file.getFileName().toString());
    if (!name.matches()) {
      throw new IllegalArgumentException(file.toString());
    }
    return Integer.parseInt(name.group(1));
  }
}
