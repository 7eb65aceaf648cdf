package dev.meridian.controller.routing;

import dev.meridian.core.LogValue;
import dev.meridian.core.ResourceNames;
import dev.meridian.registry.HealthState;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Groups one region's replica instances by the model they serve and sums their capacity. A replica
 * names its model in the {@code model} metadata; one registered without it counts for every model
 * in its tags. Capacity is the {@code capacity} metadata, 1 when missing or malformed, so that a
 * mislabelled replica still counts rather than vanishing from the table. A replica's healthy
 * capacity is its capacity times {@link HealthState#weightFactor()}: a warning replica keeps
 * serving at half weight, and only a critical one stops counting.
 */
public final class ReplicaGrouping {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaGrouping.class);

  private ReplicaGrouping() {}

  /**
   * The observation of each model served by {@code instances}. A model name that breaks {@link
   * ResourceNames} (a replica registered by hand, or by an older agent) is skipped and reported to
   * {@code rejected}, so that it cannot reach a Consul key.
   */
  public static Map<String, RegionObservation> byModel(
      List<ServiceInstance> instances, Consumer<String> rejected) {
    Map<String, RegionObservation> result = new TreeMap<>();
    for (ServiceInstance instance : instances) {
      long capacity = capacity(instance);
      HealthState health = instance.health();
      for (String model : models(instance)) {
        if (!ResourceNames.isValid(model)) {
          rejected.accept(
              "replica " + instance.id() + " names model " + LogValue.quoted(model) + ": skipped");
          continue;
        }
        RegionObservation sum = result.getOrDefault(model, RegionObservation.NONE);
        result.put(
            model,
            new RegionObservation(
                sum.servingReplicas() + (health.serves() ? 1 : 0),
                sum.warningReplicas() + (health == HealthState.WARNING ? 1 : 0),
                sum.totalReplicas() + 1,
                sum.healthyCapacity() + healthyCapacity(capacity, health),
                sum.totalCapacity() + capacity));
      }
    }
    return result;
  }

  private static List<String> models(ServiceInstance instance) {
    String model = instance.meta().get(MeridianLayout.META_MODEL);
    return model == null || model.isBlank() ? instance.tags() : List.of(model);
  }

  private static long healthyCapacity(long capacity, HealthState health) {
    // Rounded up so that a serving replica of capacity 1 still weighs something.
    return (long) Math.ceil(capacity * health.weightFactor());
  }

  private static long capacity(ServiceInstance instance) {
    String text = instance.meta().get(MeridianLayout.META_CAPACITY);
    if (text != null) {
      try {
        long capacity = Long.parseLong(text.trim());
        if (capacity >= 1) {
          return capacity;
        }
      } catch (NumberFormatException e) {
        // fall through to the warning
      }
    }
    logger
        .atDebug()
        .addKeyValue("replica", instance.id())
        .addKeyValue("capacity", text)
        .log("capacity taken as 1");
    return 1;
  }
}
