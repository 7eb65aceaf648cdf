package dev.meridian.gateway.call;

import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.HashSet;
import java.util.List;
import java.util.Set;

/**
 * What one gateway call has done so far: the regions it tried, why each attempt failed, and how
 * many upstream calls it made. Attempts of a call may run on different threads (retries, hedges),
 * so every method is synchronized.
 */
final class CallState {
  private final PredictRequest request;
  private final RoutingTable table;
  private final Deadline deadline;
  private final Context callerContext;
  // Guarded by this.
  private final Set<String> triedRegions = new HashSet<>();
  private final Set<String> triedReplicas = new HashSet<>();
  private final List<String> failures = new ArrayList<>();
  private final Set<Status.Code> failureCodes = EnumSet.noneOf(Status.Code.class);
  private int upstreamCalls;

  CallState(PredictRequest request, RoutingTable table, Deadline deadline, Context callerContext) {
    this.request = request;
    this.table = table;
    this.deadline = deadline;
    this.callerContext = callerContext;
  }

  PredictRequest request() {
    return request;
  }

  RoutingTable table() {
    return table;
  }

  Deadline deadline() {
    return deadline;
  }

  Context callerContext() {
    return callerContext;
  }

  synchronized Set<String> triedRegions() {
    return Set.copyOf(triedRegions);
  }

  synchronized Set<String> triedReplicas() {
    return Set.copyOf(triedReplicas);
  }

  synchronized void tried(String region) {
    triedRegions.add(region);
  }

  synchronized void triedReplica(String id) {
    triedReplicas.add(id);
  }

  synchronized void failed(String why) {
    failures.add(why);
  }

  synchronized void failed(Status.Code code, String why) {
    failureCodes.add(code);
    failures.add(why);
  }

  /** Whether every attempt failed with {@code code} (and at least one did). */
  synchronized boolean onlyFailedWith(Status.Code code) {
    return failureCodes.equals(EnumSet.of(code));
  }

  synchronized void calledUpstream() {
    upstreamCalls++;
  }

  synchronized int upstreamCalls() {
    return upstreamCalls;
  }

  /** Every failure so far, for the response's reason or the error's description. */
  synchronized String failureSummary() {
    return String.join("; ", failures);
  }
}
