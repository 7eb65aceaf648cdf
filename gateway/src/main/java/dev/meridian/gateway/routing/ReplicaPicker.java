package dev.meridian.gateway.routing;

import java.util.List;
import java.util.Optional;
import java.util.Set;
import java.util.concurrent.atomic.AtomicLong;

/**
 * Spreads a region's calls over its healthy replicas of a model in round-robin order, never picking
 * a replica the call already tried. Thread-safe.
 */
public final class ReplicaPicker {
  private final RoutingState state;
  private final AtomicLong next = new AtomicLong();

  /** Creates a picker over {@code state}'s replicas. */
  public ReplicaPicker(RoutingState state) {
    this.state = state;
  }

  /**
   * The replica for the next call of {@code model} in {@code region}, skipping those in {@code
   * tried}; empty if no other is healthy.
   */
  public Optional<ReplicaEndpoint> pick(String region, String model, Set<String> tried) {
    List<ReplicaEndpoint> replicas =
        state.replicas(region, model).stream().filter(r -> !tried.contains(r.id())).toList();
    if (replicas.isEmpty()) {
      return Optional.empty();
    }
    return Optional.of(replicas.get(Math.floorMod(next.getAndIncrement(), replicas.size())));
  }
}
