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
  private final Set<String> refusedRegions = new HashSet<>();
  private final List<String> failures = new ArrayList<>();
  private final List<String> refusals = new ArrayList<>();
  private final Set<Status.Code> failureCodes = EnumSet.noneOf(Status.Code.class);
  private int upstreamCalls;
  private int neverReached;
  private int attemptsStarted;
  private boolean answered;
  private final Set<String> regionsPastOpenBreaker = new HashSet<>();
  private String lastRegion = "";
  private String lastReplica = "";

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

  /**
   * The caller's gRPC context, as it was when the call started: its cancellation, and its trace for
   * spans and log lines, whichever thread an attempt's callback runs on.
   */
  Context callerContext() {
    return callerContext;
  }

  synchronized Set<String> triedRegions() {
    return triedRegions.isEmpty() ? Set.of() : Set.copyOf(triedRegions);
  }

  synchronized Set<String> triedReplicas() {
    return triedReplicas.isEmpty() ? Set.of() : Set.copyOf(triedReplicas);
  }

  synchronized void tried(String region) {
    triedRegions.add(region);
    lastRegion = region;
  }

  /** The region of the attempt started last, or empty before the first. */
  synchronized String lastRegion() {
    return lastRegion;
  }

  synchronized void triedReplica(String id) {
    triedReplicas.add(id);
    lastReplica = id;
  }

  /** Records that one of the call's attempts got an answer. */
  synchronized void gotAnswer() {
    answered = true;
  }

  /** Whether one of the call's attempts got an answer (so the others are no longer needed). */
  synchronized boolean answered() {
    return answered;
  }

  /** Where the attempt started last went, {@code region (replica)}, for reasons. */
  synchronized String lastAttempt() {
    return lastRegion + " (" + lastReplica + ")";
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

  /** An upstream call never reached a server (connection refused, stream refused). */
  synchronized void neverReached() {
    neverReached++;
  }

  /** How many upstream calls never reached a server. */
  synchronized int neverReachedCount() {
    return neverReached;
  }

  /**
   * Whether a new upstream call would be a retry or a hedge, which the retry budget pays for: an
   * earlier call reached a server (calls that never did are retried for free).
   */
  synchronized boolean nextCallIsRetry() {
    return upstreamCalls > neverReached;
  }

  /** {@code region} refused an attempt before any upstream call; said only if nothing answers. */
  synchronized void refused(String region, Status.Code code, String why) {
    refusedRegions.add(region);
    failureCodes.add(code);
    refusals.add(region + ": " + why);
  }

  /** The regions the call was sent to or that refused it (breaker, bulkhead). */
  synchronized Set<String> triedOrRefusedRegions() {
    Set<String> regions = new HashSet<>(triedRegions);
    regions.addAll(refusedRegions);
    return regions;
  }

  /**
   * Claims the call's one attempt past {@code region}'s open breaker: true the first time for each
   * region only, so that a call whose every region fails fast does not spend its deadline on them
   * before its fallback, and a dead region's refusal does not cost a live one its chance.
   */
  synchronized boolean claimAttemptPastOpenBreaker(String region) {
    return regionsPastOpenBreaker.add(region);
  }

  /** An attempt (first, retry or hedge) started. */
  synchronized void attemptStarted() {
    attemptsStarted++;
  }

  /** How many attempts (first, retries, hedges; not transparent retries) have started. */
  synchronized int attemptsStarted() {
    return attemptsStarted;
  }

  /** Adds the upstream calls of a derived call (the fallback model's) to this one's. */
  synchronized void addUpstreamCalls(int calls) {
    upstreamCalls += calls;
  }

  synchronized int upstreamCalls() {
    return upstreamCalls;
  }

  /** Every failure so far, for the response's reason or the error's description. */
  synchronized String failureSummary() {
    return failures.isEmpty() ? "" : String.join("; ", failures);
  }

  /** Every failure and refusal so far, for a degraded answer's reason or an error. */
  synchronized String fullSummary() {
    List<String> all = new ArrayList<>(failures);
    all.addAll(refusals);
    return String.join("; ", all);
  }
}
