package dev.meridian.agent.health;

import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * Probes one running replica with a real inference of its canary request over gRPC ({@link
 * ProbeCall}, in the replica's protocol), and judges the result. Owns its channel: close it when
 * the replica stops. Thread-safe, though one supervisor thread is its only caller.
 */
public final class Prober implements AutoCloseable {
  private final ManagedChannel channel;
  private final ProbeCall canary;
  private final Duration timeout;
  private final ProbeClassifier classifier;
  private final Ticker ticker;
  private final BucketHistogram latency;

  /**
   * Creates a prober for the replica at {@code host:port}, its advertised address: the one the
   * gateway dials, so a probe that passes took the gateway's path.
   *
   * @param latency where each probe's latency is recorded
   */
  public Prober(
      TransportSecurity security,
      String host,
      int port,
      ProbeCall canary,
      Duration timeout,
      ProbeClassifier classifier,
      Ticker ticker,
      BucketHistogram latency) {
    // No keepalive pings: the probe itself, under its deadline, finds a frozen replica every
    // interval.
    this.channel = security.channel(host, port, TlsPeer.REPLICA).build();
    this.canary = canary;
    this.timeout = timeout;
    this.classifier = classifier;
    this.ticker = ticker;
    this.latency = latency;
  }

  /** Sends one probe, waiting at most the probe timeout, and judges it. */
  public CheckUpdate probe() {
    long start = ticker.nanoTime();
    Status status = Status.OK;
    try {
      canary.call(channel, Deadline.after(timeout.toNanos(), TimeUnit.NANOSECONDS));
    } catch (StatusRuntimeException e) {
      status = e.getStatus();
    }
    long took = ticker.nanoTime() - start;
    latency.observeNanos(took);
    return classifier.classify(status, Duration.ofNanos(took));
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
