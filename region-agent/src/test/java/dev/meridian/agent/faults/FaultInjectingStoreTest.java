package dev.meridian.agent.faults;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.agent.features.FeatureKeys;
import dev.meridian.agent.features.FeatureStoreException;
import dev.meridian.agent.features.MemoryFeatureStore;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Random;
import org.junit.jupiter.api.Test;

class FaultInjectingStoreTest {
  private static final String KEY = FeatureKeys.key("card_id", "c-1");

  private final FaultInjector faults = new FaultInjector(new Random(1));
  private final MemoryFeatureStore embedded = new MemoryFeatureStore("primary");
  private final FaultInjectingStore store = new FaultInjectingStore(embedded, faults);

  private List<Map<String, String>> read() throws FeatureStoreException {
    return store.read(List.of(KEY), List.of("amount"), Duration.ofMillis(5));
  }

  @Test
  void readsFailWhileTheStoreIsSetFailedOrFrozenAndWorkOnceCleared() throws Exception {
    embedded.put(KEY, Map.of("amount", "7"));

    faults.set(
        FaultSettings.from(
            SetFaultsRequest.newBuilder().addFailedFeatureStores("primary").build()));
    assertThatThrownBy(this::read).hasMessage("primary is down (fault injected)");
    faults.set(
        FaultSettings.from(
            SetFaultsRequest.newBuilder().addFrozenFeatureStores("primary").build()));
    assertThatThrownBy(this::read).hasMessage("primary did not answer within 5ms (fault injected)");
    faults.set(
        FaultSettings.from(
            SetFaultsRequest.newBuilder().addFailedFeatureStores("replica").build()));
    assertThat(read()).containsExactly(Map.of("amount", "7"));
    faults.set(FaultSettings.NONE);
    assertThat(read()).containsExactly(Map.of("amount", "7"));
  }

  @Test
  void anUnknownStoreIsAnInvalidArgumentAndTheStateListsTheStores() {
    assertThatThrownBy(
            () ->
                FaultSettings.from(
                    SetFaultsRequest.newBuilder().addFrozenFeatureStores("cache").build()))
        .isInstanceOf(StatusRuntimeException.class)
        .hasMessage(
            "INVALID_ARGUMENT: frozen_feature_stores: 'cache' (expected: [primary, replica])");
    assertThat(
            FaultSettings.from(
                    SetFaultsRequest.newBuilder()
                        .addFailedFeatureStores("replica")
                        .addFailedFeatureStores("primary")
                        .build())
                .toState("r-0")
                .getFailedFeatureStoresList())
        .containsExactly("primary", "replica");
  }
}
