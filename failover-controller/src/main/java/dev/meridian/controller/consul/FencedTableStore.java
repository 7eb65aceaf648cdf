package dev.meridian.controller.consul;

import dev.meridian.core.LogValue;
import dev.meridian.core.ResourceNames;
import dev.meridian.core.routing.RoutingTableJson;
import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.proto.routing.v1.RoutingTable;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.MeridianLayout;
import dev.meridian.registry.RegistryException;
import java.util.Collection;
import java.util.HashMap;
import java.util.Map;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads and writes routing tables in KV, in every region's datacenter, every write fenced by a
 * {@link FencedWriter}. Thread-safe (it keeps no state).
 */
public final class FencedTableStore {
  private static final Logger logger = LoggerFactory.getLogger(FencedTableStore.class);

  private final ConsulRegistry registry;
  private final FencedWriter<RoutingTable> writer;

  /**
   * A store writing through {@code registry} while {@code leadership} says this controller leads.
   *
   * @param rejected hears about every malformed table read, which is skipped
   */
  public FencedTableStore(
      ConsulRegistry registry, Leadership leadership, Consumer<String> rejected) {
    this.registry = registry;
    this.writer = new FencedWriter<>(registry, leadership, new Tables(), rejected);
  }

  /**
   * What a new leader finds.
   *
   * @param newest the newest table of every model
   * @param highestEpoch the highest leader epoch of any table read, in any datacenter; 0 if none
   */
  public record Found(Map<String, RoutingTable> newest, long highestEpoch) {
    /** Copies the map. */
    public Found {
      newest = Map.copyOf(newest);
    }
  }

  /**
   * The tables found in {@code datacenters}; datacenters that cannot be read are skipped (their
   * tables are caught up on the next write), malformed tables too.
   */
  public Found readNewest(Collection<String> datacenters) {
    Map<String, RoutingTable> newest = new HashMap<>();
    long highestEpoch = 0;
    for (String datacenter : datacenters) {
      try {
        for (KvEntry entry :
            registry.kv().list(MeridianLayout.ROUTING_PREFIX, datacenter, 0).value()) {
          for (RoutingTable table : writer.read(entry).stream().toList()) {
            highestEpoch = Math.max(highestEpoch, table.getLeaderEpoch());
            newest.merge(
                table.getModelName(), table, (a, b) -> a.getVersion() >= b.getVersion() ? a : b);
          }
        }
      } catch (RegistryException e) {
        logger
            .atWarn()
            .addKeyValue("datacenter", datacenter)
            .setCause(e)
            .log("cannot read routing tables");
      }
    }
    return new Found(newest, highestEpoch);
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
    return writer.write(MeridianLayout.routingTableKey(table.getModelName()), table, datacenters);
  }

  /** Routing tables as fenced documents. */
  private static final class Tables implements FencedDocument<RoutingTable> {
    @Override
    public long epoch(RoutingTable table) {
      return table.getLeaderEpoch();
    }

    @Override
    public long version(RoutingTable table) {
      return table.getVersion();
    }

    @Override
    public RoutingTable withVersion(RoutingTable table, long version) {
      return table.toBuilder().setVersion(version).build();
    }

    @Override
    public String encode(RoutingTable table) {
      return RoutingTableJson.encode(table);
    }

    @Override
    public RoutingTable decode(KvEntry entry) {
      RoutingTable table = RoutingTableJson.decode(entry.value(), entry.key());
      String model = entry.key().substring(MeridianLayout.ROUTING_PREFIX.length());
      if (!table.getModelName().equals(model)) {
        throw new IllegalArgumentException(
            entry.key() + ": the table is of model " + LogValue.quoted(table.getModelName()));
      }
      for (RegionRoute route : table.getRegionsList()) {
        if (!ResourceNames.isValid(route.getRegion())) {
          throw new IllegalArgumentException(
              entry.key() + ": region " + LogValue.quoted(route.getRegion()) + " is not a name");
        }
      }
      return table;
    }
  }
}
