package dev.meridian.devconsul;

import com.google.gson.JsonObject;
import java.time.Duration;

/**
 * {@code /_dev/fault/*}: the {@link FaultControls} over HTTP, for tests that run the dev Consul in
 * another process. Targets {@code ?dc=} or the datacenter whose port received the request, and is
 * exempt from the faults themselves so that a hung server can be resumed. Thread-safe (stateless).
 */
final class DevControlHandler implements Endpoint {
  private static final String PREFIX = Router.DEV_PREFIX + "fault";

  private final Datacenters datacenters;

  DevControlHandler(Datacenters datacenters) {
    this.datacenters = datacenters;
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    String name = request.param("dc", request.localDatacenter());
    Datacenter datacenter = datacenters.get(name);
    if (datacenter == null) {
      throw ApiException.notFound("Unknown datacenter \"" + name + "\"");
    }
    FaultControls faults = datacenter.faults();
    String path = request.path();
    if (path.equals(PREFIX)) {
      request.requireMethod("GET");
      return status(faults);
    }
    request.requireMethod("PUT");
    switch (path.substring(PREFIX.length())) {
      case "/unresponsive":
        faults.setUnresponsive(enable(request));
        break;
      case "/no-leader":
        faults.setNoLeader(enable(request));
        break;
      case "/latency":
        faults.setLatency(latency(request));
        break;
      case "/lose-state":
        faults.loseState();
        break;
      case "/clear":
        faults.clear();
        break;
      default:
        throw Router.notFound();
    }
    return status(faults);
  }

  private static ApiResponse status(FaultControls faults) {
    JsonObject body = new JsonObject();
    body.addProperty("Unresponsive", faults.isUnresponsive());
    body.addProperty("NoLeader", !faults.hasLeader());
    body.addProperty("LatencyMillis", faults.latency().toMillis());
    return Json.response(body);
  }

  private static boolean enable(ApiRequest request) {
    String value = request.param("enable", "true");
    if (!value.equals("true") && !value.equals("false")) {
      throw ApiException.badRequest("Invalid value for enable: \"" + value + "\"");
    }
    return value.equals("true");
  }

  private static Duration latency(ApiRequest request) {
    String value = request.param("duration", "");
    try {
      Duration latency = GoDuration.parse(value);
      if (latency.isNegative()) {
        throw new IllegalArgumentException("negative");
      }
      return latency;
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid duration: \"" + value + "\"");
    }
  }
}
