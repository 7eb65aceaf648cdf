package dev.meridian.controller;

import static dev.meridian.controller.ControllerSettings.ADMIN;
import static dev.meridian.controller.ControllerSettings.ADMIN_LIMITS;
import static dev.meridian.controller.ControllerSettings.ADMIN_THREADS;
import static dev.meridian.controller.ControllerSettings.AUDIT_KEEP_FILES;
import static dev.meridian.controller.ControllerSettings.AUDIT_LOG;
import static dev.meridian.controller.ControllerSettings.AUDIT_MAX_FILE_BYTES;
import static dev.meridian.controller.ControllerSettings.CONTROL_DATACENTER;
import static dev.meridian.controller.ControllerSettings.FAILURE_BURST;
import static dev.meridian.controller.ControllerSettings.FAILURE_REFILL;
import static dev.meridian.controller.ControllerSettings.ID;
import static dev.meridian.controller.ControllerSettings.METRICS;
import static dev.meridian.controller.ControllerSettings.OPERATORS_FILE;
import static dev.meridian.controller.ControllerSettings.REGIONS;

import dev.meridian.controller.admin.Operator;
import dev.meridian.controller.admin.OperatorDirectory;
import dev.meridian.controller.admin.Operators;
import dev.meridian.controller.admin.Role;
import dev.meridian.controller.admin.TokenHash;
import dev.meridian.controller.routing.DrainPolicy;
import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.Durations;
import dev.meridian.core.Ticker;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsFiles;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.LeaderLockConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

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
 * @param auth who may call the admin RPC, and the limit on failed authentications
 * @param audit the audit log
 * @param tls the controller's TLS files; empty for a plaintext admin server
 * @param adminLimits what the admin server tolerates from its clients
 * @param adminThreads the threads admin calls run on
 * @param adminReflection whether the admin port also serves reflection and channelz
 * @param drain the headroom a drain must leave the surviving regions, and how often their load is
 *     read
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
    Auth auth,
    Audit audit,
    Optional<TlsFiles> tls,
    ServerLimits adminLimits,
    int adminThreads,
    boolean adminReflection,
    DrainPolicy drain) {

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
    Objects.requireNonNull(auth, "auth");
    Objects.requireNonNull(audit, "audit");
    Objects.requireNonNull(tls, "tls");
    ADMIN_LIMITS.check(adminLimits);
    ADMIN_THREADS.check(adminThreads);
    Objects.requireNonNull(drain, "drain");
  }

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
        + ", auth="
        + auth
        + ", audit="
        + audit
        + ", tls="
        + tls
        + ", adminLimits="
        + adminLimits
        + ", adminThreads="
        + adminThreads
        + ", drain="
        + drain
        + "}";
  }

  /**
   * The {@code auth} section: who may call the admin RPC, either the operators of an operators file
   * or, as before operators files, one shared token admitted as operator {@code admin} with role
   * {@code admin}; and the limit on failed authentications per peer address.
   *
   * @param operatorsFile the operators file, when there is one
   * @param sharedToken the shared token, when there is no operators file
   * @param failureBurst failures in a row a peer may have before it is limited
   * @param failureRefill how often a limited peer may fail once more
   */
  public record Auth(
      Optional<Path> operatorsFile,
      Optional<String> sharedToken,
      int failureBurst,
      Duration failureRefill) {
    /** The name the shared token's operator is recorded as. */
    public static final String SHARED_TOKEN_OPERATOR = "admin";

    /**
     * Checks the section.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public Auth {
      if (operatorsFile.isPresent() == sharedToken.isPresent()) {
        throw OPERATORS_FILE.invalid(
            operatorsFile.orElse(null), "exactly one of an operators file and a shared token");
      }
      if (sharedToken.filter(String::isBlank).isPresent()) {
        throw new IllegalArgumentException(
            "auth: the shared token is empty (expected: a token from auth.token-file or"
                + " auth.token-env)");
      }
      FAILURE_BURST.check(failureBurst);
      FAILURE_REFILL.check(failureRefill);
    }

    /** The operators of {@code file}, with the default failure limit. */
    public static Auth operators(Path file) {
      return new Auth(
          Optional.of(file),
          Optional.empty(),
          FAILURE_BURST.defaultValue(),
          FAILURE_REFILL.defaultValue());
    }

    /**
     * The directory of the operators: the file's, reread when it changes, or the shared token's one
     * operator (hashed here, so that no plain token stays in memory past this call).
     *
     * @throws dev.meridian.core.config.ConfigException when the operators file cannot be read
     */
    public OperatorDirectory directory(Ticker ticker) {
      return operatorsFile
          .map(file -> OperatorDirectory.watching(file, ticker))
          .orElseGet(
              () ->
                  OperatorDirectory.fixed(
                      new Operators(
                          List.of(
                              Operator.withToken(
                                  SHARED_TOKEN_OPERATOR,
                                  Role.ADMIN,
                                  TokenHash.of(sharedToken.orElseThrow())))),
                      ticker));
    }

    /** Hides the token. */
    @Override
    public String toString() {
      return "Auth{"
          + operatorsFile.map(file -> "operatorsFile=" + file).orElse("sharedToken=<redacted>")
          + ", failureBurst="
          + failureBurst
          + ", failureRefill="
          + failureRefill
          + "}";
    }
  }

  /**
   * The audit log's file and rotation.
   *
   * @param file the live file
   * @param maxFileBytes the size the file rotates before passing
   * @param keepFiles how many rotated files are kept
   */
  public record Audit(Path file, int maxFileBytes, int keepFiles) {
    /**
     * Checks every value by its key's rule.
     *
     * @throws IllegalArgumentException naming the offending key
     */
    public Audit {
      AUDIT_LOG.check(file);
      AUDIT_MAX_FILE_BYTES.check(maxFileBytes);
      AUDIT_KEEP_FILES.check(keepFiles);
    }

    /** {@code file} with the default rotation. */
    public static Audit of(Path file) {
      return new Audit(file, AUDIT_MAX_FILE_BYTES.defaultValue(), AUDIT_KEEP_FILES.defaultValue());
    }
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
      LeaderLockConfig.checkLockDelay(sessionTtl, lockDelay);
    }

    /**
     * Reads the {@code leader} section; absent keys take their defaults.
     *
     * @throws dev.meridian.core.config.ConfigException naming the file and the offending key
     */
    public static Leader read(ConfigNode leader) {
      Duration sessionTtl = LeaderLockConfig.SESSION_TTL.read(leader);
      Duration lockDelay = LeaderLockConfig.LOCK_DELAY.read(leader);
      if (!LeaderLockConfig.lockDelayCoversStepDown(sessionTtl, lockDelay)) {
        throw leader.invalid(
            "lock-delay", Durations.format(lockDelay), LeaderLockConfig.lockDelayRule(sessionTtl));
      }
      return new Leader(sessionTtl, lockDelay, LeaderLockConfig.RETRY_INTERVAL.read(leader));
    }
  }
}
