package dev.meridian.gateway.outlier;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.gateway.routing.ChannelCache;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.gateway.routing.RoutingState;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthGrpc;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Finds frozen replicas and blackholed networks within about the liveness timeout: every interval,
 * each replica whose channel is connected is asked a {@code grpc.health.v1} Check with that
 * timeout; one that does not answer in time is ejected until it answers again. Any answer counts,
 * NOT_SERVING included, as the check is about the peer being there, which the agent's probes and
 * Consul judge otherwise. gRPC's own keepalive cannot do this: it refuses pings more often than
 * every 10 s. Thread-safe.
 */
public final class LivenessMonitor implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(LivenessMonitor.class);

  private final RoutingState state;
  private final ChannelCache channels;
  private final OutlierDetector outliers;
  private final OutlierConfig config;
  private final Set<String> inFlight = ConcurrentHashMap.newKeySet();
  private final ScheduledFuture<?> task;

  private LivenessMonitor(
      RoutingState state,
      ChannelCache channels,
      OutlierDetector outliers,
      OutlierConfig config,
      ScheduledExecutorService scheduler) {
    this.state = state;
    this.channels = channels;
    this.outliers = outliers;
    this.config = config;
    long interval = config.livenessInterval().toNanos();
    this.task =
        scheduler.scheduleWithFixedDelay(this::checkAll, interval, interval, TimeUnit.NANOSECONDS);
  }

  /** Starts checking every interval on {@code scheduler}. */
  public static LivenessMonitor start(
      RoutingState state,
      ChannelCache channels,
      OutlierDetector outliers,
      OutlierConfig config,
      ScheduledExecutorService scheduler) {
    return new LivenessMonitor(state, channels, outliers, config, scheduler);
  }

  private void checkAll() {
    try {
      for (ReplicaEndpoint replica : state.everyReplica()) {
        channels
            .existing(replica)
            .filter(channel -> channel.getState(false) == ConnectivityState.READY)
            .filter(channel -> inFlight.add(replica.id()))
            .ifPresent(channel -> check(replica, channel));
      }
    } catch (RuntimeException e) {
      // A periodic task that throws is never run again; one bad round must not end the checks.
      logger.warn("liveness round failed; checking again next interval", e);
    }
  }

  private void check(ReplicaEndpoint replica, ManagedChannel channel) {
    Futures.addCallback(
        HealthGrpc.newFutureStub(channel)
            .withDeadlineAfter(config.livenessTimeout().toNanos(), TimeUnit.NANOSECONDS)
            .check(HealthCheckRequest.getDefaultInstance()),
        new FutureCallback<HealthCheckResponse>() {
          @Override
          public void onSuccess(HealthCheckResponse response) {
            inFlight.remove(replica.id());
            outliers.recovered(replica.id(), OutlierDetector.Cause.UNRESPONSIVE);
          }

          @Override
          public void onFailure(Throwable error) {
            inFlight.remove(replica.id());
            Status status = Status.fromThrowable(error);
            if (status.getCode() == Status.Code.UNIMPLEMENTED
                || status.getCode() == Status.Code.NOT_FOUND) {
              outliers.recovered(replica.id(), OutlierDetector.Cause.UNRESPONSIVE);
            } else {
              outliers.eject(replica.id(), OutlierDetector.Cause.UNRESPONSIVE);
            }
          }
        },
        MoreExecutors.directExecutor());
  }

  /** Stops checking. */
  @Override
  public void close() {
    task.cancel(false);
  }
}
