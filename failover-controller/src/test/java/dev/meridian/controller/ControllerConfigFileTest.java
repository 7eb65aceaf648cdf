package dev.meridian.controller;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.controller.admin.OperatorDirectory;
import dev.meridian.controller.admin.Role;
import dev.meridian.controller.routing.DrainPolicy;
import dev.meridian.controller.routing.RoutingPolicy;
import dev.meridian.core.Ticker;
import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.config.Setting;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.LeaderLockConfig;
import java.io.StringReader;
import java.net.InetAddress;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ControllerConfigFileTest {
  private static final Map<String, String> ENV =
      Map.of("MERIDIAN_ADMIN_TOKEN", "t0ken", "MERIDIAN_CONSUL_TOKEN", "c0nsul");
  private static final String LOCAL = ListenAddress.DEFAULT_HOST;

  @TempDir Path directory;

  private static ControllerConfig parse(String yaml) {
    return ControllerConfigFile.read(
        ConfigNode.parse(new StringReader(yaml), "controller.yaml"), ENV);
  }

  private static final String MINIMAL =
      "id: ctl-1\nregions: [eu-west, us-east]\nauth: {token-env: MERIDIAN_ADMIN_TOKEN}\n"
          + "consul: {token-env: MERIDIAN_CONSUL_TOKEN}\n"
          + "audit-log: /tmp/audit.jsonl\n";

  /** A valid config built in code, to vary one component at a time. */
  private static ControllerConfig inCode(
      List<String> regions, String controlDatacenter, String adminToken) {
    return new ControllerConfig(
        "ctl-1",
        regions,
        controlDatacenter,
        new ListenAddress(LOCAL, 7400, LOCAL),
        new ListenAddress(LOCAL, 9400, LOCAL),
        ConsulConfig.builder().build(),
        ControllerConfig.Leader.DEFAULTS,
        RoutingPolicy.DEFAULTS,
        new ControllerConfig.Auth(
            Optional.empty(),
            Optional.of(adminToken),
            ControllerSettings.FAILURE_BURST.defaultValue(),
            ControllerSettings.FAILURE_REFILL.defaultValue()),
        ControllerConfig.Audit.of(Path.of("audit.jsonl")),
        Optional.empty(),
        ControllerSettings.ADMIN_LIMITS.defaults(),
        ControllerSettings.ADMIN_THREADS.defaultValue(),
        ControllerSettings.ADMIN_REFLECTION.defaultValue(),
        DrainPolicy.DEFAULTS);
  }

  @Test
  void adminServerLimitsAreReadUnderAdminLimits() {
    ControllerConfig config =
        parse(
            MINIMAL
                + "admin: {limits: {executor-threads: 4, max-inbound-message-bytes: 1024,"
                + " max-connection-idle: 1m}}\n");

    assertThat(config.adminThreads()).isEqualTo(4);
    assertThat(config.adminLimits().maxInboundMessageBytes()).isEqualTo(1024);
    assertThat(config.adminLimits().maxConnectionIdle()).isEqualTo(Duration.ofMinutes(1));
    assertThat(parse(MINIMAL).adminLimits()).isEqualTo(ControllerSettings.ADMIN_LIMITS.defaults());
    assertThat(parse(MINIMAL).adminLimits().maxInboundMessageBytes()).isEqualTo(64 * 1024);
    assertThat(parse(MINIMAL).adminThreads()).isEqualTo(16);
  }

  @Test
  void minimalFileTakesTheDefaults() {
    ControllerConfig config = parse(MINIMAL);

    assertThat(config.id()).isEqualTo("ctl-1");
    assertThat(config.regions()).containsExactly("eu-west", "us-east");
    assertThat(config.controlDatacenter()).isEqualTo("eu-west");
    assertThat(config.admin()).isEqualTo(new ListenAddress(LOCAL, 7400, LOCAL));
    assertThat(config.metrics()).isEqualTo(new ListenAddress(LOCAL, 9400, LOCAL));
    assertThat(config.auth().sharedToken()).hasValue("t0ken");
    assertThat(config.auth().failureBurst()).isEqualTo(10);
    assertThat(config.auth().failureRefill()).isEqualTo(Duration.ofSeconds(6));
    assertThat(config.audit())
        .isEqualTo(new ControllerConfig.Audit(Path.of("/tmp/audit.jsonl"), 64 << 20, 10));
    assertThat(config.consul().token()).contains("c0nsul");
    assertThat(config.leader()).isEqualTo(ControllerConfig.Leader.DEFAULTS);
    assertThat(config.leader().sessionTtl()).isEqualTo(Duration.ofSeconds(15));
    assertThat(config.routing()).isEqualTo(RoutingPolicy.DEFAULTS);
    assertThat(config.routing().drainSteps()).isEqualTo(4);
    assertThat(config.drain()).isEqualTo(DrainPolicy.DEFAULTS);
    assertThat(config.drain().maxUtilisation()).isEqualTo(0.8);
    assertThat(config.toString()).doesNotContain("t0ken").doesNotContain("c0nsul");
  }

  @Test
  void aSharedTokenIsOneOperatorNamedAdminWithRoleAdmin() {
    OperatorDirectory operators = parse(MINIMAL).auth().directory(Ticker.SYSTEM);

    assertThat(operators.byToken("t0ken"))
        .hasValueSatisfying(
            operator -> {
              assertThat(operator.name()).isEqualTo("admin");
              assertThat(operator.role()).isEqualTo(Role.ADMIN);
            });
    assertThat(operators.byToken("t0ken2")).isEmpty();
  }

  @Test
  void everyKeyTheReferenceListsIsReadUnderItsOldName() throws Exception {
    Path token = Files.writeString(directory.resolve("token"), "from-file\n");
    ControllerConfig config =
        parse(
            "id: ctl-2\nregions: [a, b]\ncontrol-datacenter: b\n"
                + "admin: {host: 0.0.0.0, port: 7500, advertise-host: ctl-2.internal}\n"
                + "metrics: {host: 10.0.0.2, port: 9500, advertise-host: metrics.internal}\n"
                + "consul: {host: consul.local, port: 8501, token-env: MERIDIAN_CONSUL_TOKEN,"
                + " max-wait: 30s}\n"
                + "leader: {session-ttl: 20s, lock-delay: 10s, retry-interval: 500ms}\n"
                + "routing: {evaluation-interval: 2s, degraded-below: 0.5, recovery-hold: 1m,"
                + " recovery-ramp: 2m, recovery-steps: 5, drain-ramp: 5m, drain-steps: 10}\n"
                + "drain: {max-utilisation: 0.6, load-refresh: 500ms}\n"
                + "auth: {token-file: "
                + token
                + ", failure-burst: 3, failure-refill: 1m}\naudit-log: /var/log/a.jsonl\n"
                + "audit: {max-file-bytes: 8192, keep-files: 2}\n");

    assertThat(config.id()).isEqualTo("ctl-2");
    assertThat(config.regions()).containsExactly("a", "b");
    assertThat(config.controlDatacenter()).isEqualTo("b");
    assertThat(config.admin()).isEqualTo(new ListenAddress("0.0.0.0", 7500, "ctl-2.internal"));
    assertThat(config.metrics()).isEqualTo(new ListenAddress("10.0.0.2", 9500, "metrics.internal"));
    assertThat(config.consul().host()).isEqualTo("consul.local");
    assertThat(config.consul().port()).isEqualTo(8501);
    assertThat(config.consul().token()).contains("c0nsul");
    assertThat(config.consul().maxWait()).isEqualTo(Duration.ofSeconds(30));
    assertThat(config.leader())
        .isEqualTo(
            new ControllerConfig.Leader(
                Duration.ofSeconds(20), Duration.ofSeconds(10), Duration.ofMillis(500)));
    assertThat(config.routing())
        .isEqualTo(
            new RoutingPolicy(
                Duration.ofSeconds(2),
                0.5,
                Duration.ofMinutes(1),
                Duration.ofMinutes(2),
                5,
                Duration.ofMinutes(5),
                10));
    assertThat(config.drain()).isEqualTo(new DrainPolicy(0.6, Duration.ofMillis(500)));
    assertThat(config.auth())
        .isEqualTo(
            new ControllerConfig.Auth(
                Optional.empty(), Optional.of("from-file"), 3, Duration.ofMinutes(1)));
    assertThat(config.audit())
        .isEqualTo(new ControllerConfig.Audit(Path.of("/var/log/a.jsonl"), 8192, 2));
    assertThat(
            parse(MINIMAL.replace("token-env: MERIDIAN_ADMIN", "token-env: MERIDIAN_CONSUL"))
                .auth()
                .sharedToken())
        .hasValue("c0nsul");
    assertThat(
            parse(
                    MINIMAL.replace(
                        "token-env: MERIDIAN_ADMIN_TOKEN", "operators-file: /etc/operators.yaml"))
                .auth())
        .isEqualTo(ControllerConfig.Auth.operators(Path.of("/etc/operators.yaml")));
  }

  @Test
  void theSchemaDeclaresTheReferenceKeysAndTheMetricsAdvertiseHost() {
    assertThat(ControllerSettings.SCHEMA.role()).isEqualTo("controller");
    assertThat(ControllerSettings.SCHEMA.settings().stream().map(Setting::key))
        .containsExactly(
            "id",
            "regions",
            "control-datacenter",
            "admin.host",
            "admin.port",
            "admin.advertise-host",
            "admin.limits.max-concurrent-calls-per-connection",
            "admin.limits.max-rst-frames-per-window",
            "admin.limits.rst-frames-window",
            "admin.limits.max-connection-age",
            "admin.limits.max-connection-age-grace",
            "admin.limits.max-connection-idle",
            "admin.limits.permit-keepalive-time",
            "admin.limits.permit-keepalive-without-calls",
            "admin.limits.handshake-timeout",
            "admin.limits.max-inbound-message-bytes",
            "admin.limits.max-inbound-metadata-bytes",
            "admin.limits.executor-threads",
            "admin.reflection",
            "metrics.host",
            "metrics.port",
            "metrics.advertise-host",
            "consul.host",
            "consul.port",
            "consul.https",
            "consul.ca-file",
            "consul.tls-server-name",
            "consul.token-env",
            "consul.max-wait",
            "leader.session-ttl",
            "leader.lock-delay",
            "leader.retry-interval",
            "routing.evaluation-interval",
            "routing.degraded-below",
            "routing.recovery-hold",
            "routing.recovery-ramp",
            "routing.recovery-steps",
            "routing.drain-ramp",
            "routing.drain-steps",
            "drain.max-utilisation",
            "drain.load-refresh",
            "auth.operators-file",
            "auth.token-file",
            "auth.token-env",
            "auth.failure-burst",
            "auth.failure-refill",
            "audit-log",
            "audit.max-file-bytes",
            "audit.keep-files",
            "tls.cert",
            "tls.key",
            "tls.ca",
            "tls.refresh");
    assertThat(ControllerSettings.SCHEMA.referenceRows())
        .contains(
            "| controller | `leader.session-ttl` | `15s` | 10s..2m | leader session TTL (renewed"
                + " every TTL/3; steps down after TTL/2 without renewal; at most twice the"
                + " lock-delay) |");
  }

  @Test
  void unknownKeysAreRejectedAtEveryDepth() {
    assertThatThrownBy(() -> parse(MINIMAL + "routing: {drain-stepz: 1}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(
            "controller.yaml: routing.drain-stepz: unknown key (expected one of");
    assertThatThrownBy(() -> parse(MINIMAL + "metrics: {advertise: m}\n"))
        .hasMessage(
            "controller.yaml: metrics.advertise: unknown key"
                + " (expected one of [advertise-host, host, port])");
    assertThatThrownBy(() -> parse(MINIMAL + "lease: {ttl: 10s}\n"))
        .hasMessageStartingWith("controller.yaml: lease: unknown key (expected one of [admin,");
  }

  @Test
  void badValuesNameTheFileAndTheKey() {
    assertThatThrownBy(() -> parse(MINIMAL + "leader: {lock-delay: 2m}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage("controller.yaml: leader.lock-delay: '2m' (expected: 0ms..1m)");
    assertThatThrownBy(() -> parse(MINIMAL + "leader: {session-ttl: 10s, lock-delay: 1s}\n"))
        .isInstanceOf(ConfigException.class)
        .hasMessage(
            "controller.yaml: leader.lock-delay: '1s' (expected: >= leader.session-ttl / 2 = 5s,"
                + " so that a deposed leader has stopped before another takes the lock)");
    assertThatThrownBy(() -> parse(MINIMAL + "routing: {drain-steps: 0}\n"))
        .hasMessage("controller.yaml: routing.drain-steps: 0 (expected: 1..100)");
    assertThatThrownBy(() -> parse(MINIMAL + "routing: {degraded-below: 0}\n"))
        .hasMessage("controller.yaml: routing.degraded-below: 0 (expected: 0.01..1.0)");
    assertThatThrownBy(() -> parse(MINIMAL + "drain: {max-utilisation: 1.5}\n"))
        .hasMessage("controller.yaml: drain.max-utilisation: 1.5 (expected: 0.01..1.0)");
    assertThatThrownBy(() -> parse(MINIMAL + "metrics: {port: 70000}\n"))
        .hasMessage("controller.yaml: metrics.port: 70000 (expected: 0..65535)");
    assertThatThrownBy(() -> parse(MINIMAL + "control-datacenter: mars\n"))
        .hasMessage(
            "controller.yaml: control-datacenter: 'mars' (expected: one of [eu-west, us-east])");
    assertThatThrownBy(() -> parse(MINIMAL.replace("MERIDIAN_ADMIN_TOKEN", "UNSET")))
        .hasMessageContaining("auth.token-env: 'UNSET' (expected: the name of a set");
    assertThatThrownBy(() -> parse(MINIMAL.replace("{token-env: MERIDIAN_ADMIN_TOKEN}", "{}")))
        .hasMessage(
            "controller.yaml: auth.operators-file: null (expected: exactly one of"
                + " auth.operators-file, auth.token-file and auth.token-env)");
    assertThatThrownBy(() -> parse(MINIMAL.replace("id: ctl-1\n", "")))
        .hasMessage("controller.yaml: id: null (expected: a value: the key is required)");
    assertThatThrownBy(() -> parse(MINIMAL.replace("id: ctl-1", "id: 'ctl 1'")))
        .hasMessage(
            "controller.yaml: id: 'ctl 1' (expected: a name of letters, digits, '.', '_', '-')");
    assertThatThrownBy(() -> parse(MINIMAL.replace("[eu-west, us-east]", "[a, a]")))
        .hasMessage(
            "controller.yaml: regions: [a, a] (expected: one or more distinct names of 1 to 128"
                + " letters or digits, with single '.', '_' or '-' between them)");
    assertThatThrownBy(() -> parse(MINIMAL.replace("[eu-west, us-east]", "[eu..west, us-east]")))
        .hasMessageStartingWith("controller.yaml: regions: [eu..west, us-east] (expected: one");
    assertThatThrownBy(() -> parse(MINIMAL.replace("audit-log: /tmp/audit.jsonl\n", "")))
        .hasMessage("controller.yaml: audit-log: null (expected: a value: the key is required)");
  }

  @Test
  void sessionTtlOfZeroFailsTheOneRule() {
    assertThatThrownBy(() -> parse(MINIMAL + "leader: {session-ttl: 0s}\n"))
        .hasMessage("controller.yaml: leader.session-ttl: '0s' (expected: 10s..2m)");
    assertThatThrownBy(() -> parse(MINIMAL + "leader: {session-ttl: 25h}\n"))
        .hasMessage("controller.yaml: leader.session-ttl: '25h' (expected: 10s..2m)");
    assertThatThrownBy(
            () -> new ControllerConfig.Leader(Duration.ZERO, Duration.ZERO, Duration.ofSeconds(1)))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("leader.session-ttl: 0ms (expected: 10s..2m)");
    assertThat(LeaderLockConfig.SESSION_TTL.expected()).isEqualTo("10s..2m");
  }

  @Test
  void configsBuiltInCodeAreCheckedByTheSameRulesAndKeepNoReferenceToTheirInputs() {
    List<String> regions = new ArrayList<>(List.of("a", "b"));
    ControllerConfig config = inCode(regions, "b", "t");
    regions.add("c");

    assertThat(config.regions()).containsExactly("a", "b");
    assertThatThrownBy(() -> inCode(List.of("a"), "b", "t"))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("control-datacenter: 'b' (expected: one of [a])");
    assertThatThrownBy(() -> inCode(List.of("a"), "a", " "))
        .hasMessage(
            "auth: the shared token is empty (expected: a token from auth.token-file or"
                + " auth.token-env)");
    assertThatThrownBy(
            () ->
                new RoutingPolicy(
                    Duration.ZERO, 0.75, Duration.ZERO, Duration.ZERO, 3, Duration.ZERO, 4))
        .hasMessage("routing.evaluation-interval: 0ms (expected: >= 1ms)");
  }

  @Test
  void advertisedHostIsTheBoundHostOrThisMachineNameForAWildcard() throws Exception {
    ControllerConfig bound =
        parse(MINIMAL + "admin: {host: 10.1.2.3}\nmetrics: {host: 10.1.2.4}\n");
    assertThat(bound.admin().advertiseHost()).isEqualTo("10.1.2.3");
    assertThat(bound.metrics().advertiseHost()).isEqualTo("10.1.2.4");

    ControllerConfig wildcard = parse(MINIMAL + "admin: {host: 0.0.0.0}\nmetrics: {host: '::'}\n");
    String machine = InetAddress.getLocalHost().getHostName();
    assertThat(wildcard.admin()).isEqualTo(new ListenAddress("0.0.0.0", 7400, machine));
    assertThat(wildcard.metrics()).isEqualTo(new ListenAddress("::", 9400, machine));
  }
}
