package dev.meridian.controller;

import dev.meridian.controller.routing.DrainPolicy;
import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.ResourceNames;
import dev.meridian.core.config.ConfigSchema;
import dev.meridian.core.config.ListenerSettings;
import dev.meridian.core.config.Setting;
import dev.meridian.core.server.ServerLimitSettings;
import dev.meridian.core.server.ServerLimits;
import dev.meridian.core.tls.TlsSettings;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.LeaderLockConfig;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashSet;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Every key of the failover controller's config file, each stated once as a {@link Setting}: its
 * type, the values it accepts, its default and what it means. {@link ControllerConfigFile} reads
 * through them, {@link ControllerConfig} checks values built in code through them, and the README's
 * reference rows for the controller are generated from {@link #SCHEMA}.
 */
public final class ControllerSettings {
  private static final Pattern NAME = Pattern.compile("[a-zA-Z0-9_.-]+");
  private static final String NAME_TEXT = "letters, digits, '.', '_', '-'";

  /** {@code id}. */
  public static final Setting<String> ID =
      Setting.text("id")
          .required()
          .allowing(id -> NAME.matcher(id).matches(), "a name of " + NAME_TEXT)
          .means("controller name, recorded in tables as `computed_by`");

  /** {@code regions}. */
  public static final Setting<List<String>> REGIONS =
      Setting.texts("regions")
          .required()
          .allowing(
              ControllerSettings::distinctNames,
              "one or more distinct names of " + ResourceNames.RULE)
          .means("the regions (Consul datacenters)");

  /** {@code control-datacenter}; must be one of {@link #REGIONS}. */
  public static final Setting<String> CONTROL_DATACENTER =
      Setting.text("control-datacenter")
          .derivedWhenAbsent("first region")
          .means("holds the leader lock and the drain records");

  /**
   * {@code admin.host}, {@code admin.port}, {@code admin.advertise-host}: the advertised host with
   * the bound port is this controller's candidate id in the leader lock, which standbys name.
   */
  public static final ListenerSettings ADMIN =
      ListenerSettings.of("admin", 7400, "the admin server");

  /**
   * {@code admin.limits.*}: what the admin server tolerates from its clients, operators and their
   * tools. Small calls (64 KiB), few at a time per connection, and no age limit, since {@code
   * WatchRoutingTables} streams stay open for as long as their watchers run.
   */
  public static final ServerLimitSettings ADMIN_LIMITS =
      ServerLimitSettings.under(
          "admin.limits",
          new ServerLimits(
              100,
              100,
              Duration.ofSeconds(1),
              Duration.ZERO,
              Duration.ofSeconds(30),
              Duration.ofMinutes(15),
              Duration.ofMinutes(1),
              false,
              Duration.ofSeconds(10),
              64 * 1024,
              8 * 1024));

  /** {@code admin.reflection}. */
  public static final Setting<Boolean> ADMIN_REFLECTION =
      Setting.flag("admin.reflection")
          .withDefault(false)
          .means(
              "gRPC server reflection and channelz on the admin port, for grpcurl and grpcdebug"
                  + " (the admin calls still need credentials)");

  /** {@code admin.limits.executor-threads}. */
  public static final Setting<Integer> ADMIN_THREADS =
      Setting.integer("admin.limits.executor-threads", 1, 1024)
          .withDefault(16)
          .means(
              "threads admin calls run on (each may wait up to 10 s for the controller); more"
                  + " calls wait their turn");

  /** {@code metrics.host}, {@code metrics.port}, {@code metrics.advertise-host}. */
  public static final ListenerSettings METRICS =
      ListenerSettings.of("metrics", 9400, "the `/metrics` server");

  /** {@code auth.operators-file}; exactly one of it, {@link #TOKEN_FILE}, {@link #TOKEN_ENV}. */
  public static final Setting<Path> OPERATORS_FILE =
      Setting.path("auth.operators-file")
          .derivedWhenAbsent("this, `auth.token-file` or `auth.token-env` required")
          .means(
              "the operators file (names, roles, token hashes or certificate CNs), reread when it"
                  + " changes");

  /** {@code auth.token-file}; exactly one of it, {@link #TOKEN_ENV}, {@link #OPERATORS_FILE}. */
  public static final Setting<Path> TOKEN_FILE =
      Setting.path("auth.token-file")
          .derivedWhenAbsent("this, `auth.token-env` or `auth.operators-file` required")
          .means("file holding one shared token, admitted as operator `admin` with role admin");

  /** {@code auth.token-env}; exactly one of it, {@link #TOKEN_FILE}, {@link #OPERATORS_FILE}. */
  public static final Setting<String> TOKEN_ENV =
      Setting.text("auth.token-env")
          .derivedWhenAbsent("this, `auth.token-file` or `auth.operators-file` required")
          .means("environment variable holding one shared token, as `auth.token-file`");

  /** {@code auth.failure-burst}. */
  public static final Setting<Integer> FAILURE_BURST =
      Setting.integer("auth.failure-burst", 1, 1000)
          .withDefault(10)
          .means("failed authentications in a row a peer address may have before it is limited");

  /** {@code auth.failure-refill}. */
  public static final Setting<Duration> FAILURE_REFILL =
      Setting.duration("auth.failure-refill", Duration.ofMillis(1), Duration.ofHours(1))
          .withDefault(Duration.ofSeconds(6))
          .means(
              "a limited peer may fail once more per this long; until then its calls get"
                  + " RESOURCE_EXHAUSTED");

  /** {@code audit-log}. */
  public static final Setting<Path> AUDIT_LOG =
      Setting.path("audit-log")
          .required()
          .means("the audit file (JSON lines, hash-chained; `meridian audit verify` checks it)");

  /** {@code audit.max-file-bytes}. */
  public static final Setting<Integer> AUDIT_MAX_FILE_BYTES =
      Setting.integer("audit.max-file-bytes", 4096, Integer.MAX_VALUE)
          .withDefault(64 * 1024 * 1024)
          .means("the audit file rotates (to `<audit-log>.1`, ...) before it grows past this");

  /** {@code audit.keep-files}. */
  public static final Setting<Integer> AUDIT_KEEP_FILES =
      Setting.integer("audit.keep-files", 1, 1000)
          .withDefault(10)
          .means("rotated audit files kept; the oldest beyond them is deleted");

  /** The controller's file: every key above, then the shared and section keys, in file order. */
  public static final ConfigSchema SCHEMA =
      new ConfigSchema(
          "controller",
          Setting.all(
              List.of(ID, REGIONS, CONTROL_DATACENTER),
              ADMIN.all(),
              ADMIN_LIMITS.all(),
              List.of(ADMIN_THREADS, ADMIN_REFLECTION),
              METRICS.all(),
              ConsulConfig.SETTINGS,
              LeaderLockConfig.SETTINGS,
              RoutingPolicy.SETTINGS,
              DrainPolicy.SETTINGS,
              List.of(
                  OPERATORS_FILE,
                  TOKEN_FILE,
                  TOKEN_ENV,
                  FAILURE_BURST,
                  FAILURE_REFILL,
                  AUDIT_LOG,
                  AUDIT_MAX_FILE_BYTES,
                  AUDIT_KEEP_FILES),
              TlsSettings.SETTINGS));

  private ControllerSettings() {}

  private static boolean distinctNames(List<String> names) {
    return !names.isEmpty()
        && names.stream().allMatch(ResourceNames::isValid)
        && new HashSet<>(names).size() == names.size();
  }
}
