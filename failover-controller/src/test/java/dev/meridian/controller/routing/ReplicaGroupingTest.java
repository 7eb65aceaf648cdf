package dev.meridian.controller.routing;

import static dev.meridian.registry.HealthState.CRITICAL;
import static dev.meridian.registry.HealthState.PASSING;
import static dev.meridian.registry.HealthState.WARNING;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.registry.HealthState;
import dev.meridian.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaGroupingTest {
  private static ServiceInstance replica(
      String id, List<String> tags, Map<String, String> meta, HealthState health) {
    return new ServiceInstance(id, "meridian-replica", "127.0.0.1", 7000, tags, meta, health);
  }

  private final List<String> rejected = new ArrayList<>();

  @Test
  void groupsByModelMetadataAndSumsCapacityOfPassingReplicas() {
    Map<String, RegionObservation> byModel =
        ReplicaGrouping.byModel(
            List.of(
                replica("a", List.of("m"), Map.of("model", "m", "capacity", "8"), PASSING),
                replica("b", List.of("m"), Map.of("model", "m", "capacity", "8"), CRITICAL),
                replica("c", List.of("x", "y"), Map.of("capacity", "oops"), PASSING)),
            rejected::add);

    assertThat(byModel.get("m")).isEqualTo(new RegionObservation(1, 0, 2, 8, 16));
    assertThat(byModel.get("x"))
        .as("tags when no model meta; bad capacity counts 1")
        .isEqualTo(new RegionObservation(1, 0, 1, 1, 1));
    assertThat(byModel).containsOnlyKeys("m", "x", "y");
  }

  @Test
  void warningReplicaServesAtHalfItsCapacityAndOnlyCriticalStopsCounting() {
    Map<String, String> meta = Map.of("model", "m", "capacity", "8");
    Map<String, RegionObservation> byModel =
        ReplicaGrouping.byModel(
            List.of(
                replica("a", List.of("m"), meta, PASSING),
                replica("b", List.of("m"), meta, WARNING),
                replica("c", List.of("m"), meta, CRITICAL),
                replica("d", List.of("small"), Map.of("capacity", "1"), WARNING)),
            rejected::add);

    assertThat(byModel.get("m")).isEqualTo(new RegionObservation(2, 1, 3, 8 + 4, 24));
    assertThat(byModel.get("small"))
        .as("half of 1 rounds up: a serving replica never weighs nothing")
        .isEqualTo(new RegionObservation(1, 1, 1, 1, 1));
  }

  @Test
  void modelNamesThatBreakTheNameRuleAreSkippedAndReported() {
    Map<String, RegionObservation> byModel =
        ReplicaGrouping.byModel(
            List.of(
                replica("a", List.of("a..b"), Map.of("model", "a..b"), PASSING),
                replica("b", List.of("ok", "-x"), Map.of(), PASSING)),
            rejected::add);

    assertThat(byModel).containsOnlyKeys("ok");
    assertThat(rejected)
        .containsExactly(
            "replica a names model \"a..b\": skipped", "replica b names model \"-x\": skipped");
  }
}
