package dev.meridian.gateway.routing;

import dev.meridian.gateway.routing.ReplicaAvailability.Grade;
import java.util.ArrayList;
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
    Grade best = null;
    for (ReplicaEndpoint replica : state.replicas(region, model)) {
      if (!tried.contains(replica.id())) {
        Grade grade = availability.grade(replica);
        if (best == null || grade.compareTo(best) < 0) {
          best = grade;
        }
      }
    }
    return Optional.ofNullable(best);
  }

  /**
   * The replica for the next call of {@code model} in {@code region}, the fittest of those not in
   * {@code tried}; empty if none is left.
   */
  public Optional<ReplicaEndpoint> pick(String region, String model, Set<String> tried) {
    Optional<Grade> best = bestGrade(region, model, tried);
    if (best.isEmpty()) {
      return Optional.empty();
    }
    List<ReplicaEndpoint> graded = new ArrayList<>(2);
    for (ReplicaEndpoint replica : state.replicas(region, model)) {
      if (!tried.contains(replica.id()) && availability.grade(replica) == best.get()) {
        graded.add(replica);
      }
    }
    return Optional.of(weighted(graded));
  }

  /** The untried replicas of {@code model} in {@code region}, whatever their grade. */
  public List<ReplicaEndpoint> untried(String region, String model, Set<String> tried) {
    List<ReplicaEndpoint> serving = state.replicas(region, model);
    if (tried.isEmpty()) {
      return serving;
    }
    List<ReplicaEndpoint> untried = new ArrayList<>(serving.size());
    for (ReplicaEndpoint replica : serving) {
      if (!tried.contains(replica.id())) {
        untried.add(replica);
      }
    }
    return untried;
  }

  /** Whether {@code model} has a replica in {@code region} that is not in {@code tried}. */
  public boolean hasUntried(String region, String model, Set<String> tried) {
    for (ReplicaEndpoint replica : state.replicas(region, model)) {
      if (!tried.contains(replica.id())) {
        return true;
      }
    }
    return false;
  }

  private ReplicaEndpoint weighted(List<ReplicaEndpoint> replicas) {
    double total = 0;
    for (ReplicaEndpoint replica : replicas) {
      total += replica.weight();
    }
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
