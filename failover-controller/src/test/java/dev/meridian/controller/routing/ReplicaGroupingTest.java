package dev.meridian.controller.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.registry.HealthState;
import dev.meridian.registry.ServiceInstance;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ReplicaGroupingTest {
  private static ServiceInstance replica(
      String id, List<String> tags, Map<String, String> meta, boolean passing) {
    return new ServiceInstance(
        id,
        "meridian-replica",
        "127.0.0.1",
        7000,
        tags,
        meta,
        passing ? HealthState.PASSING : HealthState.CRITICAL);
  }

  @Test
  void groupsByModelMetadataAndSumsCapacityOfPassingReplicas() {
    Map<String, RegionObservation> byModel =
        ReplicaGrouping.byModel(
            List.of(
                replica("a", List.of("m"), Map.of("model", "m", "capacity", "8"), true),
                replica("b", List.of("m"), Map.of("model", "m", "capacity", "8"), false),
                replica("c", List.of("x", "y"), Map.of("capacity", "oops"), true)));

    assertThat(byModel.get("m")).isEqualTo(new RegionObservation(1, 2, 8, 16));
    assertThat(byModel.get("x"))
        .as("tags when no model meta; bad capacity counts 1")
        .isEqualTo(new RegionObservation(1, 1, 1, 1));
    assertThat(byModel).containsOnlyKeys("m", "x", "y");
  }
}
