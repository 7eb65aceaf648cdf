package dev.meridian.agent.faults;

import dev.meridian.agent.features.FeatureStore;
import dev.meridian.agent.features.FeatureStoreException;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.LockSupport;

/**
 * A feature store whose reads obey the replica's injected faults: failing at once while the store
 * is set as failed, going unanswered for the read's whole timeout while it is set as frozen, as the
 * real store would if it were down or stalled. Wraps Redis and the embedded store alike, so that
 * the demo without Redis has the same fault controls.
 */
public final class FaultInjectingStore implements FeatureStore {
  private final FeatureStore store;
  private final FaultInjector faults;

  /** {@code store}, subject to {@code faults}. */
  public FaultInjectingStore(FeatureStore store, FaultInjector faults) {
    this.store = store;
    this.faults = faults;
  }

  @Override
  public String name() {
    return store.name();
  }

  @Override
  public List<Map<String, String>> read(List<String> keys, List<String> fields, Duration timeout)
      throws FeatureStoreException {
    FaultSettings settings = faults.settings();
    if (settings.failedStores().contains(store.name())) {
      throw new FeatureStoreException(store.name() + " is down (fault injected)", null);
    }
    if (settings.frozenStores().contains(store.name())) {
      // The injected fault itself: a frozen store holds the read until the caller gives up.
      LockSupport.parkNanos(timeout.toNanos());
      throw new FeatureStoreException(
          store.name() + " did not answer within " + timeout.toMillis() + "ms (fault injected)",
          null);
    }
    return store.read(keys, fields, timeout);
  }

  @Override
  public void close() {
    store.close();
  }
}
