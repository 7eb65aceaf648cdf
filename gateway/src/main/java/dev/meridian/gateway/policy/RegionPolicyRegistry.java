package dev.meridian.gateway.policy;

import dev.failsafe.Bulkhead;
import dev.failsafe.CircuitBreaker;
import dev.failsafe.event.CircuitBreakerStateChangedEvent;
import dev.meridian.core.Ticker;
import java.util.Comparator;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.concurrent.ConcurrentHashMap;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates, on first use, and keeps the {@link RegionPolicies} of each region and model, so every
 * call of a model to a region shares its breaker, and every call to a region its bulkhead. Breaker
 * transitions are logged as structured lines and reported to a listener. Thread-safe.
 */
public final class RegionPolicyRegistry {
  private static final Logger logger = LoggerFactory.getLogger(RegionPolicyRegistry.class);

  /** Hears breaker transitions, for metrics. */
  @FunctionalInterface
  public interface BreakerListener {
    /** Called when the breaker of {@code model} in {@code region} moves to {@code state}. */
    void onStateChange(String region, String model, CircuitBreaker.State state);
  }

  private final PolicyConfig config;
  private final BreakerListener listener;
  private final Ticker ticker;
  private final Map<String, Bulkhead<Object>> bulkheads = new ConcurrentHashMap<>();
  private final Map<Route, RegionPolicies> routes = new ConcurrentHashMap<>();

  /** Creates the registry; latency is measured on {@code ticker}. */
  public RegionPolicyRegistry(PolicyConfig config, BreakerListener listener, Ticker ticker) {
    this.config = config;
    this.listener = listener;
    this.ticker = ticker;
  }

  /**
   * One breaker of this gateway.
   *
   * @param region the region its calls go to
   * @param model the model they are for
   * @param state its state now
   */
  public record Breaker(String region, String model, CircuitBreaker.State state) {
    /** The states of {@code breakers} by model, then region: {@code CLOSED}, {@code OPEN}... */
    public static Map<String, Map<String, String>> statesByModel(List<Breaker> breakers) {
      Map<String, Map<String, String>> states = new TreeMap<>();
      for (Breaker breaker : breakers) {
        states
            .computeIfAbsent(breaker.model(), model -> new TreeMap<>())
            .put(breaker.region(), breaker.state().name());
      }
      return states;
    }
  }

  /** Every breaker made so far (on a route's first call), in region then model order. */
  public List<Breaker> breakers() {
    return routes.entrySet().stream()
        .map(
            route ->
                new Breaker(
                    route.getKey().region(),
                    route.getKey().model(),
                    route.getValue().breaker().getState()))
        .sorted(Comparator.comparing(Breaker::region).thenComparing(Breaker::model))
        .toList();
  }

  /** The policies of {@code model} in {@code region}. */
  public RegionPolicies forRoute(String region, String model) {
    return routes.computeIfAbsent(new Route(region, model), this::create);
  }

  private RegionPolicies create(Route route) {
    CircuitBreaker<Object> breaker =
        CircuitBreaker.builder()
            .withFailureRateThreshold(
                config.breakerFailureRatePercent(),
                config.breakerMinCalls(),
                config.breakerWindow())
            .withDelay(config.breakerOpenDelay())
            // Half-open lets exactly this many trial calls through; all must succeed to close.
            .withSuccessThreshold(config.breakerTrialCalls())
            .onOpen(event -> transition(route, CircuitBreaker.State.OPEN, event))
            .onHalfOpen(event -> transition(route, CircuitBreaker.State.HALF_OPEN, event))
            .onClose(event -> transition(route, CircuitBreaker.State.CLOSED, event))
            .build();
    Bulkhead<Object> bulkhead =
        bulkheads.computeIfAbsent(
            route.region(), region -> Bulkhead.builder(config.bulkheadMaxConcurrent()).build());
    return new RegionPolicies(
        route.region(),
        route.model(),
        breaker,
        bulkhead,
        config,
        new LatencyTracker(config.latencyWindow(), ticker));
  }

  private void transition(
      Route route, CircuitBreaker.State state, CircuitBreakerStateChangedEvent event) {
    logger
        .atInfo()
        .addKeyValue("event", "breaker_state_change")
        .addKeyValue("region", route.region())
        .addKeyValue("model", route.model())
        .addKeyValue("from", String.valueOf(event.getPreviousState()))
        .addKeyValue("to", String.valueOf(state))
        .log("breaker state change");
    listener.onStateChange(route.region(), route.model(), state);
  }

  /** A model in a region. */
  private record Route(String region, String model) {}
}
