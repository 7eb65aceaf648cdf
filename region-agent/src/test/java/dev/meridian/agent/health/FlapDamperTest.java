package dev.meridian.agent.health;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class FlapDamperTest {
  private static final CheckUpdate GOOD = new CheckUpdate(HealthStatus.PASSING, "ok");
  private static final CheckUpdate SLOW = new CheckUpdate(HealthStatus.WARNING, "slow");
  private static final CheckUpdate BAD = CheckUpdate.critical("failed");

  private final FlapDamper damper = new FlapDamper(3, 2);

  @Test
  void startsCriticalAndPassesOnlyAfterEnoughGoodProbes() {
    assertThat(damper.record(GOOD))
        .isEqualTo(CheckUpdate.critical("ok (1 of 3 good probes to passing)"));
    assertThat(damper.record(GOOD).status()).isEqualTo(HealthStatus.CRITICAL);
    assertThat(damper.record(GOOD)).isEqualTo(GOOD);
  }

  @Test
  void oneFailureDoesNotFlipAPassingCheck() {
    damper.record(GOOD);
    damper.record(GOOD);
    damper.record(GOOD);

    assertThat(damper.record(BAD))
        .isEqualTo(
            new CheckUpdate(HealthStatus.PASSING, "failed (1 of 2 failed probes to critical)"));
    assertThat(damper.record(GOOD)).isEqualTo(GOOD);
    damper.record(BAD);
    assertThat(damper.record(BAD)).isEqualTo(BAD);
  }

  @Test
  void aFailureInTheMiddleRestartsTheSuccessStreak() {
    damper.record(GOOD);
    damper.record(GOOD);
    damper.record(BAD);
    damper.record(GOOD);
    damper.record(GOOD);
    assertThat(damper.record(GOOD).status()).isEqualTo(HealthStatus.PASSING);
  }

  @Test
  void warningsCountAsSuccessesAndAreReportedAsWarnings() {
    damper.record(SLOW);
    damper.record(SLOW);
    assertThat(damper.record(SLOW)).isEqualTo(SLOW);
    assertThat(damper.record(GOOD)).isEqualTo(GOOD);
  }

  @Test
  void resetReturnsToCritical() {
    damper.record(GOOD);
    damper.record(GOOD);
    damper.record(GOOD);
    damper.reset();
    assertThat(damper.record(GOOD).status()).isEqualTo(HealthStatus.CRITICAL);
  }
}
