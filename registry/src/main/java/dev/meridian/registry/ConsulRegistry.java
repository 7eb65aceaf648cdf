package dev.meridian.registry;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.ConsulRawClient;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.List;
import org.apache.http.impl.client.CloseableHttpClient;

/**
 * The one place Meridian talks to Consul: a facade over the {@code consul-api} client with services
 * and health ({@link #services()}), KV ({@link #kv()}) and sessions ({@link #sessions()}). Failures
 * surface as typed {@link RegistryException}s. Thread-safe; close it to release its connections.
 */
public final class ConsulRegistry implements AutoCloseable {
  private final ConsulConfig config;
  private final CloseableHttpClient http;
  private final ConsulClient client;
  private final ConsulServices services;
  private final ConsulKv kv;
  private final ConsulSessions sessions;

  /** Connects to the Consul agent that {@code config} names (no request is sent yet). */
  public ConsulRegistry(ConsulConfig config) {
    this.config = config;
    this.http = ConsulHttpClients.create(config);
    this.client =
        new ConsulClient(
            ConsulRawClient.Builder.builder()
                .setHost(config.scheme() + "://" + config.host())
                .setPort(config.port())
                .setHttpClient(http)
                .build());
    this.services = new ConsulServices(client, config);
    this.kv = new ConsulKv(client, config);
    this.sessions = new ConsulSessions(client);
  }

  /** The configuration this registry was built with. */
  public ConsulConfig config() {
    return config;
  }

  /** Service registration, TTL checks and health queries. */
  public ConsulServices services() {
    return services;
  }

  /** Key-value reads and writes. */
  public ConsulKv kv() {
    return kv;
  }

  /** Sessions, for locks. */
  public ConsulSessions sessions() {
    return sessions;
  }

  /** The datacenters Consul knows. */
  public List<String> datacenters() {
    return ConsulCall.run("catalog datacenters", client::getCatalogDatacenters).getValue();
  }

  /** Closes the HTTP connections; calls in flight fail. */
  @Override
  public void close() {
    try {
      http.close();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
