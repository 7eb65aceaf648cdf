package dev.meridian.controller.consul;

import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.util.Collection;
import java.util.HashMap;
import java.util.LinkedHashSet;
import java.util.Map;
import java.util.Optional;
import java.util.Set;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Reads and writes routing tables in KV, in every region's datacenter. Every write is fenced: it is
 * made only while this controller leads, only over a table whose leader epoch is not newer than its
 * own, and only with check-and-set on the ModifyIndex just read, so a write that lost a race is
 * re-read and never blindly overwritten. Thread-safe (it keeps no state).
 */
public final class FencedTableStore {
  private static final Logger logger = Logger.getLogger(FencedTableStore.class.getName());
  private static final int CAS_ATTEMPTS = 3;

  private final ConsulRegistry registry;
  private final Leadership leadership;

  /**
   * A store writing through {@code registry} while {@code leadership} says this controller leads.
   */
  public FencedTableStore(ConsulRegistry registry, Leadership leadership) {
    this.registry = registry;
    this.leadership = leadership;
  }

  /**
   * The outcome of a write.
   *
   * @param version the version written: the table's own, or higher in a datacenter that already
   *     held that version, so that versions only ever increase in each datacenter
   * @param failed the datacenters where it could not be written now (Consul unavailable, or lost
   *     every check-and-set race); the caller retries them
   */
  public record WriteOutcome(long version, Set<String> failed) {
    /** Copies the set. */
    public WriteOutcome {
      failed = Set.copyOf(failed);
    }
  }

  /**
   * The newest table of every model found in {@code datacenters}; datacenters that cannot be read
   * are skipped (their tables are caught up on the next write).
   */
  public Map<String, RoutingTable> readNewest(Collection<String> datacenters) {
    Map<String, RoutingTable> newest = new HashMap<>();
    for (String datacenter : datacenters) {
      try {
        for (KvEntry entry :
            registry.kv().list(MeridianLayout.ROUTING_PREFIX, datacenter, 0).value()) {
          decode(entry)
              .ifPresent(
                  table ->
                      newest.merge(
                          table.getModelName(),
                          table,
                          (a, b) -> a.getVersion() >= b.getVersion() ? a : b));
        }
      } catch (RegistryException e) {
        logger.log(Level.WARNING, "cannot read routing tables in " + datacenter, e);
      }
    }
    return newest;
  }

  /**
   * Writes {@code table} (already stamped with this controller's epoch) to each of {@code
   * datacenters}.
   *
   * @throws FencedOutException when this controller no longer leads or a newer epoch has written;
   *     datacenters not yet written are left alone
   */
  public WriteOutcome write(RoutingTable table, Collection<String> datacenters)
      throws FencedOutException {
    long version = table.getVersion();
    Set<String> failed = new LinkedHashSet<>();
    for (String datacenter : datacenters) {
      try {
        Optional<Long> written = writeOne(table, datacenter);
        if (written.isPresent()) {
          version = Math.max(version, written.get());
        } else {
          failed.add(datacenter);
        }
      } catch (RegistryException e) {
        logger.log(
            Level.WARNING,
            "cannot write routing table of " + table.getModelName() + " in " + datacenter,
            e);
        failed.add(datacenter);
      }
    }
    return new WriteOutcome(version, failed);
  }

  /** The version written, or empty when every check-and-set lost a race. */
  private Optional<Long> writeOne(RoutingTable table, String datacenter) throws FencedOutException {
    String key = MeridianLayout.routingTableKey(table.getModelName());
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      if (!leadership.isLeader()) {
        throw new FencedOutException("no longer the leader (epoch " + table.getLeaderEpoch() + ")");
      }
      Optional<KvEntry> entry = registry.kv().get(key, datacenter, 0).value();
      Optional<RoutingTable> current = entry.flatMap(FencedTableStore::decode);
      if (current.isPresent() && current.get().getLeaderEpoch() > table.getLeaderEpoch()) {
        throw new FencedOutException(
            key
                + " in "
                + datacenter
                + " was written by leader epoch "
                + current.get().getLeaderEpoch()
                + ", newer than this controller's "
                + table.getLeaderEpoch());
      }
      if (current.isPresent() && current.get().equals(table)) {
        return Optional.of(table.getVersion());
      }
      long version = Math.max(table.getVersion(), current.map(t -> t.getVersion() + 1).orElse(0L));
      String json = RoutingTableJson.encode(table.toBuilder().setVersion(version).build());
      long modifyIndex = entry.map(KvEntry::modifyIndex).orElse(0L);
      if (registry.kv().compareAndSet(key, json, modifyIndex, datacenter)) {
        return Optional.of(version);
      }
      logger.info(
          key + " in " + datacenter + " changed under this write (attempt " + attempt + ")");
    }
    return Optional.empty();
  }

  private static Optional<RoutingTable> decode(KvEntry entry) {
    try {
      return Optional.of(RoutingTableJson.decode(entry.value(), entry.key()));
    } catch (IllegalArgumentException e) {
      // A malformed table carries no epoch to respect; the next write replaces it (by CAS).
      logger.log(Level.WARNING, "ignoring malformed routing table " + entry.key(), e);
      return Optional.empty();
    }
  }
}
