package dev.meridian.gateway.routing;

import dev.meridian.gateway.routing.ReplicaAvailability.Grade;
import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Chooses the replica of a region for a call: among the untried replicas of the model, those of the
 * best {@link Grade} there is, spread by weight (a warning replica gets a reduced share) in a
 * low-discrepancy sequence, so consecutive calls alternate as round-robin would. Thread-safe.
 */
public final class ReplicaPicker {
  // The golden ratio's fractional part: successive multiples spread evenly over [0, 1).
  private static final double SPREAD = 0.6180339887498949;

  private final RoutingState state;
  private final ReplicaAvailability availability;
  private final AtomicLong next = new AtomicLong();

  /** Creates a picker over {@code state}'s replicas, graded by {@code availability}. */
  public ReplicaPicker(RoutingState state, ReplicaAvailability availability) {
    this.state = state;
    this.availability = availability;
  }

  /** The best grade among the untried replicas of {@code model} in {@code region}, if any. */
  public Optional<Grade> bestGrade(String region, String model, Set<String> tried) {
    return untried(region, model, tried).stream().map(availability::grade).min(Grade::compareTo);
  }

  /**
   * The replica for the next call of {@code model} in {@code region}, the fittest of those not in
   * {@code tried}; empty if none is left.
   */
  public Optional<ReplicaEndpoint> pick(String region, String model, Set<String> tried) {
    List<ReplicaEndpoint> untried = untried(region, model, tried);
    for (Grade grade : Grade.values()) {
      List<ReplicaEndpoint> graded =
          untried.stream().filter(replica -> availability.grade(replica) == grade).toList();
      if (!graded.isEmpty()) {
        return Optional.of(weighted(graded));
      }
    }
    return Optional.empty();
  }

  /** The untried replicas of {@code model} in {@code region}, whatever their grade. */
  public List<ReplicaEndpoint> untried(String region, String model, Set<String> tried) {
    return state.replicas(region, model).stream()
        .filter(replica -> !tried.contains(replica.id()))
        .toList();
  }

  private ReplicaEndpoint weighted(List<ReplicaEndpoint> replicas) {
    double total = replicas.stream().mapToDouble(ReplicaEndpoint::weight).sum();
    double point = (Math.floorMod(next.getAndIncrement(), 1L << 24) * SPREAD) % 1.0 * total;
    for (ReplicaEndpoint replica : replicas) {
      point -= replica.weight();
      if (point < 0) {
        return replica;
      }
    }
    return replicas.get(replicas.size() - 1);
  }
}
