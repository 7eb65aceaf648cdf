package dev.meridian.devconsul;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;

/**
 * {@code GET /v1/status/leader} and {@code /v1/status/peers}, which clients use as a cheap liveness
 * probe; both report no leader while that fault is on. Thread-safe (stateless).
 */
final class StatusHandler implements Endpoint {
  private static final String SERVER_ADDRESS = "127.0.0.1:8300";

  private final Datacenters datacenters;

  StatusHandler(Datacenters datacenters) {
    this.datacenters = datacenters;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws InterruptedException {
    request.requireMethod("GET");
    boolean hasLeader = datacenters.target(request).faults().hasLeader();
    switch (request.path()) {
      case "/v1/status/leader":
        return Json.response(new JsonPrimitive(hasLeader ? SERVER_ADDRESS : ""));
      case "/v1/status/peers":
        JsonArray peers = new JsonArray();
        peers.add(SERVER_ADDRESS);
        return Json.response(peers);
      default:
        throw Router.notFound();
    }
  }
}
