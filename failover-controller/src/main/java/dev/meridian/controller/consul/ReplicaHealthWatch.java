package dev.meridian.controller.consul;

import dev.meridian.registry.BlockingWatch;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ServiceInstance;
import java.util.ArrayList;
import java.util.List;

/**
 * Follows every replica of {@link MeridianLayout#REPLICA_SERVICE}, passing or not, in each region's
 * datacenter with one blocking-query watch per region, so a region that is cut off delays only its
 * own updates.
 */
public final class ReplicaHealthWatch implements AutoCloseable {
  /** Hears a region's replicas whenever they change, on that region's watch thread. */
  @FunctionalInterface
  public interface Listener {
    /** Called with every replica registered in {@code region}. */
    void onReplicas(String region, List<ServiceInstance> replicas);
  }

  private final List<BlockingWatch<List<ServiceInstance>>> watches = new ArrayList<>();

  private ReplicaHealthWatch() {}

  /** Starts one watch per region. */
  public static ReplicaHealthWatch start(
      ConsulRegistry registry, List<String> regions, Listener listener) {
    ReplicaHealthWatch watch = new ReplicaHealthWatch();
    for (String region : regions) {
      watch.watches.add(
          BlockingWatch.start(
              "replicas-" + region,
              index -> registry.services().all(MeridianLayout.REPLICA_SERVICE, region, index),
              replicas -> listener.onReplicas(region, replicas)));
    }
    return watch;
  }

  /** Stops every watch. */
  @Override
  public void close() {
    watches.forEach(BlockingWatch::close);
  }
}
