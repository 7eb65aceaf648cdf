package dev.meridian.devconsul;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;

/**
 * {@code GET /v1/status/leader} and {@code /v1/status/peers}, which clients use as a cheap liveness
 * probe; both report no leader while that fault is on. Thread-safe (stateless).
 */
final class StatusHandler implements Endpoint {
  /** Consul's server RPC port, which is what status/leader and status/peers report. */
  private static final int SERVER_RPC_PORT = 8300;

  private final Datacenters datacenters;
  private final String serverAddress;

  /**
   * @param advertiseAddress the host this dev Consul advertises, reported with the RPC port
   */
  StatusHandler(Datacenters datacenters, String advertiseAddress) {
    this.datacenters = datacenters;
    this.serverAddress = HostPort.format(advertiseAddress, SERVER_RPC_PORT);
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws InterruptedException {
    request.requireMethod("GET");
    boolean hasLeader = datacenters.target(request).faults().hasLeader();
    switch (request.path()) {
      case "/v1/status/leader":
        return Json.response(new JsonPrimitive(hasLeader ? serverAddress : ""));
      case "/v1/status/peers":
        JsonArray peers = new JsonArray();
        peers.add(serverAddress);
        return Json.response(peers);
      default:
        throw Router.notFound();
    }
  }
}
