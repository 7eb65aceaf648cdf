package dev.meridian.controller.routing;

import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Holds a drain's ramp before a step the surviving regions could not carry. At each evaluation, for
 * each drain whose ramp is due to take one or more steps, it projects ({@link CapacityProjection})
 * the part of the region's current load those steps move: from step {@code k} of {@code n} to step
 * {@code j}, the region keeps weight in proportion to {@code n - j} instead of {@code n - k}, so
 * {@code (j - k) / (n - k)} of its load moves. When a survivor would pass the limit, the ramp's
 * start moves later so that it stands just before the step, with the reason in the region's route;
 * once the survivors have headroom the step is taken at the next evaluation. Drains an operator
 * forced are not held.
 *
 * <p>The hold lives in this leader's memory only: a new leader carries a drain on from its recorded
 * start, and paces it from the step that start gives. Whether a drain was forced is in its record,
 * so a new leader does not pause a forced drain either. Not thread-safe: confined to the routing
 * engine's loop.
 */
public final class DrainPacer {
  private final StepRamp ramp;
  private final double maxUtilisation;
  private final Map<String, Progress> progress = new HashMap<>();
  private final Set<String> forced = new HashSet<>();

  /** Paces drains ramped by {@code policy}, holding survivors to {@code maxUtilisation}. */
  public DrainPacer(RoutingPolicy policy, double maxUtilisation) {
    this.ramp = new StepRamp(policy.drainRamp(), policy.drainSteps());
    this.maxUtilisation = maxUtilisation;
  }

  /** Marks the drain of {@code region} as forced: its ramp is never held. */
  public void forced(String region) {
    forced.add(region);
  }

  /** Forgets every drain's progress (a new leader starts over). */
  public void clear() {
    progress.clear();
    forced.clear();
  }

  /**
   * The drains to route by at {@code nowNanos}: each of {@code drains}, held before its next step
   * while the survivors lack headroom for it.
   *
   * @param tables the tables as published, whose weights spread the moving load
   * @param observations by region, then by model: the replicas Consul reports
   */
  public Map<String, Drain> pace(
      Map<String, Drain> drains,
      Collection<RoutingTable> tables,
      Map<String, Map<String, RegionObservation>> observations,
      LoadSnapshot load,
      long nowNanos) {
    progress.keySet().retainAll(drains.keySet());
    forced.retainAll(drains.keySet());
    Map<String, Drain> paced = new LinkedHashMap<>();
    drains.forEach(
        (region, drain) -> {
          Progress at =
              progress.computeIfAbsent(
                  region, name -> new Progress(ramp.stepsTaken(nowNanos - drain.startNanos())));
          long start = drain.startNanos() + at.heldNanos;
          int due = ramp.stepsTaken(nowNanos - start);
          if (due <= at.step || forced.contains(region)) {
            at.step = Math.max(at.step, due);
            paced.put(region, drain.paced(start, ""));
            return;
          }
          double moving = (double) (due - at.step) / (ramp.steps() - at.step);
          CapacityProjection next =
              CapacityProjection.of(region, moving, tables, observations, load, maxUtilisation);
          if (!next.overloads()) {
            at.step = due;
            paced.put(region, drain.paced(start, ""));
            return;
          }
          // Stand just before the next step, so that it is taken as soon as there is headroom.
          long held = nowNanos - (ramp.startOfStep(at.step + 1) - 1);
          at.heldNanos = held - drain.startNanos();
          paced.put(
              region,
              drain.paced(
                  held,
                  "paused before step "
                      + (at.step + 1)
                      + "/"
                      + ramp.steps()
                      + ": it would put "
                      + String.join(", ", next.overloaded())
                      + "; "
                      + next.limit()));
        });
    return paced;
  }

  /** How far one drain has got: the last step taken and how long its ramp has been held. */
  private static final class Progress {
    int step;
    long heldNanos;

    Progress(int step) {
      this.step = step;
    }
  }
}
