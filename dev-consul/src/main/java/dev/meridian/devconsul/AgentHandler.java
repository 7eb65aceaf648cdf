package dev.meridian.devconsul;

import com.google.gson.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Set;

/**
 * {@code /v1/agent/*}: service registration, TTL check updates, maintenance mode and the agent's
 * own service and check lists, always against the datacenter whose port received the request (the
 * local agent). Thread-safe (stateless; state lives in the {@link Datacenter}).
 */
final class AgentHandler implements Endpoint {
  private static final String PREFIX = "/v1/agent/";

  /** Consul's default output_max_size for TTL check output. */
  private static final int MAX_OUTPUT_BYTES = 4096;

  private static final String MAINTENANCE_PREFIX = "_service_maintenance:";
  private static final String DEFAULT_MAINTENANCE_REASON =
      "Maintenance mode is enabled for this service, but no reason was provided. This is a"
          + " default message.";
  private static final Set<String> UPDATE_FIELDS = Set.of("Status", "Output");

  private final Datacenters datacenters;

  AgentHandler(Datacenters datacenters) {
    this.datacenters = datacenters;
  }

  @Override
  public ApiResponse handle(ApiRequest request) {
    String path = request.path().substring(PREFIX.length());
    if (path.equals("services") || path.equals("checks")) {
      request.requireMethod("GET");
      return datacenters.local(request).read(s -> Json.response(localView(s, path)));
    }
    request.requireMethod("PUT");
    Datacenter datacenter = datacenters.localWriteTarget(request);
    if (path.equals("service/register")) {
      register(request, datacenter);
    } else if (path.startsWith("service/deregister/")) {
      deregister(datacenter, tail(path, "service/deregister/"));
    } else if (path.startsWith("service/maintenance/")) {
      maintenance(request, datacenter, tail(path, "service/maintenance/"));
    } else if (path.startsWith("check/pass/")) {
      updateTtl(datacenter, tail(path, "check/pass/"), CheckStatus.PASSING, note(request));
    } else if (path.startsWith("check/warn/")) {
      updateTtl(datacenter, tail(path, "check/warn/"), CheckStatus.WARNING, note(request));
    } else if (path.startsWith("check/fail/")) {
      updateTtl(datacenter, tail(path, "check/fail/"), CheckStatus.CRITICAL, note(request));
    } else if (path.startsWith("check/update/")) {
      JsonFields body = JsonFields.parse(request.body(), UPDATE_FIELDS);
      CheckStatus status = CheckStatus.parse(body.string("Status", ""));
      updateTtl(datacenter, tail(path, "check/update/"), status, body.string("Output", ""));
    } else {
      throw Router.notFound();
    }
    return ApiResponse.empty();
  }

  /** The agent's own services or checks by ID, as {@code GET /v1/agent/services|checks}. */
  private static JsonObject localView(DatacenterState state, String what) {
    Catalog catalog = state.catalog();
    JsonObject body = new JsonObject();
    if (what.equals("services")) {
      catalog.services().stream()
          .filter(service -> isLocal(service.id()))
          .forEach(service -> body.add(service.id(), service.toJson()));
    } else {
      for (HealthCheck check : catalog.checks()) {
        ServiceInstance service = catalog.service(check.definition().serviceId());
        List<String> tags = service == null ? List.of() : service.definition().tags();
        body.add(check.id(), check.toJson(catalog.node().name(), tags));
      }
    }
    return body;
  }

  private static void register(ApiRequest request, Datacenter datacenter) {
    ServiceRegistrationDecoder.Registration registration =
        ServiceRegistrationDecoder.decode(request.body());
    boolean replaceChecks = request.has("replace-existing-checks");
    datacenter.write(
        s -> {
          s.catalog().register(registration.service(), registration.checks(), replaceChecks);
          return null;
        });
  }

  private static void deregister(Datacenter datacenter, String serviceId) {
    boolean removed =
        datacenter.write(s -> isLocal(serviceId) && s.catalog().deregister(serviceId));
    if (!removed) {
      throw ApiException.notFound(
          "Unknown service ID \""
              + serviceId
              + "\". Ensure that the service ID is passed, not the service name.");
    }
  }

  private static void maintenance(ApiRequest request, Datacenter datacenter, String serviceId) {
    if (!request.has("enable")) {
      throw ApiException.badRequest("Missing value for enable");
    }
    String enableText = request.param("enable");
    if (!enableText.equals("true") && !enableText.equals("false")) {
      throw ApiException.badRequest("Invalid value for enable: \"" + enableText + "\"");
    }
    String reason = request.param("reason", DEFAULT_MAINTENANCE_REASON);
    datacenter.write(
        s -> {
          ServiceInstance service = isLocal(serviceId) ? s.catalog().service(serviceId) : null;
          if (service == null) {
            throw ApiException.notFound("Unknown service ID \"" + serviceId + "\"");
          }
          String checkId = MAINTENANCE_PREFIX + serviceId;
          if (enableText.equals("false")) {
            s.catalog().removeCheck(checkId);
          } else if (s.catalog().check(checkId) == null) {
            s.catalog()
                .upsertCheck(
                    new CheckDefinition(
                        checkId,
                        "Service Maintenance Mode",
                        reason,
                        serviceId,
                        service.name(),
                        "maintenance",
                        null,
                        null,
                        CheckStatus.CRITICAL),
                    "");
          }
          return null;
        });
  }

  private static void updateTtl(
      Datacenter datacenter, String checkId, CheckStatus status, String output) {
    String stored = truncate(output);
    datacenter.write(
        s -> {
          HealthCheck check = s.catalog().check(checkId);
          if (check == null) {
            throw ApiException.notFound(
                "Unknown check ID \""
                    + checkId
                    + "\". Ensure that the check ID is passed, not the check name.");
          }
          if (check.definition().ttl() == null) {
            throw ApiException.serverError(
                "CheckID \"" + checkId + "\" does not have associated TTL");
          }
          s.catalog().updateCheck(check, status, stored);
          return null;
        });
  }

  /** The {@code consul} service belongs to the servers' catalog, not to the local agent. */
  private static boolean isLocal(String serviceId) {
    return !serviceId.equals("consul");
  }

  private static String note(ApiRequest request) {
    return request.param("note", "");
  }

  private static String tail(String path, String prefix) {
    return path.substring(prefix.length());
  }

  /** Cuts output to 4 KiB and says so, as Consul's TTL check does. */
  private static String truncate(String output) {
    byte[] bytes = output.getBytes(StandardCharsets.UTF_8);
    if (bytes.length <= MAX_OUTPUT_BYTES) {
      return output;
    }
    String head = new String(bytes, 0, MAX_OUTPUT_BYTES, StandardCharsets.UTF_8);
    return head + " ... (captured " + MAX_OUTPUT_BYTES + " of " + bytes.length + " bytes)";
  }
}
