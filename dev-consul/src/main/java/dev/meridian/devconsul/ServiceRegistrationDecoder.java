package dev.meridian.devconsul;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * Decodes and validates the body of {@code PUT /v1/agent/service/register} into a service and its
 * checks, applying the agent's defaults (ID from Name, check IDs {@code service:<id>[:<n>]},
 * initial status critical). Stateless.
 */
final class ServiceRegistrationDecoder {

  /** The registration result: the service and its checks, IDs assigned. */
  record Registration(ServiceDefinition service, List<CheckDefinition> checks) {}

  /**
   * Fields the dev server acts on, plus fields valid Consul requests carry that it accepts and
   * ignores (Connect, namespaces, script checks) so that those requests are not refused.
   */
  private static final Set<String> SERVICE_FIELDS =
      Set.of(
          "ID",
          "Name",
          "Tags",
          "Address",
          "Port",
          "Meta",
          "EnableTagOverride",
          "Weights",
          "Check",
          "Checks",
          "Kind",
          "TaggedAddresses",
          "SocketPath",
          "Proxy",
          "Connect",
          "Namespace",
          "Partition",
          "Locality");

  private static final Set<String> WEIGHT_FIELDS = Set.of("Passing", "Warning");

  private static final Set<String> CHECK_FIELDS =
      Set.of(
          "CheckID",
          "Name",
          "Notes",
          "Status",
          "TTL",
          "Interval",
          "HTTP",
          "TCP",
          "GRPC",
          "Timeout",
          "DeregisterCriticalServiceAfter",
          "SuccessBeforePassing",
          "FailuresBeforeCritical",
          "FailuresBeforeWarning",
          "Args",
          "ScriptArgs",
          "Script",
          "Method",
          "Header",
          "Body",
          "TLSSkipVerify",
          "TLSServerName",
          "GRPCUseTLS",
          "UDP",
          "H2PING",
          "H2PingUseTLS",
          "OSService",
          "AliasNode",
          "AliasService",
          "DockerContainerID",
          "Shell",
          "OutputMaxSize",
          "ServiceID",
          "Type");

  private static final List<String> ACTIVE_CHECK_KINDS =
      List.of("HTTP", "TCP", "GRPC", "UDP", "H2PING", "OSService");

  private ServiceRegistrationDecoder() {}

  static Registration decode(byte[] body) {
    JsonFields fields = JsonFields.parse(body, SERVICE_FIELDS);
    String name = fields.string("Name", "");
    if (name.isEmpty()) {
      throw ApiException.badRequest("Missing service name");
    }
    String id = fields.string("ID", "");
    ServiceDefinition service =
        new ServiceDefinition(
            id.isEmpty() ? name : id,
            name,
            fields.strings("Tags"),
            fields.string("Address", ""),
            Math.toIntExact(orZero(fields.number("Port"))),
            fields.stringMap("Meta"),
            weight(fields, "Passing"),
            weight(fields, "Warning"),
            Boolean.TRUE.equals(fields.bool("EnableTagOverride")));
    List<JsonFields> checkFields = new ArrayList<>();
    JsonFields single = fields.object("Check", CHECK_FIELDS);
    if (!single.isEmpty()) {
      checkFields.add(single);
    }
    checkFields.addAll(fields.objects("Checks", CHECK_FIELDS));
    List<CheckDefinition> checks = new ArrayList<>();
    for (int i = 0; i < checkFields.size(); i++) {
      String defaultId = "service:" + service.id() + (checkFields.size() > 1 ? ":" + (i + 1) : "");
      checks.add(check(checkFields.get(i), defaultId, service));
    }
    return new Registration(service, checks);
  }

  private static int weight(JsonFields service, String which) {
    JsonFields weights = service.object("Weights", WEIGHT_FIELDS);
    if (weights.isEmpty()) {
      return 1;
    }
    long value = orZero(weights.number(which));
    if (which.equals("Passing") && value < 1) {
      throw ApiException.badRequest("Passing must be greater than 0");
    }
    if (value < 0) {
      throw ApiException.badRequest("Warning must be greater or equal than 0");
    }
    return Math.toIntExact(value);
  }

  private static CheckDefinition check(JsonFields fields, String defaultId, ServiceDefinition svc) {
    Duration ttl = orZero(fields.duration("TTL"));
    Duration interval = orZero(fields.duration("Interval"));
    boolean active =
        ACTIVE_CHECK_KINDS.stream().anyMatch(kind -> !fields.string(kind, "").isEmpty())
            || !fields.strings("Args").isEmpty()
            || !fields.strings("ScriptArgs").isEmpty();
    if (interval.compareTo(Duration.ZERO) > 0 && ttl.compareTo(Duration.ZERO) > 0) {
      throw invalidCheck("Interval and TTL cannot both be specified");
    }
    if (active && interval.compareTo(Duration.ZERO) <= 0) {
      throw invalidCheck("Interval must be > 0 for Script, HTTP, H2PING, TCP, UDP or GRPC checks");
    }
    if (!active && ttl.compareTo(Duration.ZERO) <= 0) {
      throw invalidCheck("TTL must be > 0 for TTL checks");
    }
    String status = fields.string("Status", "");
    String checkId = fields.string("CheckID", "");
    String name = fields.string("Name", "");
    return new CheckDefinition(
        checkId.isEmpty() ? defaultId : checkId,
        name.isEmpty() ? "Service '" + svc.name() + "' check" : name,
        fields.string("Notes", ""),
        svc.id(),
        svc.name(),
        active ? type(fields) : "ttl",
        active ? null : ttl,
        fields.duration("DeregisterCriticalServiceAfter"),
        status.isEmpty() ? CheckStatus.CRITICAL : CheckStatus.parse(status));
  }

  private static String type(JsonFields fields) {
    return ACTIVE_CHECK_KINDS.stream()
        .filter(kind -> !fields.string(kind, "").isEmpty())
        .map(kind -> kind.toLowerCase(Locale.ROOT))
        .findFirst()
        .orElse("script");
  }

  private static ApiException invalidCheck(String reason) {
    return ApiException.badRequest("Invalid check: " + reason);
  }

  private static long orZero(Long value) {
    return value == null ? 0 : value;
  }

  private static Duration orZero(Duration value) {
    return value == null ? Duration.ZERO : value;
  }
}
