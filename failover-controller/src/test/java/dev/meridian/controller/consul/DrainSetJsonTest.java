package dev.meridian.controller.consul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

/**
 * The drains document as operators read it with {@code consul kv get}, and as leaders reread it.
 */
class DrainSetJsonTest {
  private static final Instant START = Instant.parse("2026-12-01T17:00:00Z");

  @Test
  void aDrainSetReadsBackAsWrittenForcedDrainsIncluded() {
    DrainSet set =
        new DrainSet(
            4,
            9,
            Map.of(
                "us-east", new DrainRecord("us-east", "alice", "kernel upgrade", START, false),
                "eu-west", new DrainRecord("eu-west", "bob", "fire drill", START, true)));
    List<String> rejected = new ArrayList<>();

    String json = DrainSetJson.encode(set);

    assertThat(json)
        .isEqualTo(
            "{\"version\":4,\"leaderEpoch\":9,\"drains\":["
                + "{\"region\":\"eu-west\",\"who\":\"bob\",\"reason\":\"fire drill\","
                + "\"startedAt\":\"2026-12-01T17:00:00Z\",\"forced\":true},"
                + "{\"region\":\"us-east\",\"who\":\"alice\",\"reason\":\"kernel upgrade\","
                + "\"startedAt\":\"2026-12-01T17:00:00Z\"}]}");
    assertThat(DrainSetJson.decode(json, "meridian/drains", rejected::add)).isEqualTo(set);
    assertThat(rejected).isEmpty();
  }

  @Test
  void aMalformedDrainCostsOnlyItselfAndIsNamed() {
    List<String> rejected = new ArrayList<>();

    DrainSet set =
        DrainSetJson.decode(
            "{\"version\":1,\"leaderEpoch\":2,\"drains\":["
                + "{\"region\":\"a..b\",\"who\":\"x\",\"reason\":\"y\",\"startedAt\":\"2026-12-01T17:00:00Z\"},"
                + "{\"region\":\"us-east\",\"who\":\"x\",\"reason\":\"y\",\"startedAt\":\"yesterday\"},"
                + "{\"region\":\"eu-west\",\"who\":\"x\",\"reason\":\"y\",\"startedAt\":\"2026-12-01T17:00:00Z\","
                + "\"forced\":\"yes\"},"
                + "{\"region\":\"ap-south\",\"who\":\"x\",\"reason\":\"y\",\"startedAt\":\"2026-12-01T17:00:00Z\"}]}",
            "meridian/drains in eu-west",
            rejected::add);

    assertThat(set.drains()).containsOnlyKeys("ap-south");
    assertThat(rejected)
        .containsExactly(
            "meridian/drains in eu-west: skipping a malformed drain (drains[0].region: \"a..b\" is"
                + " not a region name)",
            "meridian/drains in eu-west: skipping a malformed drain (drains[1].startedAt: expected"
                + " an ISO-8601 instant)",
            "meridian/drains in eu-west: skipping a malformed drain (drains[2].forced: expected"
                + " true or false)");
  }
}
