package dev.meridian.gateway.policy;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.event.CircuitBreakerStateChangedEvent;
import java.util.Map;
import java.util.concurrent.ConcurrentHashMap;
import java.util.logging.Logger;

/**
 * Creates, on first use, and keeps the {@link RegionPolicies} of each region, so every call to a
 * region shares its breaker and bulkhead. Breaker transitions are logged as structured lines and
 * reported to a listener. Thread-safe.
 */
public final class RegionPolicyRegistry {
  private static final Logger logger = Logger.getLogger(RegionPolicyRegistry.class.getName());

  /** Hears breaker transitions, for metrics. */
  @FunctionalInterface
  public interface BreakerListener {
    /** Called when {@code region}'s breaker moves to {@code state}. */
    void onStateChange(String region, CircuitBreaker.State state);
  }

  private final PolicyConfig config;
  private final BreakerListener listener;
  private final Map<String, RegionPolicies> regions = new ConcurrentHashMap<>();

  /** Creates the registry. */
  public RegionPolicyRegistry(PolicyConfig config, BreakerListener listener) {
    this.config = config;
    this.listener = listener;
  }

  /** The policies of {@code region}. */
  public RegionPolicies forRegion(String region) {
    return regions.computeIfAbsent(region, this::create);
  }

  private RegionPolicies create(String region) {
    CircuitBreaker<Object> breaker =
        CircuitBreaker.builder()
            .withFailureRateThreshold(
                config.breakerFailureRatePercent(),
                config.breakerMinCalls(),
                config.breakerWindow())
            .withDelay(config.breakerOpenDelay())
            // Half-open lets exactly this many trial calls through; all must succeed to close.
            .withSuccessThreshold(config.breakerTrialCalls())
            .onOpen(event -> transition(region, CircuitBreaker.State.OPEN, event))
            .onHalfOpen(event -> transition(region, CircuitBreaker.State.HALF_OPEN, event))
            .onClose(event -> transition(region, CircuitBreaker.State.CLOSED, event))
            .build();
    Bulkhead<Object> bulkhead = Bulkhead.builder(config.bulkheadMaxConcurrent()).build();
    return new RegionPolicies(
        region, breaker, bulkhead, config.breakerSlowCall(), config.bulkheadMaxWait());
  }

  private void transition(
      String region, CircuitBreaker.State state, CircuitBreakerStateChangedEvent event) {
    logger.info(
        "event=breaker_state_change region="
            + region
            + " from="
            + event.getPreviousState()
            + " to="
            + state);
    listener.onStateChange(region, state);
  }
}
