package dev.meridian.controller;

import dev.meridian.controller.admin.RegionControl;
import dev.meridian.controller.consul.DrainSet;
import dev.meridian.controller.consul.DrainStore;
import dev.meridian.controller.consul.EpochCounter;
import dev.meridian.controller.consul.FencedOutException;
import dev.meridian.controller.consul.FencedTableStore;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.controller.consul.ReplicaHealthWatch;
import dev.meridian.controller.consul.WriteOutcome;
import dev.meridian.controller.routing.LoadSnapshot;
import dev.meridian.controller.routing.RegionObservation;
import dev.meridian.controller.routing.ReplicaGrouping;
import dev.meridian.core.Ticker;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.LeadershipListener;
import dev.meridian.registry.RegistryException;
import dev.meridian.registry.ServiceInstance;
import java.time.InstantSource;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The controller's one serial loop and what it runs: replica health from every region, elections,
 * periodic ticks and admin calls arrive on the {@link SerialLoop}, one at a time, and act on three
 * parts that need no locks because only the loop touches them: the {@link LeaderTerm} (whether and
 * under which epoch this controller leads), the {@link TableBook} (computing and writing tables)
 * and the {@link DrainBook} (operators' drains), with the {@link RegionOperations} answering
 * operators. The public methods are thread-safe: they hop onto the loop.
 */
final class RoutingEngine
    implements LeadershipListener, ReplicaHealthWatch.Listener, RegionOperations.Engine {
  private static final Logger logger = LoggerFactory.getLogger(RoutingEngine.class);

  private final ControllerConfig config;
  private final SerialLoop loop;
  private final LeaderTerm term;
  private final TableBook tables;
  private final DrainBook drains;
  private final DrainStore drainStore;
  private final Consumer<String> rejected;
  private final DrainCapacity capacity;
  private final Runnable firstHealthRead;
  private final RegionOperations operations;
  private boolean healthRead;
  private volatile long actingEpoch;

  private RoutingEngine(
      ControllerConfig config,
      Leadership leadership,
      LeaderTerm term,
      TableBook tables,
      DrainStore drainStore,
      DrainCapacity capacity,
      Supplier<LoadSnapshot> load,
      Ticker ticker,
      InstantSource clock,
      Consumer<String> rejected,
      SerialLoop loop,
      Runnable firstHealthRead) {
    this.config = config;
    this.loop = loop;
    this.term = term;
    this.tables = tables;
    this.drains = new DrainBook(ticker, clock);
    this.drainStore = drainStore;
    this.rejected = rejected;
    this.capacity = capacity;
    this.firstHealthRead = firstHealthRead;
    this.operations =
        new RegionOperations(
            config,
            loop,
            term,
            tables,
            drains,
            drainStore,
            leadership,
            clock,
            capacity,
            load,
            this);
  }

  /**
   * Wires an engine and its parts for {@code config}, keeping its state in Consul through {@code
   * registry} while {@code leadership} says it leads.
   *
   * @param rejected hears about every malformed record read from Consul, which is skipped
   * @param load the gateways' latest load, for capacity-checked drains and the gateways' status
   * @param firstHealthRead runs once replica health has been read in every region
   */
  static RoutingEngine create(
      ControllerConfig config,
      ConsulRegistry registry,
      Leadership leadership,
      ControllerMetrics metrics,
      Consumer<String> rejected,
      Supplier<LoadSnapshot> load,
      SerialLoop loop,
      Ticker ticker,
      InstantSource clock,
      Runnable firstHealthRead) {
    FencedTableStore tableStore = new FencedTableStore(registry, leadership, rejected);
    DrainStore drainStore =
        new DrainStore(registry, leadership, config.controlDatacenter(), rejected);
    DrainCapacity capacity = new DrainCapacity(load, config.drain(), config.routing());
    LeaderTerm term =
        new LeaderTerm(
            leadership,
            config.regions(),
            tableStore,
            drainStore,
            new EpochCounter(registry, config.controlDatacenter(), clock, rejected));
    return new RoutingEngine(
        config,
        leadership,
        term,
        new TableBook(config, tableStore, ticker, clock, metrics, capacity),
        drainStore,
        capacity,
        load,
        ticker,
        clock,
        rejected,
        loop,
        firstHealthRead);
  }

  /** Starts the periodic evaluation that moves holds and ramps along and retries takeovers. */
  void start() {
    loop.every(config.routing().evaluationInterval(), this::tick);
  }

  /** What operators call. */
  RegionControl operations() {
    return operations;
  }

  /** The epoch this controller acts under, 0 when it does not lead. Thread-safe. */
  long epoch() {
    return actingEpoch;
  }

  @Override
  public void onReplicas(String region, List<ServiceInstance> replicas) {
    Map<String, RegionObservation> byModel = ReplicaGrouping.byModel(replicas, rejected);
    loop.execute(
        () -> {
          if (tables.observe(region, byModel) && !healthRead) {
            healthRead = true;
            firstHealthRead.run();
          }
          evaluate();
        });
  }

  @Override
  public void elected(long lockIndex) {
    loop.execute(
        () -> {
          term.elected(lockIndex);
          takeOver();
        });
  }

  @Override
  public void deposed(String reason) {
    loop.execute(
        () -> {
          boolean wasActing = term.acting();
          term.deposed();
          stopActing(wasActing, "leadership lost: " + reason);
        });
  }

  @Override
  public void fencedOut(String reason) {
    term.fencedOut();
    stopActing(true, "fenced out: " + reason + "; takes a new epoch if it still holds the lock");
  }

  private void tick() {
    takeOver();
    noticeForeignDrains();
    evaluate();
  }

  /**
   * Drains are written by the leader only, so a drains document under a newer epoch means another
   * writer (a restore, or a leader this one has not heard of): stop acting and take over again,
   * which reads it.
   */
  private void noticeForeignDrains() {
    if (!term.acting()) {
      return;
    }
    try {
      long found = drainStore.epochInControl();
      if (found > term.epoch()) {
        fencedOut("the drains were written under epoch " + found);
      }
    } catch (RegistryException e) {
      logger.debug("cannot read the drains; checking again on the next tick", e);
    }
  }

  /**
   * Takes over when elected and not acting: continues the previous leader's tables (versions go on,
   * regions keep regaining weight where they were) and drains, then rewrites every table and the
   * drains under the new epoch, which fences out any older writer at once.
   */
  private void takeOver() {
    term.takeOver()
        .ifPresent(
            start -> {
              tables.seed(start.tables().newest());
              drains.seed(start.drains(), config.regions(), rejected);
              start.drains().drains().values().forEach(capacity::started);
              actingEpoch = start.epoch();
              logger
                  .atInfo()
                  .addKeyValue("controller", config.id())
                  .addKeyValue("epoch", start.epoch())
                  .log("controller leads");
              evaluate();
            });
  }

  @Override
  public void evaluate() {
    if (!term.acting()) {
      return;
    }
    try {
      writePendingDrains();
      tables.evaluate(term.epoch(), drains.ramps());
    } catch (FencedOutException e) {
      fencedOut(e.getMessage());
    }
  }

  private void writePendingDrains() throws FencedOutException {
    if (drains.pending().isEmpty()) {
      return;
    }
    DrainSet current = drains.current(term.epoch());
    WriteOutcome outcome = drainStore.write(current, List.copyOf(drains.pending()));
    drains.committed(current, outcome.version(), outcome.failed());
  }

  private void stopActing(boolean wasActing, String reason) {
    if (wasActing) {
      logger
          .atWarn()
          .addKeyValue("controller", config.id())
          .addKeyValue("reason", reason)
          .log("controller stops leading");
    }
    actingEpoch = 0;
    tables.closeWatches(reason);
    tables.clear();
    drains.clear();
  }
}
