package dev.meridian.agent.launch;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.faults.AdminToken;
import dev.meridian.agent.faults.FaultInjectingModel;
import dev.meridian.agent.faults.FaultInjectionService;
import dev.meridian.agent.faults.FaultInjector;
import dev.meridian.agent.faults.FaultsListener;
import dev.meridian.agent.model.LinearModelLoader;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.replica.ReplicaServer;
import dev.meridian.agent.replica.ServedModel;
import dev.meridian.core.Ticker;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ThreadLocalRandom;
import java.util.logging.Logger;

/**
 * Brings a replica up from its {@link ReplicaSpec}, the same way in a child process and in the
 * agent's: loads the fallback model first (so it is ready before the replica is), then the primary,
 * serving the fallback in its place if the primary fails to load; then starts the {@link
 * ReplicaServer}, and the {@link FaultsListener} when the spec turns faults on, and warms it up
 * ({@link ReplicaWarmUp}) before it reports ready.
 */
public final class ReplicaBootstrap implements AutoCloseable {
  private static final Logger logger = Logger.getLogger(ReplicaBootstrap.class.getName());

  private final ReplicaServer server;
  private final Optional<FaultsListener> faults;
  private final List<Model> models;
  private final ReplicaReady ready;

  private ReplicaBootstrap(
      ReplicaServer server,
      Optional<FaultsListener> faults,
      List<Model> models,
      ReplicaReady ready) {
    this.server = server;
    this.faults = faults;
    this.models = models;
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
    List<Model> loaded = new ArrayList<>();
    try {
      ServedModel served = load(spec, loaded);
      FaultInjector faults = new FaultInjector(ThreadLocalRandom.current());
      Optional<AdminToken> token = spec.faultsToken().map(AdminToken::read);
      if (token.isPresent()) {
        served =
            new ServedModel(
                served.name(),
                served.version(),
                served.type(),
                new FaultInjectingModel(served.answering(), faults, spec.replicaId()),
                served.fallbackReason());
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
                        admin));
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
      loaded.forEach(Model::close);
      throw e;
    }
  }

  private static ServedModel load(ReplicaSpec spec, List<Model> loaded) throws ModelLoadException {
    Optional<Path> fallbackFile = spec.fallback();
    Model fallback = null;
    if (fallbackFile.isPresent()) {
      fallback = LinearModelLoader.load(fallbackFile.get());
      loaded.add(fallback);
    }
    try {
      Model primary =
          spec.modelType().load(Path.of(spec.modelPath()), spec.modelName(), spec.modelVersion());
      loaded.add(primary);
      return ServedModel.primary(spec.modelType(), primary);
    } catch (ModelLoadException e) {
      if (fallback == null) {
        throw e;
      }
      logger.warning(
          spec.replicaId() + ": primary model failed to load, serving the fallback: " + e);
      return ServedModel.fallback(spec.modelName(), spec.modelVersion(), fallback, e.getMessage());
    }
  }

  /** What the replica reports now that it serves. */
  public ReplicaReady ready() {
    return ready;
  }

  /** Stops the server at once, failing in-flight calls as a crash would, and frees the models. */
  public void abort() {
    faults.ifPresent(FaultsListener::close);
    server.abort();
    models.forEach(Model::close);
  }

  /** Stops the server gracefully, then frees the models. */
  @Override
  public void close() {
    faults.ifPresent(FaultsListener::close);
    server.close();
    models.forEach(Model::close);
  }
}
