package dev.meridian.core.server;

import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import java.time.Duration;
import java.util.concurrent.TimeUnit;

/**
 * What one gRPC server tolerates from its clients, per connection and per call. Built and checked
 * through {@link ServerLimitSettings}, under a section each role chooses; {@link #applyTo} is the
 * one place these reach a server. Immutable.
 *
 * @param maxConcurrentCallsPerConnection streams one connection may have open (HTTP/2 {@code
 *     SETTINGS_MAX_CONCURRENT_STREAMS})
 * @param maxRstFramesPerWindow {@code RST_STREAM} frames a client may send per {@code
 *     rstFramesWindow} before its connection is closed (the CVE-2023-44487 "rapid reset" defence);
 *     {@code 0} turns the check off
 * @param rstFramesWindow the window of {@code maxRstFramesPerWindow}, in whole seconds
 * @param maxConnectionAge how long a connection lives before the server asks the client to move
 *     (GOAWAY), so clients rebalance; {@link Duration#ZERO} for forever
 * @param maxConnectionAgeGrace how long calls still open on an aged connection may finish
 * @param maxConnectionIdle how long a connection without calls stays open; {@link Duration#ZERO}
 *     for forever
 * @param permitKeepAliveTime the most frequent client keepalive ping tolerated; more frequent ones
 *     get GOAWAY {@code too_many_pings}
 * @param permitKeepAliveWithoutCalls whether clients may ping connections that have no calls
 * @param handshakeTimeout how long a new connection may take to finish its handshake
 * @param maxInboundMessageBytes the largest request message accepted
 * @param maxInboundMetadataBytes the largest request metadata (headers) accepted
 */
public record ServerLimits(
    int maxConcurrentCallsPerConnection,
    int maxRstFramesPerWindow,
    Duration rstFramesWindow,
    Duration maxConnectionAge,
    Duration maxConnectionAgeGrace,
    Duration maxConnectionIdle,
    Duration permitKeepAliveTime,
    boolean permitKeepAliveWithoutCalls,
    Duration handshakeTimeout,
    int maxInboundMessageBytes,
    int maxInboundMetadataBytes) {

  /**
   * Sets every limit on {@code builder}; returns it for chaining. A zero {@code RST_STREAM} limit,
   * age or idle time leaves grpc-java's default: no limit.
   */
  public NettyServerBuilder applyTo(NettyServerBuilder builder) {
    builder
        .maxConcurrentCallsPerConnection(maxConcurrentCallsPerConnection)
        .maxConnectionAgeGrace(maxConnectionAgeGrace.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveTime(permitKeepAliveTime.toNanos(), TimeUnit.NANOSECONDS)
        .permitKeepAliveWithoutCalls(permitKeepAliveWithoutCalls)
        .handshakeTimeout(handshakeTimeout.toNanos(), TimeUnit.NANOSECONDS)
        .maxInboundMessageSize(maxInboundMessageBytes)
        .maxInboundMetadataSize(maxInboundMetadataBytes);
    if (maxRstFramesPerWindow > 0) {
      builder.maxRstFramesPerWindow(maxRstFramesPerWindow, (int) rstFramesWindow.toSeconds());
    }
    if (!maxConnectionAge.isZero()) {
      builder.maxConnectionAge(maxConnectionAge.toNanos(), TimeUnit.NANOSECONDS);
    }
    if (!maxConnectionIdle.isZero()) {
      builder.maxConnectionIdle(maxConnectionIdle.toNanos(), TimeUnit.NANOSECONDS);
    }
    return builder;
  }
}
