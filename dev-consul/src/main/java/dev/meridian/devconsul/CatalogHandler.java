package dev.meridian.devconsul;

import com.google.gson.JsonObject;
import dev.meridian.devconsul.IndexTracker.Table;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.TreeSet;

/**
 * {@code GET /v1/catalog/services} (blocking) and {@code GET /v1/catalog/datacenters} (neither
 * blocking nor indexed, and answered without a leader; local datacenters first, then those reached
 * over the WAN). Thread-safe (stateless).
 */
final class CatalogHandler implements Endpoint {
  private final Datacenters datacenters;
  private final List<String> wanDatacenters;
  private final BlockingReads reads;

  CatalogHandler(Datacenters datacenters, List<String> wanDatacenters, BlockingReads reads) {
    this.datacenters = datacenters;
    this.wanDatacenters = List.copyOf(wanDatacenters);
    this.reads = reads;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws InterruptedException {
    request.requireMethod("GET");
    switch (request.path()) {
      case "/v1/catalog/datacenters":
        List<String> names = new ArrayList<>(datacenters.namesFrom(request.localDatacenter()));
        names.addAll(wanDatacenters);
        return Json.response(Json.strings(names));
      case "/v1/catalog/services":
        return reads.execute(request, CatalogHandler::services);
      default:
        throw Router.notFound();
    }
  }

  private static BlockingReads.Result services(DatacenterState state) {
    Map<String, Set<String>> tagsByName = new TreeMap<>();
    for (ServiceInstance service : state.catalog().services()) {
      tagsByName
          .computeIfAbsent(service.name(), name -> new TreeSet<>())
          .addAll(service.definition().tags());
    }
    JsonObject body = new JsonObject();
    tagsByName.forEach((name, tags) -> body.add(name, Json.strings(tags)));
    return new BlockingReads.Result(
        state.index().max(Table.NODES, Table.SERVICES), Json.response(body));
  }
}
