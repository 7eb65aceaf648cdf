package dev.meridian.devconsul;

import com.sun.net.httpserver.HttpServer;
import com.sun.net.httpserver.HttpsConfigurator;
import com.sun.net.httpserver.HttpsServer;
import dev.meridian.core.tls.SslContexts;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.InetSocketAddress;
import java.net.URI;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.ScheduledExecutorService;
import java.util.concurrent.ThreadFactory;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * An embedded development Consul, like {@code consul agent -dev}: it serves the subset of Consul's
 * HTTP API that Meridian uses (agent, health, catalog, KV, sessions, blocking queries) for one or
 * more datacenters, each on its own port of the bind address that acts as that datacenter's local
 * agent, and forwards requests for remote datacenters to the dev Consul that serves them (WAN
 * federation between processes). With a certificate it serves HTTPS on every port and forwards over
 * HTTPS. It is a development and test server, not a production Consul: one node per datacenter, no
 * raft, no gossip, no HTTP/TCP/gRPC check execution, state in memory (optionally snapshotted to a
 * file).
 *
 * <p>Lifecycle: {@code new DevConsul(config).start()}, then {@link #close()}. Thread-safe.
 */
public final class DevConsul implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(DevConsul.class);

  private final DevConsulConfig config;
  private final Datacenters datacenters;
  private final WanForwarder wan;
  private final Map<String, HttpServer> servers = new LinkedHashMap<>();
  private final SnapshotFile snapshot;

  // Guarded by this; null until started and after close.
  private ExecutorService requestPool;
  private ScheduledExecutorService timers;

  public DevConsul(DevConsulConfig config) {
    this.config = config;
    List<Datacenter> list = new ArrayList<>();
    for (String name : config.datacenters()) {
      list.add(
          new Datacenter(
              name, config.nodeName() + "-" + name, config.advertiseAddress(), config.clock()));
    }
    this.datacenters = new Datacenters(list);
    this.wan =
        new WanForwarder(
            config.scheme(),
            config.wan(),
            config.tlsCertificate().map(certificate -> SslContexts.client(config.wanAuthority())));
    this.snapshot =
        config.snapshotFile().map(file -> new SnapshotFile(file, config.clock())).orElse(null);
  }

  /**
   * Loads the snapshot if there is one, binds every datacenter's port and starts serving.
   *
   * @return this, for {@code try (DevConsul consul = new DevConsul(config).start())}
   * @throws UncheckedIOException when a port cannot be bound or the snapshot cannot be read
   */
  public synchronized DevConsul start() {
    // Servers stay registered after close, so a closed instance cannot be started again.
    if (requestPool != null || !servers.isEmpty()) {
      throw new IllegalStateException("already started");
    }
    if (snapshot != null) {
      snapshot.load(datacenters);
    }
    // A blocking query holds its thread for up to ten minutes, so the pool grows with watchers.
    requestPool = Executors.newCachedThreadPool(daemonThreads("dev-consul-http"));
    timers = Executors.newSingleThreadScheduledExecutor(daemonThreads("dev-consul-timers"));
    AclGuard acl = new AclGuard(config.aclToken().orElse(null));
    Map<String, Endpoint> endpoints = endpoints();
    Optional<HttpsConfigurator> https =
        config
            .tlsCertificate()
            .map(
                certificate ->
                    new HttpsConfigurator(
                        SslContexts.server(certificate, config.tlsKey().orElseThrow())));
    try {
      InetAddress bindAddress = NetworkAddresses.parseLiteral(config.bindAddress());
      int offset = 0;
      for (Datacenter datacenter : datacenters.all()) {
        int port = config.basePort() == 0 ? 0 : config.basePort() + offset++;
        HttpServer server = bind(new InetSocketAddress(bindAddress, port), https);
        server.createContext(
            "/", new Router(datacenter.name(), datacenter.faults(), acl, wan, endpoints));
        server.setExecutor(requestPool);
        server.start();
        servers.put(datacenter.name(), server);
      }
    } catch (IOException e) {
      close();
      throw new UncheckedIOException(
          "dev consul: cannot bind its ports on " + config.bindAddress(), e);
    }
    long period = config.timerInterval().toNanos();
    timers.scheduleAtFixedRate(this::tick, period, period, TimeUnit.NANOSECONDS);
    return this;
  }

  private static HttpServer bind(InetSocketAddress address, Optional<HttpsConfigurator> https)
      throws IOException {
    if (https.isEmpty()) {
      return HttpServer.create(address, 128);
    }
    HttpsServer server = HttpsServer.create(address, 128);
    server.setHttpsConfigurator(https.get());
    return server;
  }

  /** Datacenter names in configuration order; the first is the default. */
  public List<String> datacenters() {
    return config.datacenters();
  }

  /** The bound port of a datacenter's local agent. */
  public synchronized int port(String datacenter) {
    HttpServer server = servers.get(datacenter);
    if (server == null) {
      throw new IllegalArgumentException(
          "datacenter: " + datacenter + " (expected: one of " + datacenters() + ", started)");
    }
    return server.getAddress().getPort();
  }

  /**
   * The base URI of a datacenter's local agent on the advertised address, e.g. {@code
   * http://10.0.0.1:8500}, or {@code https://} with TLS.
   */
  public URI uri(String datacenter) {
    return URI.create(
        config.scheme() + "://" + HostPort.format(config.advertiseAddress(), port(datacenter)));
  }

  /** The base URI of the first datacenter's local agent. */
  public URI uri() {
    return uri(datacenters().get(0));
  }

  /** The fault controls of one datacenter. */
  public FaultControls faults(String datacenter) {
    Datacenter dc = datacenters.get(datacenter);
    if (dc == null) {
      throw new IllegalArgumentException(
          "datacenter: " + datacenter + " (expected: one of " + datacenters() + ")");
    }
    return dc.faults();
  }

  /**
   * Fires, in every datacenter, whatever is due at the clock's current time: TTL checks turning
   * critical, session TTLs, the reaper. The scheduler does this every timer interval; tests with a
   * {@link ManualClock} call it right after advancing the clock.
   */
  public void runTimers() {
    datacenters.all().forEach(Datacenter::runTimers);
  }

  /** Stops serving, releases held requests and saves the snapshot. Idempotent. */
  @Override
  public synchronized void close() {
    if (requestPool == null) {
      return;
    }
    timers.shutdownNow();
    datacenters.all().forEach(dc -> dc.faults().close());
    servers.values().forEach(server -> server.stop(0));
    requestPool.shutdownNow();
    requestPool = null;
    if (snapshot != null) {
      snapshot.saveIfChanged(datacenters);
    }
  }

  private Map<String, Endpoint> endpoints() {
    BlockingReads reads = new BlockingReads(datacenters);
    return Map.of(
        "/v1/agent/",
        new AgentHandler(datacenters),
        "/v1/health/",
        new HealthHandler(reads),
        "/v1/catalog/",
        new CatalogHandler(datacenters, wan.datacenters(), reads),
        "/v1/kv/",
        new KvHandler(datacenters, reads),
        "/v1/session/",
        new SessionHandler(datacenters, reads),
        "/v1/status/",
        new StatusHandler(datacenters, config.advertiseAddress()),
        Router.DEV_PREFIX,
        new DevControlHandler(datacenters));
  }

  private void tick() {
    // An exception escaping a scheduled task would silently cancel every later tick.
    try {
      runTimers();
      if (snapshot != null) {
        snapshot.saveIfChanged(datacenters);
      }
    } catch (RuntimeException e) {
      LOG.warn("dev consul timer tick failed", e);
    }
  }

  private static ThreadFactory daemonThreads(String prefix) {
    AtomicInteger count = new AtomicInteger();
    return runnable -> {
      Thread thread = new Thread(runnable, prefix + "-" + count.incrementAndGet());
      thread.setDaemon(true);
      return thread;
    };
  }
}
