package dev.meridian.devconsul;

import java.util.ArrayList;
import java.util.Collection;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;

/**
 * The datacenters of one {@link DevConsul} by name, and the routing rule for {@code ?dc=}: a
 * request is served by the datacenter it names, else by the one whose port received it. Immutable
 * after construction, so thread-safe.
 */
final class Datacenters {
  private final Map<String, Datacenter> byName = new LinkedHashMap<>();

  Datacenters(Collection<Datacenter> datacenters) {
    datacenters.forEach(dc -> byName.put(dc.name(), dc));
  }

  Datacenter get(String name) {
    return byName.get(name);
  }

  Collection<Datacenter> all() {
    return byName.values();
  }

  /** The datacenter whose port received the request: the "local agent". */
  Datacenter local(ApiRequest request) {
    return byName.get(request.localDatacenter());
  }

  /**
   * The datacenter a request names with {@code ?dc=}, else the local one. A remote datacenter's own
   * faults apply as if the request had been forwarded to its servers.
   *
   * @throws ApiException 500 {@code No path to datacenter} for an unknown name
   */
  Datacenter target(ApiRequest request) throws InterruptedException {
    String name = request.param("dc", request.localDatacenter());
    Datacenter datacenter = byName.get(name);
    if (datacenter == null) {
      throw ApiException.serverError("No path to datacenter");
    }
    if (!name.equals(request.localDatacenter())) {
      datacenter.faults().awaitService();
    }
    return datacenter;
  }

  /**
   * The target datacenter of a write, which needs its leader.
   *
   * @throws ApiException 500 {@code No cluster leader} while the leader is lost
   */
  Datacenter writeTarget(ApiRequest request) throws InterruptedException {
    return requireLeader(target(request));
  }

  /** The local datacenter for an agent write, which also needs the leader. */
  Datacenter localWriteTarget(ApiRequest request) {
    return requireLeader(local(request));
  }

  /** Datacenter names as {@code /v1/catalog/datacenters} lists them: the local one first. */
  List<String> namesFrom(String local) {
    List<String> names = new ArrayList<>();
    names.add(local);
    byName.keySet().stream().filter(name -> !name.equals(local)).forEach(names::add);
    return names;
  }

  static ApiException noLeader() {
    return ApiException.serverError("No cluster leader");
  }

  private static Datacenter requireLeader(Datacenter datacenter) {
    if (!datacenter.faults().hasLeader()) {
      throw noLeader();
    }
    return datacenter;
  }
}
