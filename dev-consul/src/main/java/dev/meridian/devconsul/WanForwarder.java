package dev.meridian.devconsul;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpConnectTimeoutException;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.net.http.HttpTimeoutException;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import javax.net.ssl.SSLContext;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * WAN federation between dev Consul processes: a request that names a remote datacenter with {@code
 * ?dc=} is sent as-is (method, path, query, token, body) to that datacenter's HTTP API, and its
 * answer (status, body, Consul headers) comes back, as a Consul server forwards an RPC to the
 * remote datacenter's servers, over HTTPS when this process serves HTTPS. Agent endpoints always
 * answer locally, as Consul's do. A forwarded request is marked so that the receiving process never
 * forwards it again. Thread-safe (immutable; {@link HttpClient} is thread-safe).
 */
final class WanForwarder {
  private static final Logger LOG = LoggerFactory.getLogger(WanForwarder.class);

  /** Marks a forwarded request; its value names the datacenter that forwarded it. */
  static final String FORWARDED_HEADER = "X-Meridian-Wan-Forwarded-From";

  /** What Consul answers when the remote datacenter's servers cannot be reached. */
  static final String UNREACHABLE =
      "rpc error making call: Remote DC has no server currently reachable";

  /** What Consul answers when a remote server took longer than the RPC client timeout. */
  static final String DEADLINE = "rpc error making call: i/o deadline reached";

  /** An unreachable remote fails fast instead of hanging its callers. */
  private static final Duration CONNECT_TIMEOUT = Duration.ofSeconds(1);

  /**
   * Consul's default rpc_client_timeout: how long a forwarded request may take beyond the longest
   * time a blocking query may legitimately hold it (its wait plus jitter).
   */
  private static final Duration RPC_CLIENT_TIMEOUT = Duration.ofSeconds(60);

  private static final String AGENT_PREFIX = "/v1/agent/";
  private static final List<String> REQUEST_HEADERS =
      List.of("X-Consul-Token", "Authorization", "Content-Type");
  private static final List<String> RESPONSE_HEADERS =
      List.of(
          "Content-Type",
          "X-Consul-Index",
          "X-Consul-Knownleader",
          "X-Consul-Lastcontact",
          "X-Consul-Effective-Consistency");

  private final Map<String, String> remotes = new LinkedHashMap<>();
  private final HttpClient client;

  /**
   * @param scheme {@code http} or {@code https}
   * @param wan remote datacenter name to the {@code host:port} of its HTTP API
   * @param tls with HTTPS, the context that checks the remotes' certificates
   */
  WanForwarder(String scheme, Map<String, String> wan, Optional<SSLContext> tls) {
    wan.forEach((name, address) -> remotes.put(name, scheme + "://" + address));
    HttpClient.Builder builder =
        HttpClient.newBuilder()
            .version(HttpClient.Version.HTTP_1_1)
            .connectTimeout(CONNECT_TIMEOUT)
            .followRedirects(HttpClient.Redirect.NEVER);
    tls.ifPresent(builder::sslContext);
    this.client = remotes.isEmpty() ? null : builder.build();
  }

  /** The remote datacenters' names, in configuration order. */
  List<String> datacenters() {
    return List.copyOf(remotes.keySet());
  }

  /** True for a request that names a remote datacenter and has not been forwarded already. */
  boolean forwards(ApiRequest request) {
    String datacenter = request.param("dc");
    return datacenter != null
        && remotes.containsKey(datacenter)
        && request.header(FORWARDED_HEADER) == null
        && !request.path().startsWith(AGENT_PREFIX);
  }

  /**
   * Sends the request to its datacenter and returns the answer.
   *
   * @throws ApiException 500 {@value #UNREACHABLE} when the remote cannot be reached, {@value
   *     #DEADLINE} when it does not answer in time
   * @throws InterruptedException when the server stops while the request is forwarded
   */
  ApiResponse forward(ApiRequest request) throws InterruptedException {
    String datacenter = request.param("dc");
    HttpRequest forwarded = outgoing(remotes.get(datacenter), request);
    try {
      return incoming(client.send(forwarded, HttpResponse.BodyHandlers.ofByteArray()));
    } catch (HttpConnectTimeoutException e) {
      throw failed(datacenter, e, UNREACHABLE);
    } catch (HttpTimeoutException e) {
      throw failed(datacenter, e, DEADLINE);
    } catch (IOException e) {
      throw failed(datacenter, e, UNREACHABLE);
    }
  }

  private static HttpRequest outgoing(String remote, ApiRequest request) {
    String query = request.rawQuery() == null ? "" : "?" + request.rawQuery();
    byte[] body = request.body();
    HttpRequest.Builder builder =
        HttpRequest.newBuilder(URI.create(remote + request.rawPath() + query))
            .method(
                request.method(),
                body.length == 0
                    ? HttpRequest.BodyPublishers.noBody()
                    : HttpRequest.BodyPublishers.ofByteArray(body))
            .timeout(RPC_CLIENT_TIMEOUT.plus(BlockingReads.longestBlock(request)))
            .header(FORWARDED_HEADER, request.localDatacenter());
    for (String name : REQUEST_HEADERS) {
      String value = request.header(name);
      if (value != null) {
        builder.header(name, value);
      }
    }
    return builder.build();
  }

  private static ApiResponse incoming(HttpResponse<byte[]> response) {
    Map<String, String> headers = new LinkedHashMap<>();
    for (String name : RESPONSE_HEADERS) {
      response.headers().firstValue(name).ifPresent(value -> headers.put(name, value));
    }
    return ApiResponse.of(response.statusCode(), headers, response.body());
  }

  private static ApiException failed(String datacenter, IOException cause, String message) {
    LOG.atDebug()
        .addKeyValue("datacenter", datacenter)
        .setCause(cause)
        .log("forwarding to another datacenter failed");
    return ApiException.serverError(message);
  }
}
