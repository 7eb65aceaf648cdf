package dev.meridian.controller;

import dev.meridian.controller.routing.CapacityProjection;
import dev.meridian.proto.admin.v1.LoadProjection;
import dev.meridian.proto.admin.v1.ModelLoadProjection;
import dev.meridian.proto.admin.v1.SurvivorLoadProjection;

/** Turns a {@link CapacityProjection} into the admin API's {@link LoadProjection}. */
final class LoadProjections {
  private LoadProjections() {}

  static LoadProjection toProto(CapacityProjection projection) {
    LoadProjection.Builder message =
        LoadProjection.newBuilder()
            .setRegion(projection.region())
            .setMaxUtilisation(projection.maxUtilisation())
            .addAllWarnings(projection.warnings());
    for (CapacityProjection.ModelProjection model : projection.models()) {
      ModelLoadProjection.Builder byModel =
          ModelLoadProjection.newBuilder()
              .setModelName(model.model())
              .setLoadKnown(model.loadKnown())
              .setDrainedInFlight(model.moving().inFlight())
              .setDrainedCallsPerSecond(model.moving().callsPerSecond());
      for (CapacityProjection.Survivor survivor : model.survivors()) {
        byModel.addSurvivors(
            SurvivorLoadProjection.newBuilder()
                .setRegion(survivor.region())
                .setShare(survivor.share())
                .setInFlight(survivor.inFlight())
                .setProjectedInFlight(survivor.projectedInFlight())
                .setCapacity(survivor.capacity())
                .setUtilisation(survivor.utilisation())
                .setOverLimit(survivor.overLimit()));
      }
      message.addModels(byModel);
    }
    return message.build();
  }
}
