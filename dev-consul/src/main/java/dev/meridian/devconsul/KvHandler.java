package dev.meridian.devconsul;

import com.google.gson.JsonArray;
import com.google.gson.JsonPrimitive;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/kv/:key}: reads (single, {@code recurse}, {@code keys}, {@code raw}; all blocking),
 * writes with {@code flags}/{@code cas}/{@code acquire}/{@code release}, and deletes. Thread-safe
 * (stateless).
 */
final class KvHandler implements Endpoint {
  private static final String PREFIX = "/v1/kv/";

  /** Consul's default kv_max_value_size. */
  private static final int MAX_VALUE_BYTES = 512 * 1024;

  private final Datacenters datacenters;
  private final BlockingReads reads;

  KvHandler(Datacenters datacenters, BlockingReads reads) {
    this.datacenters = datacenters;
    this.reads = reads;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws InterruptedException {
    request.requireMethod("GET", "PUT", "DELETE");
    String key = request.path().startsWith(PREFIX) ? request.path().substring(PREFIX.length()) : "";
    validateKey(key);
    switch (request.method()) {
      case "GET":
        return get(request, key);
      case "PUT":
        return put(request, key);
      default:
        return delete(request, key);
    }
  }

  private ApiResponse get(ApiRequest request, String key) throws InterruptedException {
    if (request.has("keys")) {
      String separator = request.param("separator", "");
      return reads.execute(request, s -> keys(s.kv(), key, separator));
    }
    if (request.has("recurse")) {
      return reads.execute(request, s -> entries(s.kv().list(key), s.kv().tableIndex()));
    }
    requireKey(key);
    boolean raw = request.has("raw");
    return reads.execute(
        request,
        s -> {
          KvEntry entry = s.kv().get(key);
          if (entry == null) {
            return new BlockingReads.Result(s.kv().tableIndex(), ApiResponse.notFoundEmpty());
          }
          ApiResponse response =
              raw
                  ? ApiResponse.of(200, "text/plain; charset=utf-8", entry.value())
                  : entries(List.of(entry), 0).response();
          return new BlockingReads.Result(entry.modifyIndex(), response);
        });
  }

  private static BlockingReads.Result entries(List<KvEntry> entries, long tableIndex) {
    if (entries.isEmpty()) {
      return new BlockingReads.Result(tableIndex, ApiResponse.notFoundEmpty());
    }
    JsonArray array = new JsonArray();
    entries.forEach(entry -> array.add(entry.toJson()));
    return new BlockingReads.Result(tableIndex, Json.response(array));
  }

  private static BlockingReads.Result keys(KvStore kv, String prefix, String separator) {
    Set<String> names = new LinkedHashSet<>();
    for (KvEntry entry : kv.list(prefix)) {
      String rest = entry.key().substring(prefix.length());
      int cut = separator.isEmpty() ? -1 : rest.indexOf(separator);
      names.add(cut < 0 ? entry.key() : prefix + rest.substring(0, cut + separator.length()));
    }
    ApiResponse response =
        names.isEmpty() ? ApiResponse.notFoundEmpty() : Json.response(Json.strings(names));
    return new BlockingReads.Result(kv.tableIndex(), response);
  }

  private ApiResponse put(ApiRequest request, String key) throws InterruptedException {
    requireKey(key);
    rejectConflicting(request, "cas", "acquire", "release");
    long flags = request.has("flags") ? parseUnsigned(request, "flags") : 0;
    Long cas = request.has("cas") ? parseUnsigned(request, "cas") : null;
    byte[] value = request.body();
    if (value.length > MAX_VALUE_BYTES) {
      throw new ApiException(
          413,
          "Request body("
              + value.length
              + " bytes) too large, max size: "
              + MAX_VALUE_BYTES
              + " bytes. See https://developer.hashicorp.com/docs/agent/config/config-files"
              + "#kv_max_value_size.");
    }
    String acquire = request.param("acquire");
    String release = request.param("release");
    Datacenter datacenter = datacenters.writeTarget(request);
    boolean done =
        datacenter.write(
            s -> {
              if (acquire != null) {
                requireSession(s, acquire);
                return s.kv().acquire(key, value, flags, acquire);
              }
              if (release != null) {
                return s.kv().release(key, value, flags, release);
              }
              return s.kv().put(key, value, flags, cas);
            });
    return bool(done);
  }

  private ApiResponse delete(ApiRequest request, String key) throws InterruptedException {
    rejectConflicting(request, "recurse", "cas");
    boolean recurse = request.has("recurse");
    if (!recurse) {
      requireKey(key);
    }
    Long cas = request.has("cas") ? parseUnsigned(request, "cas") : null;
    Datacenter datacenter = datacenters.writeTarget(request);
    boolean done =
        datacenter.write(
            s -> {
              if (recurse) {
                s.kv().deleteTree(key);
                return true;
              }
              return s.kv().delete(key, cas);
            });
    return bool(done);
  }

  private static void requireSession(DatacenterState state, String sessionId) {
    if (state.sessions().get(sessionId) == null) {
      throw ApiException.serverError("invalid session \"" + sessionId + "\"");
    }
  }

  private static ApiResponse bool(boolean value) {
    return Json.response(new JsonPrimitive(value));
  }

  private static void rejectConflicting(ApiRequest request, String... flags) {
    long present = Arrays.stream(flags).filter(request::has).count();
    if (present > 1) {
      throw ApiException.badRequest("Conflicting flags: " + request.encodedQuery());
    }
  }

  private static long parseUnsigned(ApiRequest request, String name) {
    try {
      return Long.parseUnsignedLong(request.param(name));
    } catch (NumberFormatException e) {
      throw ApiException.badRequest("Invalid " + name + ": " + request.param(name));
    }
  }

  private static void requireKey(String key) {
    if (key.isEmpty()) {
      throw ApiException.badRequest("Missing key name");
    }
  }

  /** Keys that escape their prefix or carry invisible padding are almost always bugs. */
  private static void validateKey(String key) {
    if (key.contains("../") || !key.equals(key.strip())) {
      throw ApiException.badRequest(
          "Invalid key \"" + key + "\": no \"../\", no leading or trailing spaces");
    }
  }
}
