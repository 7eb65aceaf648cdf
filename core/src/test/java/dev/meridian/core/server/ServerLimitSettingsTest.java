package dev.meridian.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.config.ConfigException;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

class ServerLimitSettingsTest {
  static final ServerLimits DEFAULTS =
      new ServerLimits(
          100,
          200,
          Duration.ofSeconds(1),
          Duration.ofMinutes(30),
          Duration.ofSeconds(30),
          Duration.ZERO,
          Duration.ofSeconds(10),
          true,
          Duration.ofSeconds(20),
          4096,
          8192);

  private static final ServerLimitSettings SETTINGS =
      ServerLimitSettings.under("admin.limits", DEFAULTS);

  @Test
  void keysSitUnderTheSectionTheRoleChose() {
    assertThat(SETTINGS.all())
        .map(Setting::key)
        .contains(
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
            "admin.limits.max-inbound-metadata-bytes")
        .hasSize(11);
  }

  @Test
  void absentKeysTakeTheRolesDefaults() {
    assertThat(SETTINGS.read(ConfigNode.of("test.yaml", Map.of()))).isEqualTo(DEFAULTS);
    assertThat(SETTINGS.defaults()).isEqualTo(DEFAULTS);
  }

  @Test
  void readsEveryKey() {
    ServerLimits read =
        SETTINGS.read(
            ConfigNode.of(
                "test.yaml",
                Map.ofEntries(
                    Map.entry("max-concurrent-calls-per-connection", 7),
                    Map.entry("max-rst-frames-per-window", 9),
                    Map.entry("rst-frames-window", "30s"),
                    Map.entry("max-connection-age", "1h"),
                    Map.entry("max-connection-age-grace", "5s"),
                    Map.entry("max-connection-idle", "10m"),
                    Map.entry("permit-keepalive-time", "1s"),
                    Map.entry("permit-keepalive-without-calls", false),
                    Map.entry("handshake-timeout", "3s"),
                    Map.entry("max-inbound-message-bytes", 1024),
                    Map.entry("max-inbound-metadata-bytes", 2048))));

    assertThat(read)
        .isEqualTo(
            new ServerLimits(
                7,
                9,
                Duration.ofSeconds(30),
                Duration.ofHours(1),
                Duration.ofSeconds(5),
                Duration.ofMinutes(10),
                Duration.ofSeconds(1),
                false,
                Duration.ofSeconds(3),
                1024,
                2048));
  }

  @Test
  void theRstWindowIsWholeSeconds() {
    assertThatThrownBy(
            () -> SETTINGS.read(ConfigNode.of("test.yaml", Map.of("rst-frames-window", "1500ms"))))
        .isInstanceOf(ConfigException.class)
        .hasMessageContaining("rst-frames-window: '1500ms' (expected: whole seconds, 1s..1h)");
  }

  @Test
  void checkNamesTheKeyOfABadValueBuiltInCode() {
    ServerLimits bad =
        new ServerLimits(
            0,
            200,
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            true,
            Duration.ofSeconds(1),
            1,
            1);

    assertThatThrownBy(() -> SETTINGS.check(bad))
        .isInstanceOf(IllegalArgumentException.class)
        .hasMessage("admin.limits.max-concurrent-calls-per-connection: 0 (expected: >= 1)");
  }

  @Test
  void badDefaultsFailWhenTheRoleDeclaresThem() {
    ServerLimits badDefaults =
        new ServerLimits(
            1,
            -1,
            Duration.ofSeconds(1),
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            Duration.ZERO,
            true,
            Duration.ofSeconds(1),
            1,
            1);

    assertThatThrownBy(() -> ServerLimitSettings.under("limits", badDefaults))
        .hasMessageStartingWith("limits.max-rst-frames-per-window: -1");
  }
}
