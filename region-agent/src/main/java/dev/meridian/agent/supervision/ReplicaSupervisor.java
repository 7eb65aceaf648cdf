package dev.meridian.agent.supervision;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.ModelConfig;
import dev.meridian.agent.health.CanaryRequest;
import dev.meridian.agent.health.CheckReporter;
import dev.meridian.agent.health.CheckUpdate;
import dev.meridian.agent.health.FlapDamper;
import dev.meridian.agent.health.ProbeCall;
import dev.meridian.agent.health.ProbeClassifier;
import dev.meridian.agent.health.ProbeSchedule;
import dev.meridian.agent.health.Prober;
import dev.meridian.agent.launch.ReplicaLauncher;
import dev.meridian.agent.launch.ReplicaSpec;
import dev.meridian.agent.launch.ReplicaStartException;
import dev.meridian.agent.launch.RunningReplica;
import dev.meridian.core.DaemonThreads;
import dev.meridian.core.Ticker;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.registry.ConsulServices;
import dev.meridian.registry.RegistryException;
import dev.meridian.registry.ReplicaRegistration;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Executors;
import java.util.concurrent.RejectedExecutionException;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ScheduledFuture;
import java.util.concurrent.ThreadLocalRandom;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps one replica running and its Consul check honest: launches it, registers it, probes it at a
 * jittered interval and reports the damped result; when it stops, reports it critical at once and
 * restarts it as the {@link SupervisionPolicy} says, or gives up on a crash loop; on {@link
 * #stop()} deregisters it, then stops it gracefully.
 *
 * <p>Thread-safety: every state change runs on the replica's own single thread, so the mutable
 * fields below are confined to it; process exits arrive from other threads and hop onto it.
 */
public final class ReplicaSupervisor {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaSupervisor.class);

  private final AgentConfig config;
  private final ModelConfig model;
  private final ReplicaLauncher launcher;
  private final ConsulServices services;
  private final CheckReporter reporter;
  private final SupervisionPolicy policy;
  private final FlapDamper damper;
  private final ProbeSchedule schedule;
  private final SupervisorMetrics metrics;
  private final Ticker ticker;
  private final TransportSecurity security;
  private final String replicaId;
  private final ScheduledExecutorService thread;

  private ReplicaSpec spec; // confined to thread, as are the fields below
  private RunningReplica running;
  private Prober prober;
  private ReplicaRegistration registration;
  private ScheduledFuture<?> next;
  private boolean stopping;
  private volatile CheckUpdate lastReported = CheckUpdate.critical("not started yet");

  /** Creates the supervisor of the replica {@code spec}; {@link #start()} launches it. */
  public ReplicaSupervisor(
      ReplicaSpec spec,
      ModelConfig model,
      AgentConfig config,
      ReplicaLauncher launcher,
      ConsulServices services,
      TransportSecurity security,
      MetricRegistry registry,
      Ticker ticker) {
    this.spec = spec;
    this.security = security;
    this.model = model;
    this.config = config;
    this.launcher = launcher;
    this.services = services;
    this.policy = new SupervisionPolicy(config.restart(), ticker);
    this.damper =
        new FlapDamper(
            config.probe().successesBeforePassing(), config.probe().failuresBeforeCritical());
    this.schedule =
        new ProbeSchedule(
            config.probe().interval(), config.probe().jitter(), ThreadLocalRandom.current());
    this.metrics =
        new SupervisorMetrics(
            registry, model.name(), spec.replicaId(), () -> lastReported.status());
    this.reporter = new CheckReporter(services, metrics.consulUpdates);
    this.ticker = ticker;
    this.replicaId = spec.replicaId();
    this.thread =
        Executors.newSingleThreadScheduledExecutor(
            DaemonThreads.named("supervisor-" + spec.replicaId()));
  }

  /** The replica's service ID. */
  public String replicaId() {
    return replicaId;
  }

  /** The check status last reported to Consul, with its output. */
  public CheckUpdate lastReported() {
    return lastReported;
  }

  /** Launches the replica in the background. */
  public void start() {
    onThread(this::launch);
  }

  /**
   * Deregisters the replica from Consul, then stops it gracefully (NOT_SERVING, in-flight calls
   * finished within the drain timeout). The future completes once it has stopped.
   */
  public CompletableFuture<Void> stop() {
    CompletableFuture<Void> stopped = CompletableFuture.runAsync(this::stopOnThread, thread);
    thread.shutdown();
    return stopped;
  }

  private void launch() {
    if (stopping) {
      return;
    }
    RunningReplica replica;
    try {
      replica = launcher.launch(spec);
    } catch (ReplicaStartException e) {
      // A free port next time: the one kept from the last run may be what failed.
      spec = spec.withPort(0);
      down("failed to start: " + e.getMessage());
      return;
    }
    running = replica;
    spec = spec.withPort(replica.ready().port());
    policy.started();
    damper.reset();
    register();
    report(CheckUpdate.critical("started; waiting for probes"));
    prober =
        new Prober(
            security,
            spec.advertiseHost(),
            replica.ready().port(),
            ProbeCall.of(
                launcher.protocol(),
                CanaryRequest.build(
                        spec.modelName(), "canary-" + spec.replicaId(), replica.ready().inputs())
                    .toBuilder()
                    .setModelVersion(spec.modelVersion())
                    .build()),
            config.probe().timeout(),
            new ProbeClassifier(model.latencyObjective(), replica.ready().fallback()),
            ticker,
            metrics.probeLatency);
    replica.exited().thenAccept(how -> onThread(() -> exited(replica, how)));
    next = later(this::probe, schedule.first());
    logger
        .atInfo()
        .addKeyValue("replica", replicaId)
        .addKeyValue("address", spec.advertisedAddress())
        .log("replica serving");
    if (replica.ready().faultsPort() > 0) {
      logger
          .atWarn()
          .addKeyValue("replica", replicaId)
          .addKeyValue("port", replica.ready().faultsPort())
          .log("fault injection is ON, FaultInjection serves on the port (admin token required)");
    }
  }

  private void probe() {
    if (running == null || stopping) {
      return;
    }
    report(damper.record(prober.probe()));
    next = later(this::probe, schedule.next());
  }

  private void exited(RunningReplica replica, String how) {
    if (replica != running || stopping) {
      return;
    }
    running = null;
    prober.close();
    next.cancel(false);
    down(how);
  }

  /**
   * The replica is not running: report it critical now, bypassing damping, and decide what next.
   */
  private void down(String how) {
    logger.atWarn().addKeyValue("replica", replicaId).addKeyValue("how", how).log("replica down");
    RestartDecision decision = policy.stopped();
    if (decision instanceof RestartDecision.Restart restart) {
      metrics.restarts.inc();
      report(
          CheckUpdate.critical(
              "restarting: replica "
                  + how
                  + "; restart "
                  + restart.attempt()
                  + " in "
                  + restart.delay().toMillis()
                  + "ms"));
      next = later(this::launch, restart.delay());
    } else if (decision instanceof RestartDecision.GiveUp giveUp) {
      logger
          .atError()
          .addKeyValue("replica", replicaId)
          .addKeyValue("reason", giveUp.reason())
          .log("replica given up");
      report(CheckUpdate.critical(giveUp.reason() + "; last: replica " + how));
      next = later(this::reportAgain, config.probe().interval());
    }
  }

  /** Keeps a given-up replica's reason in Consul, rather than let its TTL replace it. */
  private void reportAgain() {
    if (registration != null
        && reporter.report(registration.checkId(), lastReported)
            != CheckReporter.Outcome.UNKNOWN_CHECK) {
      next = later(this::reportAgain, config.probe().interval());
    }
  }

  private void register() {
    registration =
        ReplicaRegistrations.of(
            spec,
            running.ready(),
            launcher.protocol(),
            config.ttl(),
            config.deregisterCriticalAfter());
    try {
      services.register(registration);
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("replica", replicaId)
          .addKeyValue("reason", e.getMessage())
          .log("cannot register in Consul");
    }
  }

  private void report(CheckUpdate update) {
    lastReported = update;
    if (registration == null) {
      return;
    }
    // Consul that lost its state (or reaped the replica) no longer knows the check: register again.
    if (reporter.report(registration.checkId(), update) == CheckReporter.Outcome.UNKNOWN_CHECK
        && running != null) {
      register();
      reporter.report(registration.checkId(), update);
    }
  }

  private void stopOnThread() {
    stopping = true;
    if (next != null) {
      next.cancel(false);
    }
    if (registration != null) {
      try {
        services.deregister(registration.id());
      } catch (RegistryException e) {
        logger
            .atWarn()
            .addKeyValue("replica", replicaId)
            .addKeyValue("reason", e.getMessage())
            .log("cannot deregister from Consul");
      }
    }
    if (running != null) {
      prober.close();
      running.stop();
      running = null;
    }
  }

  private ScheduledFuture<?> later(Runnable task, Duration delay) {
    return thread.schedule(task, delay.toNanos(), TimeUnit.NANOSECONDS);
  }

  private void onThread(Runnable task) {
    try {
      thread.execute(task);
    } catch (RejectedExecutionException e) {
      // Stopped: nothing left to supervise.
      logger
          .atDebug()
          .addKeyValue("replica", replicaId)
          .setCause(e)
          .log("event after stop ignored");
    }
  }
}
