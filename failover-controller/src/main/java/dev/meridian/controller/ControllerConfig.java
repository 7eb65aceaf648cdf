package dev.meridian.controller;

import static dev.meridian.controller.ControllerSettings.ADMIN;
import static dev.meridian.controller.ControllerSettings.ADMIN_LIMITS;
import static dev.meridian.controller.ControllerSettings.ADMIN_THREADS;
import static dev.meridian.controller.ControllerSettings.AUDIT_LOG;
import static dev.meridian.controller.ControllerSettings.CONTROL_DATACENTER;
import static dev.meridian.controller.ControllerSettings.ID;
import static dev.meridian.controller.ControllerSettings.METRICS;
import static dev.meridian.controller.ControllerSettings.REGIONS;

import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.LeaderLockConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;

/**
 * The failover controller's settings: an immutable tree that mirrors its config file, checked when
 * constructed by the rules of the {@link ControllerSettings} keys, with errors that name the key,
 * for example {@code leader.lock-delay: 2m (expected: 0ms..1m)}. Read it from YAML with {@link
 * ControllerConfigFile}, which also resolves the defaults that depend on other keys.
 *
 * @param id this controller's name, recorded as {@code computed_by} in the tables it writes
 * @param regions the regions (Consul datacenters), in the order tables list them
 * @param controlDatacenter the datacenter holding the leader lock and the drain records; one of
 *     {@code regions}
 * @param admin where the admin server binds and is reached: the advertised host with the bound port
 *     is this controller's candidate id in the leader lock, so that standbys can name the leader
 * @param metrics where the metrics server binds and is reached
 * @param consul where Consul is
 * @param leader the timings of the leader campaign
 * @param routing thresholds and timings of routing
 * @param adminToken the bearer token admin calls must carry
 * @param auditLog the audit log file (JSON lines)
 * @param adminLimits what the admin server tolerates from its clients
 * @param adminThreads the threads admin calls run on
 */
public record ControllerConfig(
    String id,
    List<String> regions,
    String controlDatacenter,
    ListenAddress admin,
    ListenAddress metrics,
    ConsulConfig consul,
    Leader leader,
    RoutingPolicy routing,
    String adminToken,
    Path auditLog,
    ServerLimits adminLimits,
    int adminThreads) {

  /**
   * Checks every component by its key's rule, and the rules between keys.
   *
   * @throws IllegalArgumentException naming the first offending key
   */
  public ControllerConfig {
    ID.check(id);
    regions = List.copyOf(REGIONS.check(regions));
    CONTROL_DATACENTER.check(controlDatacenter);
    if (!regions.contains(controlDatacenter)) {
      throw CONTROL_DATACENTER.invalid(controlDatacenter, "one of " + regions);
    }
    ADMIN.port().check(Objects.requireNonNull(admin, "admin").port());
    METRICS.port().check(Objects.requireNonNull(metrics, "metrics").port());
    Objects.requireNonNull(consul, "consul");
    Objects.requireNonNull(leader, "leader");
    Objects.requireNonNull(routing, "routing");
    if (adminToken == null || adminToken.isBlank()) {
      throw new IllegalArgumentException(
          "auth: no token (expected: a token from auth.token-file or auth.token-env)");
    }
    AUDIT_LOG.check(auditLog);
    ADMIN_LIMITS.check(adminLimits);
    ADMIN_THREADS.check(adminThreads);
  }

  /** Hides the token. */
  @Override
  public String toString() {
    return "ControllerConfig{id="
        + id
        + ", admin="
        + admin
        + ", metrics="
        + metrics
        + ", regions="
        + regions
        + ", control="
        + controlDatacenter
        + ", consul="
        + consul
        + ", leader="
        + leader
        + ", routing="
        + routing
        + ", adminToken=<redacted>, auditLog="
        + auditLog
        + ", adminLimits="
        + adminLimits
        + ", adminThreads="
        + adminThreads
        + "}";
  }

  /**
   * The {@code leader} section: the timings of the campaign for the leader lock, checked by the
   * {@link LeaderLockConfig} keys' rules, which are what Consul accepts.
   *
   * @param sessionTtl the leader session's TTL
   * @param lockDelay how long the lock stays unacquirable after a leader's session ends without
   *     releasing it
   * @param retryInterval how often a standby tries for the lock
   */
  public record Leader(Duration sessionTtl, Duration lockDelay, Duration retryInterval) {
    /** Every key at its default. */
    public static final Leader DEFAULTS =
        new Leader(
            LeaderLockConfig.SESSION_TTL.defaultValue(),
            LeaderLockConfig.LOCK_DELAY.defaultValue(),
            LeaderLockConfig.RETRY_INTERVAL.defaultValue());

    /**
     * Checks every timing by its key's rule.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public Leader {
      LeaderLockConfig.SESSION_TTL.check(sessionTtl);
      LeaderLockConfig.LOCK_DELAY.check(lockDelay);
      LeaderLockConfig.RETRY_INTERVAL.check(retryInterval);
    }

    /**
     * Reads the {@code leader} section; absent keys take their defaults.
     *
     * @throws dev.meridian.core.config.ConfigException naming the file and the offending key
     */
    public static Leader read(ConfigNode leader) {
      return new Leader(
          LeaderLockConfig.SESSION_TTL.read(leader),
          LeaderLockConfig.LOCK_DELAY.read(leader),
          LeaderLockConfig.RETRY_INTERVAL.read(leader));
    }
  }
}
