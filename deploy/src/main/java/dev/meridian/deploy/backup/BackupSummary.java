package dev.meridian.deploy.backup;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import dev.meridian.registry.MeridianLayout;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;

/** A backup for people: what it holds, how new its epochs are, and how old it is. */
public final class BackupSummary {
  private BackupSummary() {}

  /** The summary as lines, the backup's age taken at {@code now}. */
  public static List<String> lines(ControlPlaneBackup backup, Instant now) {
    BackupInfo info = backup.info();
    List<String> lines = new ArrayList<>();
    lines.add(
        "taken "
            + info.takenAt()
            + " (age "
            + age(Duration.between(info.takenAt(), now))
            + ") from "
            + String.join(", ", info.datacenters())
            + "; control datacenter "
            + info.controlDatacenter().orElse("unknown (no epoch counter found)"));
    lines.add(
        "keys: "
            + (backup.records().size() + (backup.epochCounter().isPresent() ? 1 : 0))
            + " (info entry aside)");
    lines.add(
        "models: "
            + (backup.models().isEmpty()
                ? "none"
                : backup.models().stream()
                    .map(
                        model ->
                            model
                                + " ("
                                + backup.stamp(MeridianLayout.ROUTING_PREFIX + model)
                                + ")")
                    .collect(Collectors.joining(", "))));
    lines.add("drains: " + drains(backup));
    lines.add(
        "highest leader epoch: "
            + backup.highestEpoch()
            + " (counter "
            + (backup.epochCounter().isPresent()
                ? String.valueOf(backup.epochCounter().getAsLong())
                : "absent")
            + ")");
    return lines;
  }

  private static String drains(ControlPlaneBackup backup) {
    String json = backup.records().get(MeridianLayout.DRAINS_KEY);
    if (json == null) {
      return "no drains document";
    }
    JsonElement list = JsonParser.parseString(json).getAsJsonObject().get("drains");
    List<String> regions = new ArrayList<>();
    if (list != null && list.isJsonArray()) {
      for (JsonElement drain : list.getAsJsonArray()) {
        JsonElement region = drain.isJsonObject() ? drain.getAsJsonObject().get("region") : null;
        regions.add(region == null ? "?" : region.getAsString());
      }
    }
    return regions.size()
        + (regions.isEmpty() ? "" : " (" + String.join(", ", regions) + ")")
        + "; document "
        + backup.stamp(MeridianLayout.DRAINS_KEY);
  }

  /** {@code 42 s}, or {@code 3 min 12 s}, or {@code 5 h 3 min}. */
  static String age(Duration age) {
    long seconds = Math.max(0, age.toSeconds());
    if (seconds < 120) {
      return seconds + " s";
    }
    if (seconds < 7200) {
      return seconds / 60 + " min " + seconds % 60 + " s";
    }
    return seconds / 3600 + " h " + seconds % 3600 / 60 + " min";
  }
}
