package dev.meridian.controller.routing;

/**
 * What Consul reports about one model's replicas in one region.
 *
 * @param servingReplicas replicas that may be sent calls: passing or warning, not critical
 * @param warningReplicas those of the serving replicas that warn
 * @param totalReplicas replicas registered
 * @param healthyCapacity the summed capacity (concurrent calls) of the serving replicas, each
 *     weighed by {@link dev.meridian.registry.HealthState#weightFactor()}
 * @param totalCapacity the summed capacity of every registered replica
 */
public record RegionObservation(
    int servingReplicas,
    int warningReplicas,
    int totalReplicas,
    long healthyCapacity,
    long totalCapacity) {

  /** A region where the model has no replica at all. */
  public static final RegionObservation NONE = new RegionObservation(0, 0, 0, 0, 0);

  /** Checks the counts are consistent. */
  public RegionObservation {
    if (servingReplicas < 0 || servingReplicas > totalReplicas) {
      throw new IllegalArgumentException(
          "servingReplicas: " + servingReplicas + " (expected: 0.." + totalReplicas + ")");
    }
    if (warningReplicas < 0 || warningReplicas > servingReplicas) {
      throw new IllegalArgumentException(
          "warningReplicas: " + warningReplicas + " (expected: 0.." + servingReplicas + ")");
    }
    if (healthyCapacity < 0 || healthyCapacity > totalCapacity) {
      throw new IllegalArgumentException(
          "healthyCapacity: " + healthyCapacity + " (expected: 0.." + totalCapacity + ")");
    }
  }

  /**
   * For reasons: {@code 1/2 replicas passing}, or {@code 2/2 replicas serving (1 warning)} when
   * some of them warn.
   */
  public String serving() {
    String counts = servingReplicas + "/" + totalReplicas + " replicas ";
    return warningReplicas == 0
        ? counts + "passing"
        : counts + "serving (" + warningReplicas + " warning)";
  }
}
