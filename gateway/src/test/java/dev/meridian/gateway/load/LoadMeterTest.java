package dev.meridian.gateway.load;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.FakeTicker;
import dev.meridian.registry.LoadReport.RegionLoad;
import java.time.Duration;
import java.util.Map;
import org.junit.jupiter.api.Test;

/** Calls per second and calls in flight from attempt durations, on a fake ticker. */
class LoadMeterTest {
  private final FakeTicker ticker = new FakeTicker();
  private final LoadMeter meter = new LoadMeter(ticker);

  @Test
  void callsPerSecondAndMeanInFlightOverTheWindow() {
    for (int i = 0; i < 50; i++) {
      meter.attemptEnded("fraud-score", "eu-west", Duration.ofMillis(200));
    }
    meter.attemptEnded("fraud-score", "us-east", Duration.ofMillis(500));
    ticker.advance(Duration.ofSeconds(5));

    // 50 attempts of 200 ms in 5 s: 10 calls/s, and 10 s in flight over 5 s is 2 in flight.
    assertThat(meter.takeWindow())
        .isEqualTo(
            Map.of(
                "fraud-score",
                Map.of(
                    "eu-west", new RegionLoad(10, 2),
                    "us-east", new RegionLoad(0.2, 0.1))));
  }

  @Test
  void eachWindowStartsAfreshAndKeepsTheRegionsItHasSeen() {
    meter.attemptEnded("fraud-score", "eu-west", Duration.ofSeconds(1));
    ticker.advance(Duration.ofSeconds(1));
    meter.takeWindow();
    ticker.advance(Duration.ofSeconds(1));

    assertThat(meter.takeWindow())
        .isEqualTo(Map.of("fraud-score", Map.of("eu-west", RegionLoad.NONE)));
  }
}
