package dev.meridian.gateway.outlier;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.gateway.outlier.OutlierDetector.Cause;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class OutlierDetectorTest {
  private static final List<String> REGION = List.of("a", "b", "c", "d");

  private final FakeTicker ticker = new FakeTicker();
  private final List<String> ejections = new ArrayList<>();
  private final OutlierConfig config =
      new OutlierConfig(
          3,
          Duration.ofSeconds(2),
          Duration.ofSeconds(7),
          50,
          Duration.ofMillis(500),
          Duration.ofSeconds(1));
  private final OutlierDetector detector =
      new OutlierDetector(config, ticker, (replica, cause) -> ejections.add(replica + " " + cause));

  private void fail(String replica, int times) {
    for (int i = 0; i < times; i++) {
      detector.failed(replica, REGION);
    }
  }

  @Test
  void failuresInARowEjectForTheBaseTimeAndAnAnswerResetsTheCount() {
    fail("a", 2);
    detector.answered("a");
    fail("a", 2);
    assertThat(detector.isEjected("a")).as("never three in a row").isFalse();

    fail("a", 1);
    assertThat(detector.isEjected("a")).isTrue();
    assertThat(ejections).containsExactly("a CONSECUTIVE_FAILURES");

    ticker.advance(Duration.ofMillis(1999));
    assertThat(detector.isEjected("a")).isTrue();
    ticker.advance(Duration.ofMillis(1));
    assertThat(detector.isEjected("a")).isFalse();
  }

  @Test
  void eachEjectionInARowLastsLongerUpToTheMaximum() {
    fail("a", 3);
    ticker.advance(Duration.ofSeconds(2));
    fail("a", 3);
    assertThat(detector.isEjected("a")).isTrue();
    ticker.advance(Duration.ofMillis(3999));
    assertThat(detector.isEjected("a")).as("second ejection: 2 x 2 s").isTrue();
    ticker.advance(Duration.ofMillis(1));
    fail("a", 3);
    ticker.advance(Duration.ofMillis(6999));
    assertThat(detector.isEjected("a")).as("third: 3 x 2 s = 6 s, capped at 7 s").isFalse();

    fail("a", 3);
    ticker.advance(Duration.ofMillis(6999));
    assertThat(detector.isEjected("a")).as("fourth: 8 s, capped at 7 s").isTrue();
    ticker.advance(Duration.ofMillis(1));
    assertThat(detector.isEjected("a")).isFalse();

    ticker.advance(Duration.ofSeconds(8)); // longer in service than the longest ejection
    fail("a", 3);
    ticker.advance(Duration.ofSeconds(2));
    assertThat(detector.isEjected("a")).as("the streak was forgotten").isFalse();
  }

  @Test
  void failedAttemptsNeverEjectMoreThanTheShareOfARegion() {
    fail("a", 3);
    fail("b", 3);
    fail("c", 3);

    assertThat(detector.isEjected("a")).isTrue();
    assertThat(detector.isEjected("b")).isTrue();
    assertThat(detector.isEjected("c")).as("a third of four would be 75% > 50%").isFalse();

    detector.eject("c", Cause.CONNECT_FAILURE);
    assertThat(detector.isEjected("c"))
        .as("a refused connection is a fact, not an opinion")
        .isTrue();
  }

  @Test
  void anUnresponsiveReplicaStaysOutUntilItAnswersAgain() {
    detector.eject("a", Cause.UNRESPONSIVE);
    ticker.advance(Duration.ofMinutes(10));
    assertThat(detector.isEjected("a")).isTrue();

    detector.recovered("a", Cause.CONNECT_FAILURE);
    assertThat(detector.isEjected("a")).as("recovering from another cause").isTrue();
    detector.recovered("a", Cause.UNRESPONSIVE);
    assertThat(detector.isEjected("a")).isFalse();
    assertThat(ejections).containsExactly("a UNRESPONSIVE");
  }

  @Test
  void aHealthyLivenessCheckDoesNotReadmitAReplicaThatFailsItsCalls() {
    fail("a", 3);
    detector.recovered("a", Cause.UNRESPONSIVE);
    assertThat(detector.isEjected("a")).isTrue();
    detector.answered("a");
    assertThat(detector.isEjected("a")).as("a real answer readmits it").isFalse();
  }

  @Test
  void ejectingAnEjectedReplicaIsReportedOnce() {
    detector.eject("a", Cause.CONNECT_FAILURE);
    detector.eject("a", Cause.CONNECT_FAILURE);
    fail("a", 5);
    assertThat(ejections).containsExactly("a CONNECT_FAILURE");
  }
}
