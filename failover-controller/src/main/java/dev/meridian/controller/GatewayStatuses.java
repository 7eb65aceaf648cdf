package dev.meridian.controller;

import com.google.protobuf.Timestamp;
import dev.meridian.proto.admin.v1.BreakerStatus;
import dev.meridian.proto.admin.v1.GatewayStatus;
import dev.meridian.registry.LoadReport;

/** A gateway's load report as the admin RPC's {@link GatewayStatus}. */
final class GatewayStatuses {
  private GatewayStatuses() {}

  /** What {@code report} tells of its gateway: when, how much, and its breakers. */
  static GatewayStatus of(LoadReport report) {
    GatewayStatus.Builder status =
        GatewayStatus.newBuilder()
            .setGateway(report.gateway())
            .setReportedAt(
                Timestamp.newBuilder()
                    .setSeconds(report.at().getEpochSecond())
                    .setNanos(report.at().getNano()))
            .setCallsPerSecond(report.callsPerSecond());
    report
        .breakers()
        .forEach(
            (model, regions) ->
                regions.forEach(
                    (region, state) ->
                        status.addBreakers(
                            BreakerStatus.newBuilder()
                                .setModelName(model)
                                .setRegion(region)
                                .setState(state))));
    return status.build();
  }
}
