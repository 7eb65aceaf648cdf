package dev.meridian.deploy.e2e;

import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.ModelLoadProjection;
import dev.meridian.proto.admin.v1.SurvivorLoadProjection;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Optional;
import org.awaitility.Awaitility;

/**
 * Dry-run drains as the capacity scenario asks for them: the controller judges them by the
 * gateway's load reports, which trail the load by up to a report interval plus a refresh, so each
 * wait asks again (twice a second) until the controller's answer is the one the load now calls for.
 */
final class CapacityDrains {
  private static final Duration POLL = Duration.ofMillis(500);

  private final ControlPlaneFaults controlPlane;

  CapacityDrains(ControlPlaneFaults controlPlane) {
    this.controlPlane = controlPlane;
  }

  /** Waits until a dry run of draining {@code region} is refused for capacity; its description. */
  String awaitRefused(String region) {
    return Awaitility.await(
            "a dry run of draining " + region + " refused for the survivors' capacity")
        .atMost(Waits.SETTLE)
        .pollInterval(POLL)
        .until(() -> refusal(region), Optional::isPresent)
        .orElseThrow();
  }

  private Optional<String> refusal(String region) {
    try {
      controlPlane.dryRunDrain(region);
      return Optional.empty();
    } catch (StatusRuntimeException e) {
      String description = e.getStatus().getDescription();
      return e.getStatus().getCode() == Status.Code.FAILED_PRECONDITION
              && description != null
              && description.contains("of its capacity")
          ? Optional.of(description)
          : Optional.empty();
    }
  }

  /**
   * Waits until a dry run of draining {@code region} is allowed with {@code model}'s load known;
   * its projection.
   */
  LoadProjection awaitAllowed(String region, String model) {
    return Awaitility.await("a dry run of draining " + region + " allowed with the load known")
        .atMost(Waits.SETTLE)
        .pollInterval(POLL)
        .ignoreExceptions()
        .until(
            () -> controlPlane.dryRunDrain(region).getCapacity(),
            projection -> of(projection, model).getLoadKnown());
  }

  /** The highest projected utilisation among {@code model}'s surviving regions. */
  static double worst(LoadProjection projection, String model) {
    return of(projection, model).getSurvivorsList().stream()
        .mapToDouble(SurvivorLoadProjection::getUtilisation)
        .max()
        .orElse(0);
  }

  private static ModelLoadProjection of(LoadProjection projection, String model) {
    return projection.getModelsList().stream()
        .filter(entry -> entry.getModelName().equals(model))
        .findFirst()
        .orElse(ModelLoadProjection.getDefaultInstance());
  }
}
