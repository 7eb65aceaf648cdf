package dev.meridian.core.server;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * The keys of one gRPC server's {@link ServerLimits}, under the section its role chooses ({@code
 * limits} for the gateway, {@code admin.limits} for the controller, ...), each with the role's
 * default. Every key reads, checks and documents one field of the record.
 */
public final class ServerLimitSettings {
  private static final Duration MAX_RST_WINDOW = Duration.ofHours(1);

  private final Setting<Integer> maxConcurrentCallsPerConnection;
  private final Setting<Integer> maxRstFramesPerWindow;
  private final Setting<Duration> rstFramesWindow;
  private final Setting<Duration> maxConnectionAge;
  private final Setting<Duration> maxConnectionAgeGrace;
  private final Setting<Duration> maxConnectionIdle;
  private final Setting<Duration> permitKeepAliveTime;
  private final Setting<Boolean> permitKeepAliveWithoutCalls;
  private final Setting<Duration> handshakeTimeout;
  private final Setting<Integer> maxInboundMessageBytes;
  private final Setting<Integer> maxInboundMetadataBytes;

  private ServerLimitSettings(String section, ServerLimits defaults) {
    String prefix = section + ".";
    maxConcurrentCallsPerConnection =
        Setting.integer(prefix + "max-concurrent-calls-per-connection", 1, Integer.MAX_VALUE)
            .withDefault(defaults.maxConcurrentCallsPerConnection())
            .means("calls one client connection may have open; more wait in the client");
    maxRstFramesPerWindow =
        Setting.integer(prefix + "max-rst-frames-per-window", 0, Integer.MAX_VALUE)
            .withDefault(defaults.maxRstFramesPerWindow())
            .means(
                "`RST_STREAM` frames (cancelled calls) one connection may send per"
                    + " `rst-frames-window` before it is closed: the HTTP/2 rapid-reset"
                    + " (CVE-2023-44487) defence; `0` turns it off");
    rstFramesWindow =
        Setting.duration(prefix + "rst-frames-window", Duration.ofSeconds(1))
            .allowing(
                window ->
                    window.toNanosPart() == 0
                        && window.compareTo(Duration.ofSeconds(1)) >= 0
                        && window.compareTo(MAX_RST_WINDOW) <= 0,
                "whole seconds, 1s..1h")
            .withDefault(defaults.rstFramesWindow())
            .means("the window of `max-rst-frames-per-window`");
    maxConnectionAge =
        Setting.duration(prefix + "max-connection-age", Duration.ZERO)
            .withDefault(defaults.maxConnectionAge())
            .means(
                "a connection older than this (±10%) is asked to reconnect (GOAWAY), so clients"
                    + " rebalance; zero means never");
    maxConnectionAgeGrace =
        Setting.duration(prefix + "max-connection-age-grace", Duration.ZERO)
            .withDefault(defaults.maxConnectionAgeGrace())
            .means("how long calls open on an aged connection may still finish");
    maxConnectionIdle =
        Setting.duration(prefix + "max-connection-idle", Duration.ZERO)
            .withDefault(defaults.maxConnectionIdle())
            .means("a connection without calls this long is closed; zero means never");
    permitKeepAliveTime =
        Setting.duration(prefix + "permit-keepalive-time", Duration.ZERO)
            .withDefault(defaults.permitKeepAliveTime())
            .means(
                "most frequent client keepalive ping tolerated; more frequent ones get GOAWAY"
                    + " `too_many_pings`");
    permitKeepAliveWithoutCalls =
        Setting.flag(prefix + "permit-keepalive-without-calls")
            .withDefault(defaults.permitKeepAliveWithoutCalls())
            .means("whether clients may ping connections without calls");
    handshakeTimeout =
        Setting.duration(prefix + "handshake-timeout", Duration.ofMillis(1))
            .withDefault(defaults.handshakeTimeout())
            .means("longest a new connection may take to finish its handshake");
    maxInboundMessageBytes =
        Setting.integer(prefix + "max-inbound-message-bytes", 1, Integer.MAX_VALUE)
            .withDefault(defaults.maxInboundMessageBytes())
            .means("largest request accepted");
    maxInboundMetadataBytes =
        Setting.integer(prefix + "max-inbound-metadata-bytes", 1, Integer.MAX_VALUE)
            .withDefault(defaults.maxInboundMetadataBytes())
            .means("largest request metadata accepted");
    check(defaults);
  }

  /**
   * The keys under {@code section}, defaulting to {@code defaults}.
   *
   * @throws IllegalArgumentException naming the key when a default is out of range
   */
  public static ServerLimitSettings under(String section, ServerLimits defaults) {
    return new ServerLimitSettings(section, defaults);
  }

  /** Every key, for the role's schema. */
  public List<Setting<?>> all() {
    return List.of(
        maxConcurrentCallsPerConnection,
        maxRstFramesPerWindow,
        rstFramesWindow,
        maxConnectionAge,
        maxConnectionAgeGrace,
        maxConnectionIdle,
        permitKeepAliveTime,
        permitKeepAliveWithoutCalls,
        handshakeTimeout,
        maxInboundMessageBytes,
        maxInboundMetadataBytes);
  }

  /** The defaults. */
  public ServerLimits defaults() {
    return new ServerLimits(
        maxConcurrentCallsPerConnection.defaultValue(),
        maxRstFramesPerWindow.defaultValue(),
        rstFramesWindow.defaultValue(),
        maxConnectionAge.defaultValue(),
        maxConnectionAgeGrace.defaultValue(),
        maxConnectionIdle.defaultValue(),
        permitKeepAliveTime.defaultValue(),
        permitKeepAliveWithoutCalls.defaultValue(),
        handshakeTimeout.defaultValue(),
        maxInboundMessageBytes.defaultValue(),
        maxInboundMetadataBytes.defaultValue());
  }

  /**
   * Reads the limits from {@code section}, the mapping that holds the keys; defaults for those
   * absent.
   *
   * @throws dev.meridian.core.config.ConfigException naming the file and key of a bad value
   */
  public ServerLimits read(ConfigNode section) {
    return new ServerLimits(
        maxConcurrentCallsPerConnection.read(section),
        maxRstFramesPerWindow.read(section),
        rstFramesWindow.read(section),
        maxConnectionAge.read(section),
        maxConnectionAgeGrace.read(section),
        maxConnectionIdle.read(section),
        permitKeepAliveTime.read(section),
        permitKeepAliveWithoutCalls.read(section),
        handshakeTimeout.read(section),
        maxInboundMessageBytes.read(section),
        maxInboundMetadataBytes.read(section));
  }

  /**
   * Checks limits built in code.
   *
   * @return {@code limits}
   * @throws IllegalArgumentException naming the first offending key
   */
  public ServerLimits check(ServerLimits limits) {
    maxConcurrentCallsPerConnection.check(limits.maxConcurrentCallsPerConnection());
    maxRstFramesPerWindow.check(limits.maxRstFramesPerWindow());
    rstFramesWindow.check(limits.rstFramesWindow());
    maxConnectionAge.check(limits.maxConnectionAge());
    maxConnectionAgeGrace.check(limits.maxConnectionAgeGrace());
    maxConnectionIdle.check(limits.maxConnectionIdle());
    permitKeepAliveTime.check(limits.permitKeepAliveTime());
    permitKeepAliveWithoutCalls.check(limits.permitKeepAliveWithoutCalls());
    handshakeTimeout.check(limits.handshakeTimeout());
    maxInboundMessageBytes.check(limits.maxInboundMessageBytes());
    maxInboundMetadataBytes.check(limits.maxInboundMetadataBytes());
    return limits;
  }
}
