package dev.meridian.controller.routing;

import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.ServiceInstance;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Logger;

/**
 * Groups one region's replica instances by the model they serve and sums their capacity. A replica
 * names its model in the {@code model} metadata; one registered without it counts for every model
 * in its tags. Capacity is the {@code capacity} metadata, 1 when missing or malformed, so that a
 * mislabelled replica still counts rather than vanishing from the table.
 */
public final class ReplicaGrouping {
  private static final Logger logger = Logger.getLogger(ReplicaGrouping.class.getName());

  private ReplicaGrouping() {}

  /** The observation of each model served by {@code instances}. */
  public static Map<String, RegionObservation> byModel(List<ServiceInstance> instances) {
    Map<String, RegionObservation> result = new TreeMap<>();
    for (ServiceInstance instance : instances) {
      long capacity = capacity(instance);
      for (String model : models(instance)) {
        RegionObservation sum = result.getOrDefault(model, RegionObservation.NONE);
        result.put(
            model,
            new RegionObservation(
                sum.healthyReplicas() + (instance.passing() ? 1 : 0),
                sum.totalReplicas() + 1,
                sum.healthyCapacity() + (instance.passing() ? capacity : 0),
                sum.totalCapacity() + capacity));
      }
    }
    return result;
  }

  private static List<String> models(ServiceInstance instance) {
    String model = instance.meta().get(MeridianLayout.META_MODEL);
    return model == null || model.isBlank() ? instance.tags() : List.of(model);
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
    logger.fine(() -> "replica " + instance.id() + ": capacity '" + text + "' taken as 1");
    return 1;
  }
}
