package dev.meridian.devconsul;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.List;
import java.util.Set;

/**
 * {@code GET /v1/health/service/:service}: the instances of a service with their node and checks,
 * filtered by {@code tag} and {@code passing}. Thread-safe (stateless).
 */
final class HealthHandler implements Endpoint {
  private static final String SERVICE_PREFIX = "/v1/health/service/";

  /** The spellings Go's strconv.ParseBool accepts, plus the empty value of a bare flag. */
  private static final Set<String> GO_TRUE = Set.of("", "1", "t", "T", "TRUE", "true", "True");

  private static final Set<String> GO_FALSE = Set.of("0", "f", "F", "FALSE", "false", "False");

  private final BlockingReads reads;

  HealthHandler(BlockingReads reads) {
    this.reads = reads;
  }

  @Override
  public ApiResponse handle(ApiRequest request) throws InterruptedException {
    request.requireMethod("GET");
    if (!request.path().startsWith(SERVICE_PREFIX)) {
      throw Router.notFound();
    }
    String name = request.path().substring(SERVICE_PREFIX.length());
    if (name.isEmpty()) {
      throw ApiException.badRequest("Missing service name");
    }
    boolean passingOnly = passing(request);
    List<String> tags = request.params("tag");
    String filter = request.param("filter", "");
    if (!filter.isEmpty()) {
      throw ApiException.badRequest(
          "Failed to create boolean expression evaluator: ?filter is not supported by the dev"
              + " Consul");
    }
    return reads.execute(
        request,
        s -> {
          JsonArray entries = new JsonArray();
          for (ServiceInstance service : s.catalog().services()) {
            if (service.name().equals(name) && hasTags(service, tags)) {
              List<HealthCheck> checks = s.catalog().checksFor(service.id());
              if (!passingOnly
                  || checks.stream().allMatch(c -> c.status() == CheckStatus.PASSING)) {
                entries.add(entry(s.catalog().node(), service, checks));
              }
            }
          }
          return new BlockingReads.Result(s.index().serviceIndex(name), Json.response(entries));
        });
  }

  private static JsonObject entry(
      NodeInfo node, ServiceInstance service, List<HealthCheck> checks) {
    JsonArray checkArray = new JsonArray();
    for (HealthCheck check : checks) {
      List<String> serviceTags =
          check.definition().isNodeCheck() ? List.of() : service.definition().tags();
      checkArray.add(check.toJson(node.name(), serviceTags));
    }
    JsonObject entry = new JsonObject();
    entry.add("Node", node.toJson());
    entry.add("Service", service.toJson());
    entry.add("Checks", checkArray);
    return entry;
  }

  private static boolean hasTags(ServiceInstance service, List<String> wanted) {
    return wanted.stream()
        .allMatch(tag -> service.definition().tags().stream().anyMatch(tag::equalsIgnoreCase));
  }

  /** Absent means false, present without a value means true, else a Go boolean. */
  private static boolean passing(ApiRequest request) {
    if (!request.has("passing")) {
      return false;
    }
    String value = request.param("passing");
    if (GO_TRUE.contains(value)) {
      return true;
    }
    if (GO_FALSE.contains(value)) {
      return false;
    }
    throw ApiException.badRequest("Invalid value for ?passing");
  }
}
