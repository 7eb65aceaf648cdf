package dev.meridian.devconsul;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import com.google.gson.JsonPrimitive;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/session/*}: create, renew, destroy, and the blocking reads info, list and node.
 * Thread-safe (stateless).
 */
final class SessionHandler implements Endpoint {
  private static final String PREFIX = "/v1/session/";
  private static final Duration DEFAULT_LOCK_DELAY = Duration.ofSeconds(15);
  private static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);
  private static final Duration MIN_TTL = Duration.ofSeconds(10);
  private static final Duration MAX_TTL = Duration.ofHours(24);

  /** A bare LockDelay number below this is seconds, at or above it nanoseconds (Consul's rule). */
  private static final long LOCK_DELAY_SECONDS_THRESHOLD = 1000;

  private static final Set<String> CREATE_FIELDS =
      Set.of(
          "Name",
          "Node",
          "LockDelay",
          "Checks",
          "NodeChecks",
          "ServiceChecks",
          "Behavior",
          "TTL",
          "Namespace",
          "Partition");
  private static final Set<String> SERVICE_CHECK_FIELDS = Set.of("ID", "Namespace");

  private final Datacenters datacenters;
  private final BlockingReads reads;

  SessionHandler(Datacenters datacenters, BlockingReads reads) {
    this.datacenters = datacenters;
    this.reads = reads;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws InterruptedException {
    String path =
        request.path().startsWith(PREFIX) ? request.path().substring(PREFIX.length()) : "";
    if (path.equals("create")) {
      request.requireMethod("PUT");
      return create(request);
    }
    if (path.startsWith("renew/")) {
      request.requireMethod("PUT");
      return renew(request, path.substring("renew/".length()));
    }
    if (path.startsWith("destroy/")) {
      request.requireMethod("PUT");
      String id = path.substring("destroy/".length());
      datacenters
          .writeTarget(request)
          .write(
              s -> {
                s.sessions().destroy(id);
                return null;
              });
      return Json.response(new JsonPrimitive(true));
    }
    request.requireMethod("GET");
    if (path.startsWith("info/")) {
      String id = path.substring("info/".length());
      return reads.execute(
          request,
          s -> {
            Session session = s.sessions().get(id);
            return sessions(s, session == null ? List.of() : List.of(session));
          });
    }
    if (path.equals("list")) {
      return reads.execute(request, s -> sessions(s, s.sessions().all()));
    }
    if (path.startsWith("node/")) {
      String node = path.substring("node/".length());
      return reads.execute(
          request,
          s ->
              sessions(s, s.sessions().all().stream().filter(x -> x.node().equals(node)).toList()));
    }
    throw Router.notFound();
  }

  private ApiResponse create(ApiRequest request) throws InterruptedException {
    JsonFields fields = JsonFields.parse(request.body(), CREATE_FIELDS);
    List<String> nodeChecks = new ArrayList<>();
    // Consul links serfHealth unless the body names its own Checks, even an empty list.
    nodeChecks.addAll(
        fields.has("Checks") ? fields.strings("Checks") : List.of(Catalog.SERF_CHECK_ID));
    fields.strings("NodeChecks").stream()
        .filter(c -> !nodeChecks.contains(c))
        .forEach(nodeChecks::add);
    List<String> serviceChecks =
        fields.objects("ServiceChecks", SERVICE_CHECK_FIELDS).stream()
            .map(check -> check.string("ID", ""))
            .toList();
    String ttl = fields.string("TTL", "");
    String node = fields.string("Node", datacenters.local(request).nodeName());
    Session draft =
        new Session(
            "",
            fields.string("Name", ""),
            node,
            lockDelay(fields),
            SessionBehavior.parse(fields.string("Behavior", "")),
            ttl,
            parseTtl(ttl),
            nodeChecks,
            serviceChecks,
            0);
    Session session =
        datacenters.writeTarget(request).write(s -> s.sessions().create(draft, s.catalog()));
    JsonObject body = new JsonObject();
    body.addProperty("ID", session.id());
    return Json.response(body);
  }

  private ApiResponse renew(ApiRequest request, String id) throws InterruptedException {
    Session session = datacenters.writeTarget(request).write(s -> s.sessions().renew(id));
    if (session == null) {
      throw ApiException.notFound("Session id '" + id + "' not found");
    }
    JsonArray array = new JsonArray();
    array.add(session.toJson());
    return Json.response(array);
  }

  private static BlockingReads.Result sessions(
      DatacenterState state, Collection<Session> sessions) {
    JsonArray array = new JsonArray();
    sessions.forEach(s -> array.add(s.toJson()));
    return new BlockingReads.Result(state.sessions().tableIndex(), Json.response(array));
  }

  /** A string is a Go duration; a number is seconds below 1000 and nanoseconds from 1000. */
  private static Duration lockDelay(JsonFields fields) {
    if (!fields.has("LockDelay")) {
      return DEFAULT_LOCK_DELAY;
    }
    Duration delay;
    Long number = fields.numberOrNull("LockDelay");
    if (number != null) {
      delay =
          number < LOCK_DELAY_SECONDS_THRESHOLD
              ? Duration.ofSeconds(number)
              : Duration.ofNanos(number);
    } else {
      String text = fields.string("LockDelay");
      try {
        delay = GoDuration.parse(text);
      } catch (IllegalArgumentException e) {
        throw ApiException.badRequest("Request decode failed: Invalid LockDelay: " + text);
      }
    }
    return delay.compareTo(MAX_LOCK_DELAY) > 0 ? MAX_LOCK_DELAY : delay;
  }

  private static Duration parseTtl(String ttl) {
    if (ttl.isEmpty()) {
      return Duration.ZERO;
    }
    Duration parsed;
    try {
      parsed = GoDuration.parse(ttl);
    } catch (IllegalArgumentException e) {
      throw ApiException.serverError("Session TTL '" + ttl + "' invalid: " + e.getMessage());
    }
    if (!parsed.isZero() && (parsed.compareTo(MIN_TTL) < 0 || parsed.compareTo(MAX_TTL) > 0)) {
      throw ApiException.serverError(
          "Invalid Session TTL '" + parsed.toNanos() + "', must be between [10s=24h0m0s]");
    }
    return parsed;
  }
}
