package dev.meridian.deploy;

import dev.meridian.devconsul.DevConsul;
import dev.meridian.devconsul.DevConsulConfig;
import dev.meridian.registry.ConsulConfig;
import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import java.time.Duration;
import java.util.List;
import java.util.Optional;

/**
 * A dev Consul serving {@code eu-west} (the control datacenter) and {@code us-east} in one process,
 * as the demo runs it, on free ports, with a registry to arrange and check its KV. Each instance
 * starts empty: a second one is a Consul that lost its data.
 */
final class TwoDatacenterConsul implements AutoCloseable {
  static final String EU = "eu-west";
  static final String US = "us-east";

  private final DevConsul consul;
  private final ConsulRegistry registry;

  TwoDatacenterConsul() {
    consul =
        new DevConsul(DevConsulConfig.builder().datacenters(List.of(EU, US)).basePort(0).build())
            .start();
    registry =
        new ConsulRegistry(
            ConsulConfig.builder()
                .host("127.0.0.1")
                .port(consul.port(EU))
                .maxWait(Duration.ofSeconds(1))
                .build());
  }

  /** The {@code --consul} option that reaches it. */
  String address() {
    return "127.0.0.1:" + consul.port(EU);
  }

  /** Writes {@code value} at {@code key} in {@code datacenter}. */
  void put(String datacenter, String key, String value) {
    registry.kv().put(key, value, datacenter);
  }

  /** The value at {@code key} in {@code datacenter}, if any. */
  Optional<String> get(String datacenter, String key) {
    return registry.kv().get(key, datacenter, 0).value().map(KvEntry::value);
  }

  @Override
  public void close() {
    registry.close();
    consul.close();
  }
}
