package dev.meridian.controller.routing;

/**
 * What Consul reports about one model's replicas in one region.
 *
 * @param healthyReplicas replicas whose every check passes
 * @param totalReplicas replicas registered
 * @param healthyCapacity the summed capacity (concurrent calls) of the passing replicas
 * @param totalCapacity the summed capacity of every registered replica
 */
public record RegionObservation(
    int healthyReplicas, int totalReplicas, long healthyCapacity, long totalCapacity) {

  /** A region where the model has no replica at all. */
  public static final RegionObservation NONE = new RegionObservation(0, 0, 0, 0);

  /** Checks the counts are consistent. */
  public RegionObservation {
    if (healthyReplicas < 0 || healthyReplicas > totalReplicas) {
      throw new IllegalArgumentException(
          "healthyReplicas: " + healthyReplicas + " (expected: 0.." + totalReplicas + ")");
    }
    if (healthyCapacity < 0 || healthyCapacity > totalCapacity) {
      throw new IllegalArgumentException(
          "healthyCapacity: " + healthyCapacity + " (expected: 0.." + totalCapacity + ")");
    }
  }

  /** For reasons: {@code 1/2 replicas passing}. */
  public String passing() {
    return healthyReplicas + "/" + totalReplicas + " replicas passing";
  }
}
