package dev.meridian.agent.launch;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.faults.AdminToken;
import dev.meridian.agent.faults.FaultInjectingModel;
import dev.meridian.agent.faults.FaultInjectingStore;
import dev.meridian.agent.faults.FaultInjectionService;
import dev.meridian.agent.faults.FaultInjector;
import dev.meridian.agent.faults.FaultsListener;
import dev.meridian.agent.features.FeatureCache;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureLookup;
import dev.meridian.agent.features.FeatureMetrics;
import dev.meridian.agent.features.FeatureStore;
import dev.meridian.agent.features.FeatureStoreConfig;
import dev.meridian.agent.features.FeatureStores;
import dev.meridian.agent.features.FeatureWarmUp;
import dev.meridian.agent.model.LinearModelLoader;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.agent.replica.ServingRules;
import dev.meridian.core.Ticker;
import dev.meridian.core.tracing.Tracing;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import java.nio.file.Path;
import java.time.Clock;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Brings a replica up from its {@link ReplicaSpec}, the same way in a child process and in the
 * agent's: loads the fallback model first (so it is ready before the replica is), then the primary,
 * serving the fallback in its place if the primary fails to load; then starts the {@link
 * ReplicaServer}, and the {@link FaultsListener} when the spec turns faults on, and warms it up
 * ({@link ReplicaWarmUp}) before it reports ready.
 */
public final class ReplicaBootstrap implements AutoCloseable {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaBootstrap.class);

  /** Feature lookups run at start per warm-up request: a lookup is far cheaper than a call. */
  private static final int FEATURE_WARM_UP_PER_REQUEST = 10;

  private final ReplicaServer server;
  private final Optional<FaultsListener> faults;
  private final List<Runnable> releases;
  private final ReplicaReady ready;

  private ReplicaBootstrap(
      ReplicaServer server,
      Optional<FaultsListener> faults,
      List<Runnable> releases,
      ReplicaReady ready) {
    this.server = server;
    this.faults = faults;
    this.releases = releases;
    this.ready = ready;
  }

  /**
   * Loads the models, starts serving and warms up.
   *
   * @param metricsPort reported in {@link ReplicaReady#metricsPort()}
   * @param crash what fault injection's {@code Crash} does
   * @throws ModelLoadException when neither the primary nor a fallback can serve
   * @throws IllegalStateException when a warm-up call fails
   */
  public static ReplicaBootstrap start(
      ReplicaSpec spec, MetricRegistry registry, Ticker ticker, int metricsPort, Runnable crash)
      throws ModelLoadException {
    List<Runnable> loaded = new ArrayList<>();
    try {
      FaultInjector faults = new FaultInjector(ThreadLocalRandom.current());
      Optional<AdminToken> token = spec.faultsToken().map(AdminToken::read);
      ServedModel served =
          withFeatures(
              spec, load(spec, loaded), registry, ticker, token.map(admin -> faults), loaded);
      if (token.isPresent()) {
        served =
            served.answeredBy(
                new FaultInjectingModel(served.answering(), faults, spec.replicaId()));
      }
      ReplicaServer server =
          ReplicaServer.builder(spec.identity())
              .model(served)
              .host(spec.host())
              .tls(spec.tlsFiles())
              .port(spec.port())
              .maxConcurrentCalls(spec.maxConcurrentCalls())
              .drainTimeout(spec.drainTimeout())
              .limits(spec.limits())
              .metrics(registry, ticker)
              .tracing(tracing(spec))
              .reflection(spec.reflection())
              .start();
      Optional<FaultsListener> listener = Optional.empty();
      try {
        listener =
            token.map(
                admin ->
                    FaultsListener.start(
                        spec.host(),
                        server.security(),
                        spec.limits(),
                        new FaultInjectionService(spec.replicaId(), faults, crash),
                        admin,
                        spec.reflection()));
        ReplicaWarmUp.run(
            server, spec.advertiseHost(), spec.warmUpRequests(), spec.startTimeout(), ticker);
      } catch (RuntimeException e) {
        listener.ifPresent(FaultsListener::close);
        server.abort();
        throw e;
      }
      ReplicaReady ready =
          new ReplicaReady(
              server.port(),
              metricsPort,
              listener.map(FaultsListener::port).orElse(0),
              served.answering().name(),
              served.answering().version(),
              served.fallbackNote().orElse(""),
              served.answering().signature().inputs());
      return new ReplicaBootstrap(server, listener, loaded, ready);
    } catch (ModelLoadException | RuntimeException e) {
      loaded.forEach(Runnable::run);
      throw e;
    }
  }

  /** The replica's tracing, its spans naming its region, its ID and its model. */
  private static Tracing tracing(ReplicaSpec spec) {
    return Tracing.of(
        spec.tracingConfig(),
        "meridian-replica",
        Attributes.of(
            AttributeKey.stringKey("meridian.region"),
            spec.region(),
            AttributeKey.stringKey("service.instance.id"),
            spec.replicaId(),
            AttributeKey.stringKey("meridian.model"),
            spec.modelName()));
  }

  private static ServedModel load(ReplicaSpec spec, List<Runnable> loaded)
      throws ModelLoadException {
    Optional<Path> fallbackFile = spec.fallback();
    Model fallback = null;
    if (fallbackFile.isPresent()) {
      fallback = LinearModelLoader.load(fallbackFile.get());
      loaded.add(fallback::close);
    }
    try {
      Model primary =
          spec.modelType().load(Path.of(spec.modelPath()), spec.modelName(), spec.modelVersion());
      loaded.add(primary::close);
      Optional<Model> standIn = Optional.ofNullable(fallback);
      return ServedModel.primary(spec.modelType(), primary)
          .withRules(
              new ServingRules(
                  Optional.empty(),
                  spec.confidenceRule(),
                  spec.confidenceRule().flatMap(rule -> standIn)));
    } catch (ModelLoadException e) {
      if (fallback == null) {
        throw e;
      }
      logger
          .atWarn()
          .addKeyValue("replica", spec.replicaId())
          .addKeyValue("reason", String.valueOf(e))
          .log("primary model failed to load, serving the fallback");
      return ServedModel.fallback(spec.modelName(), spec.modelVersion(), fallback, e.getMessage());
    }
  }

  /**
   * {@code served} with its feature lookup, when the spec gives it a feature input: the stores are
   * opened (and released with the models), subject to injected faults when fault injection is on,
   * one cache serves the process, and the path is warmed ({@link FeatureWarmUp}) before the replica
   * serves.
   */
  private static ServedModel withFeatures(
      ReplicaSpec spec,
      ServedModel served,
      MetricRegistry registry,
      Ticker ticker,
      Optional<FaultInjector> faults,
      List<Runnable> loaded) {
    Optional<FeatureInputs> inputs = spec.featureInputs();
    if (inputs.isEmpty()) {
      return served;
    }
    FeatureStoreConfig config = spec.featureStore();
    Clock clock = Clock.systemUTC();
    List<FeatureStore> stores =
        FeatureStores.open(config, clock).stream()
            .map(
                store ->
                    faults
                        .<FeatureStore>map(injector -> new FaultInjectingStore(store, injector))
                        .orElse(store))
            .toList();
    stores.forEach(store -> loaded.add(store::close));
    FeatureLookup lookup =
        new FeatureLookup(
            spec.modelName(),
            inputs.get(),
            stores,
            new FeatureCache(config.cacheEntities()),
            config.lookupTimeout(),
            clock,
            ticker,
            new FeatureMetrics(registry, spec.modelName(), inputs.get()));
    int warmed =
        FeatureWarmUp.run(
            stores,
            inputs.get(),
            config.lookupTimeout(),
            spec.warmUpRequests() * FEATURE_WARM_UP_PER_REQUEST);
    logger
        .atInfo()
        .addKeyValue("replica", spec.replicaId())
        .addKeyValue("lookups", warmed)
        .log("feature path warmed");
    ServingRules rules = served.rules();
    return served.withRules(
        new ServingRules(Optional.of(lookup), rules.confidence(), rules.fallback()));
  }

  /** What the replica reports now that it serves. */
  public ReplicaReady ready() {
    return ready;
  }

  /** Stops the server at once, failing in-flight calls as a crash would, and frees the models. */
  public void abort() {
    faults.ifPresent(FaultsListener::close);
    server.abort();
    releases.forEach(Runnable::run);
  }

  /** Stops the server gracefully, then frees the models. */
  @Override
  public void close() {
    faults.ifPresent(FaultsListener::close);
    server.close();
    releases.forEach(Runnable::run);
  }
}
