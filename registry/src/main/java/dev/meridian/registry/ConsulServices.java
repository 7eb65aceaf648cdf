package dev.meridian.registry;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.agent.model.NewService;
import com.ecwid.consul.v1.health.HealthServicesRequest;
import com.ecwid.consul.v1.health.model.Check;
import com.ecwid.consul.v1.health.model.HealthService;
import java.util.List;
import java.util.Map;
import java.util.Objects;

/**
 * Service registration with the local Consul agent, TTL check updates, and health queries in any
 * datacenter. Thread-safe.
 */
public final class ConsulServices {
  private final ConsulClient client;
  private final long waitSeconds;

  ConsulServices(ConsulClient client, ConsulConfig config) {
    this.client = client;
    this.waitSeconds = config.maxWait().toSeconds();
  }

  /** Registers (or re-registers) an instance with its TTL check, initially critical. */
  public void register(ReplicaRegistration registration) {
    NewService service = new NewService();
    service.setName(registration.service());
    service.setId(registration.id());
    service.setAddress(registration.address());
    service.setPort(registration.port());
    service.setTags(registration.tags());
    service.setMeta(registration.meta());
    NewService.Check check = new NewService.Check();
    check.setTtl(GoDurations.format(registration.ttl()));
    check.setDeregisterCriticalServiceAfter(
        GoDurations.format(registration.deregisterCriticalAfter()));
    service.setCheck(check);
    register(service);
  }

  /** Registers (or re-registers) {@code service} as it is, checks and all. */
  void register(NewService service) {
    ConsulNames.name("service id", service.getId());
    ConsulCall.run("register " + service.getId(), () -> client.agentServiceRegister(service));
  }

  /** Reports a TTL check passing, with {@code output} saying why. */
  public void pass(String checkId, String output) {
    ConsulNames.name("check id", checkId);
    ConsulCall.run("pass " + checkId, () -> client.agentCheckPass(checkId, output));
  }

  /** Reports a TTL check warning (serving, but not well), with {@code output} saying why. */
  public void warn(String checkId, String output) {
    ConsulNames.name("check id", checkId);
    ConsulCall.run("warn " + checkId, () -> client.agentCheckWarn(checkId, output));
  }

  /** Reports a TTL check critical, with {@code output} saying why. */
  public void fail(String checkId, String output) {
    ConsulNames.name("check id", checkId);
    ConsulCall.run("fail " + checkId, () -> client.agentCheckFail(checkId, output));
  }

  /** Removes an instance and its checks from the local agent. */
  public void deregister(String serviceId) {
    ConsulNames.name("service id", serviceId);
    ConsulCall.run("deregister " + serviceId, () -> client.agentServiceDeregister(serviceId));
  }

  /** Puts an instance in maintenance (critical everywhere) or takes it out. */
  public void maintenance(String serviceId, boolean enable, String reason) {
    ConsulNames.name("service id", serviceId);
    ConsulCall.run(
        "maintenance " + serviceId,
        () -> client.agentServiceSetMaintenance(serviceId, enable, reason));
  }

  /**
   * Reads the passing instances of {@code service} in {@code datacenter}. With {@code index} 0 it
   * answers at once; otherwise it blocks until the result changes past {@code index} or the wait
   * runs out.
   */
  public Versioned<List<ServiceInstance>> healthy(String service, String datacenter, long index) {
    return instances(service, datacenter, index, true);
  }

  /**
   * Like {@link #healthy} but returns every instance, passing or not; {@link
   * ServiceInstance#health()} tells them apart.
   */
  public Versioned<List<ServiceInstance>> all(String service, String datacenter, long index) {
    return instances(service, datacenter, index, false);
  }

  private Versioned<List<ServiceInstance>> instances(
      String service, String datacenter, long index, boolean passingOnly) {
    ConsulNames.name("service", service);
    ConsulNames.name("datacenter", datacenter);
    HealthServicesRequest request =
        HealthServicesRequest.newBuilder()
            .setDatacenter(datacenter)
            .setPassing(passingOnly)
            .setQueryParams(new QueryParams(waitSeconds, index))
            .build();
    return ConsulCall.read(
        "health " + service + " in " + datacenter,
        () -> client.getHealthServices(service, request),
        entries -> entries.stream().map(ConsulServices::toInstance).toList());
  }

  private static ServiceInstance toInstance(HealthService entry) {
    HealthService.Service service = entry.getService();
    String address =
        service.getAddress() == null || service.getAddress().isEmpty()
            ? entry.getNode().getAddress()
            : service.getAddress();
    HealthState health = HealthState.PASSING;
    for (Check check : entry.getChecks()) {
      if (check.getStatus() == Check.CheckStatus.WARNING) {
        health = health == HealthState.CRITICAL ? health : HealthState.WARNING;
      } else if (check.getStatus() != Check.CheckStatus.PASSING) {
        health = HealthState.CRITICAL;
      }
    }
    return new ServiceInstance(
        service.getId(),
        service.getService(),
        address,
        Objects.requireNonNullElse(service.getPort(), 0),
        Objects.requireNonNullElse(service.getTags(), List.of()),
        Objects.requireNonNullElse(service.getMeta(), Map.of()),
        health);
  }
}
