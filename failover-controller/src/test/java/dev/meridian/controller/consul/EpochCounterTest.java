package dev.meridian.controller.consul;

import static dev.meridian.controller.ConsulFixture.EU;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.controller.ConsulFixture;
import dev.meridian.registry.MeridianLayout;
import java.time.Instant;
import java.time.InstantSource;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** Leader epochs only grow: above the counter, what was seen, and the time, whatever was lost. */
class EpochCounterTest {
  private final ConsulFixture fixture = new ConsulFixture();
  private final List<String> rejected = new CopyOnWriteArrayList<>();
  private final InstantSource clock = InstantSource.fixed(Instant.ofEpochSecond(1_000));
  private final EpochCounter epochs =
      new EpochCounter(fixture.registry(EU), EU, clock, rejected::add);

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void eachEpochIsAboveTheCounterWhatWasSeenAndTheTime() {
    assertThat(epochs.next(5)).hasValue(1_001);
    assertThat(epochs.next(0)).as("the counter").hasValue(1_002);
    assertThat(epochs.next(5_000)).as("a higher epoch seen in KV").hasValue(5_001);
  }

  @Test
  void aLostCounterRestartsAboveTheTimeNotAtOne() {
    assertThat(epochs.next(0)).hasValue(1_001);
    fixture.loseKv(EU);

    assertThat(epochs.next(1)).hasValue(1_001);
  }

  @Test
  void aCounterThatIsNoNumberIsReportedAndReplaced() {
    fixture.registry(EU).kv().put(MeridianLayout.EPOCH_KEY, "banana", EU);

    assertThat(epochs.next(0)).hasValue(1_001);
    assertThat(rejected)
        .containsExactly("meridian/controller/epoch in eu-west: 'banana' is no epoch");
    assertThat(fixture.registry(EU).kv().get(MeridianLayout.EPOCH_KEY, EU, 0).value())
        .hasValueSatisfying(entry -> assertThat(entry.value()).isEqualTo("1001"));
  }
}
