package dev.meridian.controller.consul;

import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The operators' drains in KV: one {@link DrainSet} at {@link MeridianLayout#DRAINS_KEY}, written
 * fenced to the control datacenter first and then to every other datacenter, so that losing the
 * control datacenter's KV loses no drain. Thread-safe (it keeps no state). Failures surface as the
 * registry's exceptions.
 */
public final class DrainStore {
  private static final Logger logger = LoggerFactory.getLogger(DrainStore.class);

  private final class Drains implements FencedDocument<DrainSet> {
    @Override
    public long epoch(DrainSet set) {
      return set.leaderEpoch();
    }

    @Override
    public long version(DrainSet set) {
      return set.version();
    }

    @Override
    public DrainSet withVersion(DrainSet set, long version) {
      return new DrainSet(version, set.leaderEpoch(), set.drains());
    }

    @Override
    public String encode(DrainSet set) {
      return DrainSetJson.encode(set);
    }

    @Override
    public DrainSet decode(KvEntry entry) {
      return DrainSetJson.decode(entry.value(), entry.key(), rejected);
    }
  }

  private final ConsulRegistry registry;
  private final String controlDatacenter;
  private final FencedWriter<DrainSet> writer;
  private final Consumer<String> rejected;

  /**
   * A store whose drains are first written to {@code controlDatacenter}.
   *
   * @param rejected hears about every malformed document or record read, which is skipped
   */
  public DrainStore(
      ConsulRegistry registry,
      Leadership leadership,
      String controlDatacenter,
      Consumer<String> rejected) {
    this.registry = registry;
    this.controlDatacenter = controlDatacenter;
    this.rejected = rejected;
    this.writer = new FencedWriter<>(registry, leadership, new Drains(), rejected);
  }

  /**
   * The newest drain set in {@code datacenters} (the highest epoch, then the highest version). When
   * none holds one, the per-region records of the older layout in the control datacenter are
   * adopted, so an upgrade keeps its drains.
   *
   * @throws RegistryException when the control datacenter cannot be read; the others are skipped
   *     when they cannot
   */
  public DrainSet load(Collection<String> datacenters) {
    Optional<DrainSet> newest = read(controlDatacenter);
    for (String datacenter : datacenters) {
      if (!datacenter.equals(controlDatacenter)) {
        Optional<DrainSet> found = readQuietly(datacenter);
        if (found.isPresent() && (newest.isEmpty() || found.get().newerThan(newest.get()))) {
          newest = found;
        }
      }
    }
    return newest.orElseGet(this::olderLayout);
  }

  /**
   * Writes {@code set} to the control datacenter, then, only if that worked, to the others.
   *
   * @return the outcome; when the control datacenter is among the failed, nothing was written
   * @throws FencedOutException when this controller no longer leads or a newer epoch has written
   */
  public WriteOutcome write(DrainSet set, Collection<String> datacenters)
      throws FencedOutException {
    WriteOutcome control = writer.write(MeridianLayout.DRAINS_KEY, set, List.of(controlDatacenter));
    List<String> others = new ArrayList<>(datacenters);
    others.remove(controlDatacenter);
    if (!control.failed().isEmpty()) {
      Set<String> unwritten = new LinkedHashSet<>(control.failed());
      unwritten.addAll(others);
      return new WriteOutcome(control.version(), unwritten);
    }
    return others.isEmpty() ? control : writer.write(MeridianLayout.DRAINS_KEY, set, others);
  }

  /**
   * The leader epoch of the drains document in the control datacenter, 0 when there is none or it
   * is malformed. A leader that finds one above its own knows someone else wrote the drains (a
   * restore, or a leader it has not heard of) and must take over again to see them.
   *
   * @throws RegistryException when the control datacenter cannot be read
   */
  public long epochInControl() {
    return read(controlDatacenter).map(DrainSet::leaderEpoch).orElse(0L);
  }

  /**
   * Reads a drains document, such as one from a backup; a malformed drain in it is reported to
   * {@code rejected} and skipped.
   *
   * @param source where it came from, for messages
   * @throws IllegalArgumentException naming {@code source}, when the document itself is malformed
   */
  public static DrainSet parse(String json, String source, Consumer<String> rejected) {
    return DrainSetJson.decode(json, source, rejected);
  }

  private Optional<DrainSet> read(String datacenter) {
    return registry
        .kv()
        .get(MeridianLayout.DRAINS_KEY, datacenter, 0)
        .value()
        .flatMap(writer::read);
  }

  private Optional<DrainSet> readQuietly(String datacenter) {
    try {
      return read(datacenter);
    } catch (RegistryException e) {
      logger
          .atWarn()
          .addKeyValue("datacenter", datacenter)
          .setCause(e)
          .log("cannot read the drains");
      return Optional.empty();
    }
  }

  private DrainSet olderLayout() {
    Map<String, DrainRecord> drains = new LinkedHashMap<>();
    for (KvEntry entry :
        registry.kv().list(MeridianLayout.DRAIN_PREFIX, controlDatacenter, 0).value()) {
      try {
        DrainRecord record = DrainSetJson.decodeRecord(entry.value(), entry.key());
        drains.put(record.region(), record);
      } catch (IllegalArgumentException e) {
        rejected.accept(e.getMessage());
      }
    }
    return drains.isEmpty() ? DrainSet.NONE : new DrainSet(0, 0, drains);
  }
}
