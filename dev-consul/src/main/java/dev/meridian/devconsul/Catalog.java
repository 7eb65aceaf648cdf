package dev.meridian.devconsul;

import dev.meridian.devconsul.IndexTracker.Table;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeMap;
import java.util.UUID;
import java.util.function.Consumer;

/**
 * The node, services and checks of one datacenter, with the agent's rules for re-registration, TTL
 * expiry and the critical-service reaper. Not thread-safe: guarded by the owning {@link
 * Datacenter}'s lock.
 */
final class Catalog {
  static final String SERF_CHECK_ID = "serfHealth";
  static final String TTL_EXPIRED = "TTL expired";

  /**
   * How often a check whose status holds may carry a new output into the catalog: a Consul agent's
   * {@code check_update_interval} (5 minutes by default). A steady check that words each pass a
   * little differently (a latency, a time) would otherwise move the health index on every pass and
   * wake every blocking query on it; a change of status goes through at once.
   */
  static final Duration CHECK_UPDATE_INTERVAL = Duration.ofMinutes(5);

  /** The reaper never removes a service sooner than this, whatever the check asked for. */
  private static final Duration MIN_REAP_AFTER = Duration.ofMinutes(1);

  private final NodeInfo node;
  private final IndexTracker index;
  private final InstantSource clock;
  private final Consumer<String> onCheckLost;
  private final Map<String, ServiceInstance> services = new TreeMap<>();
  private final Map<String, HealthCheck> checks = new TreeMap<>();

  /**
   * Creates the catalog with its node, the node's {@code serfHealth} check and the {@code consul}
   * service, all inside the caller's current write.
   *
   * @param nodeAddress the node's address: the dev Consul's advertised address
   * @param onCheckLost told the ID of every check that goes critical or is removed, so that
   *     sessions linked to it end
   */
  Catalog(
      String datacenter,
      String nodeName,
      String nodeAddress,
      IndexTracker index,
      InstantSource clock,
      Consumer<String> onCheckLost) {
    this.index = index;
    this.clock = clock;
    this.onCheckLost = onCheckLost;
    long created = index.touch(Table.NODES);
    this.node =
        new NodeInfo(
            UUID.nameUUIDFromBytes((datacenter + "/" + nodeName).getBytes(StandardCharsets.UTF_8))
                .toString(),
            nodeName,
            nodeAddress,
            datacenter,
            created);
    upsertCheck(
        new CheckDefinition(
            SERF_CHECK_ID, "Serf Health Status", "", "", "", "", null, null, CheckStatus.PASSING),
        "Agent alive and reachable");
    registerService(
        new ServiceDefinition("consul", "consul", List.of(), "", 8300, Map.of(), 1, 1, false));
  }

  NodeInfo node() {
    return node;
  }

  ServiceInstance service(String id) {
    return services.get(id);
  }

  Collection<ServiceInstance> services() {
    return services.values();
  }

  HealthCheck check(String id) {
    return checks.get(id);
  }

  Collection<HealthCheck> checks() {
    return checks.values();
  }

  /** Replaces everything with a snapshot's services and checks, restarting TTL timers. */
  void restore(List<ServiceInstance> restoredServices, List<HealthCheck> restoredChecks) {
    services.clear();
    checks.clear();
    restoredServices.forEach(service -> services.put(service.id(), service));
    Instant now = clock.instant();
    for (HealthCheck check : restoredChecks) {
      check.restartTtl(now);
      checks.put(check.id(), check);
    }
  }

  /** The checks that bear on a service's health: node checks first, then the service's own. */
  List<HealthCheck> checksFor(String serviceId) {
    List<HealthCheck> result = new ArrayList<>();
    checks.values().stream().filter(c -> c.definition().isNodeCheck()).forEach(result::add);
    checks.values().stream()
        .filter(c -> c.definition().serviceId().equals(serviceId))
        .forEach(result::add);
    return result;
  }

  /** Adds or replaces a service and its checks; an unchanged definition keeps its indexes. */
  void register(
      ServiceDefinition definition, List<CheckDefinition> checkDefinitions, boolean replaceChecks) {
    registerService(definition);
    Set<String> wanted = new HashSet<>();
    for (CheckDefinition check : checkDefinitions) {
      wanted.add(check.checkId());
      upsertCheck(check, "");
    }
    if (replaceChecks) {
      List.copyOf(checksFor(definition.id())).stream()
          .filter(c -> !c.definition().isNodeCheck() && !wanted.contains(c.id()))
          .forEach(c -> removeCheck(c.id()));
    }
  }

  /** Removes a service and its checks; false when there is no such service. */
  boolean deregister(String serviceId) {
    ServiceInstance removed = services.remove(serviceId);
    if (removed == null) {
      return false;
    }
    index.touch(Table.SERVICES);
    List.copyOf(checks.values()).stream()
        .filter(c -> c.definition().serviceId().equals(serviceId))
        .forEach(c -> removeCheck(c.id()));
    touchServiceName(removed.name());
    return true;
  }

  /**
   * Adds a check, or replaces one with the same ID while keeping its status and output (the agent
   * restores them on re-registration). Always restarts the TTL timer.
   */
  void upsertCheck(CheckDefinition definition, String initialOutput) {
    Instant now = clock.instant();
    HealthCheck previous = checks.get(definition.checkId());
    if (previous != null && previous.definition().equals(definition)) {
      previous.restartTtl(now);
      return;
    }
    CheckStatus status = previous == null ? definition.initialStatus() : previous.status();
    String output = previous == null ? initialOutput : previous.output();
    long modified = index.touch(Table.CHECKS);
    HealthCheck check =
        new HealthCheck(
            definition,
            status,
            output,
            previous == null ? modified : previous.createIndex(),
            modified,
            previous == null
                ? (status == CheckStatus.CRITICAL ? now : null)
                : previous.criticalSince());
    check.restartTtl(now);
    checks.put(definition.checkId(), check);
    touchServicesOf(check);
  }

  /** Removes a check; false when there is none with that ID. */
  boolean removeCheck(String checkId) {
    HealthCheck removed = checks.remove(checkId);
    if (removed == null) {
      return false;
    }
    index.touch(Table.CHECKS);
    touchServicesOf(removed);
    onCheckLost.accept(checkId);
    return true;
  }

  /** Sets a check's status and output (a TTL pass/warn/fail/update), restarting its timer. */
  void updateCheck(HealthCheck check, CheckStatus status, String output) {
    Instant now = clock.instant();
    check.restartTtl(now);
    if (check.status() == status
        && (check.output().equals(output)
            || now.isBefore(check.updatedAt().plus(CHECK_UPDATE_INTERVAL)))) {
      return;
    }
    boolean turnsCritical = status == CheckStatus.CRITICAL && check.status() != status;
    check.update(status, output, index.touch(Table.CHECKS), now);
    touchServicesOf(check);
    if (turnsCritical) {
      onCheckLost.accept(check.id());
    }
  }

  /** Turns every TTL check whose timer has run out critical with output {@code TTL expired}. */
  void expireTtlChecks() {
    Instant now = clock.instant();
    for (HealthCheck check : List.copyOf(checks.values())) {
      if (check.ttlDeadline() != null && !now.isBefore(check.ttlDeadline())) {
        updateCheck(check, CheckStatus.CRITICAL, TTL_EXPIRED);
        check.stopTtl();
      }
    }
  }

  /**
   * The services that have a check critical for longer than its DeregisterCriticalServiceAfter (at
   * least one minute), which the reaper removes.
   */
  List<String> servicesToReap() {
    Instant now = clock.instant();
    List<String> result = new ArrayList<>();
    for (HealthCheck check : checks.values()) {
      Duration after = check.definition().deregisterCriticalAfter();
      if (after == null || after.isZero() || check.criticalSince() == null) {
        continue;
      }
      Duration timeout = after.compareTo(MIN_REAP_AFTER) < 0 ? MIN_REAP_AFTER : after;
      if (Duration.between(check.criticalSince(), now).compareTo(timeout) > 0
          && !result.contains(check.definition().serviceId())) {
        result.add(check.definition().serviceId());
      }
    }
    return result;
  }

  private void registerService(ServiceDefinition definition) {
    ServiceInstance previous = services.get(definition.id());
    if (previous != null && previous.definition().equals(definition)) {
      return;
    }
    long modified = index.touch(Table.SERVICES);
    services.put(
        definition.id(),
        new ServiceInstance(
            definition, previous == null ? modified : previous.createIndex(), modified));
    index.touchService(definition.name());
    if (previous != null && !previous.name().equals(definition.name())) {
      touchServiceName(previous.name());
    }
  }

  /** A node check bears on every service of the node; a service check on its own service. */
  private void touchServicesOf(HealthCheck check) {
    if (check.definition().isNodeCheck()) {
      services.values().forEach(s -> index.touchService(s.name()));
    } else {
      touchServiceName(check.definition().serviceName());
    }
  }

  private void touchServiceName(String name) {
    if (services.values().stream().anyMatch(s -> s.name().equals(name))) {
      index.touchService(name);
    } else {
      index.serviceExtinct(name);
    }
  }
}
