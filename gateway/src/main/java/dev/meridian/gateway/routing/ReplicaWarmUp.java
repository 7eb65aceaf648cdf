package dev.meridian.gateway.routing;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.Collection;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.Executor;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Warms the gateway's path to each replica it learns before that replica gets calls: connects its
 * channel and sends it {@code requests} Predicts without inputs, which the replica answers with
 * INVALID_ARGUMENT after running its request path (or, to a replica called through the Open
 * Inference Protocol, {@code ModelReady}s), so the gateway's client, transport and protobuf code is
 * compiled and the connection is up when the first real call comes. Replicas warm their models
 * themselves before they report passing. A replica that cannot be warmed (unreachable, timing out)
 * is given up on and left to the outlier detection. Thread-safe.
 */
public final class ReplicaWarmUp {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaWarmUp.class);

  private final ChannelCache channels;
  private final int requests;
  private final Duration timeout;
  private final Executor executor;
  private final Runnable onDone;
  private final Set<String> started = ConcurrentHashMap.newKeySet();
  private final Set<String> done = ConcurrentHashMap.newKeySet();

  /**
   * Creates the warm-up.
   *
   * @param requests Predicts per replica; 0 only connects
   * @param timeout the longest one replica's warm-up may take
   * @param executor runs the warm-ups, which block
   * @param onDone runs each time a replica's warm-up ends
   */
  public ReplicaWarmUp(
      ChannelCache channels, int requests, Duration timeout, Executor executor, Runnable onDone) {
    this.channels = channels;
    this.requests = requests;
    this.timeout = timeout;
    this.executor = executor;
    this.onDone = onDone;
  }

  /** Starts warming every replica of {@code replicas} not warmed or warming yet. */
  public void warm(Collection<ReplicaEndpoint> replicas) {
    for (ReplicaEndpoint replica : replicas) {
      if (started.add(replica.address())) {
        executor.execute(() -> warmUp(replica));
      }
    }
  }

  /** Whether {@code replica}'s warm-up has ended (or it was never started). */
  public boolean warmed(ReplicaEndpoint replica) {
    return done.contains(replica.address()) || !started.contains(replica.address());
  }

  /** Whether every replica of {@code replicas} has been warmed or given up on. */
  public boolean allDone(Collection<ReplicaEndpoint> replicas) {
    return replicas.stream().allMatch(replica -> done.contains(replica.address()));
  }

  /**
   * Forgets replicas whose addresses are no longer in use (gone, and their channels closed), so a
   * replica that returns on a new channel is warmed again.
   */
  public void retainOnly(Set<String> addresses) {
    started.retainAll(addresses);
    done.retainAll(addresses);
  }

  /**
   * One warm-up request in the replica's protocol: an empty {@code Predict}, which a Meridian
   * replica refuses as INVALID_ARGUMENT after the whole path has run, or an OIP {@code ModelReady}.
   */
  private static void send(
      ReplicaEndpoint replica, ManagedChannel channel, PredictRequest probe, long leftNanos) {
    switch (replica.protocol()) {
      case MERIDIAN ->
          InferenceGrpc.newBlockingStub(channel)
              .withWaitForReady()
              .withDeadlineAfter(leftNanos, TimeUnit.NANOSECONDS)
              .predict(probe);
      case OIP ->
          GRPCInferenceServiceGrpc.newBlockingStub(channel)
              .withWaitForReady()
              .withDeadlineAfter(leftNanos, TimeUnit.NANOSECONDS)
              .modelReady(ModelReadyRequest.newBuilder().setName(probe.getModelName()).build());
    }
  }

  private void warmUp(ReplicaEndpoint replica) {
    long start = System.nanoTime();
    long deadline = start + timeout.toNanos();
    ManagedChannel channel = channels.channel(replica);
    PredictRequest probe =
        PredictRequest.newBuilder()
            .setModelName(replica.models().stream().sorted().findFirst().orElse(""))
            .setRequestId("gateway-warm-up")
            .build();
    int sent = 0;
    String outcome = "warmed";
    try {
      for (; sent < requests; sent++) {
        long left = deadline - System.nanoTime();
        if (left <= 0) {
          outcome = "timed_out";
          break;
        }
        try {
          send(replica, channel, probe, left);
        } catch (StatusRuntimeException e) {
          if (e.getStatus().getCode() != Status.Code.INVALID_ARGUMENT) {
            outcome = "gave_up: " + e.getStatus().getCode();
            break;
          }
        }
      }
    } finally {
      done.add(replica.address());
      logger
          .atInfo()
          .addKeyValue("event", "replica_path_warmed")
          .addKeyValue("replica", replica.id())
          .addKeyValue("requests", sent)
          .addKeyValue("took_ms", TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - start))
          .addKeyValue("outcome", outcome)
          .log("replica path warmed");
      onDone.run();
    }
  }
}
