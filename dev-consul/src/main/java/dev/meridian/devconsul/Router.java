package dev.meridian.devconsul;

import com.sun.net.httpserver.HttpExchange;
import com.sun.net.httpserver.HttpHandler;
import java.io.IOException;
import java.io.OutputStream;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP front door of one datacenter's port: applies its faults and the ACL, dispatches by path
 * prefix, and writes {@link ApiException}s as Consul's plain-text errors. Thread-safe (immutable).
 */
final class Router implements HttpHandler {
  private static final Logger LOG = LoggerFactory.getLogger(Router.class);

  /** Fault controls live outside Consul's API so that no Consul path can ever clash with them. */
  static final String DEV_PREFIX = "/_dev/";

  private final String localDatacenter;
  private final FaultControls localFaults;
  private final AclGuard acl;
  private final WanForwarder wan;
  private final Map<String, Endpoint> endpoints;

  /**
   * @param wan forwards requests for remote datacenters, which check the ACL themselves
   * @param endpoints handlers by path prefix, e.g. {@code /v1/kv/}
   */
  Router(
      String localDatacenter,
      FaultControls localFaults,
      AclGuard acl,
      WanForwarder wan,
      Map<String, Endpoint> endpoints) {
    this.localDatacenter = localDatacenter;
    this.localFaults = localFaults;
    this.acl = acl;
    this.wan = wan;
    this.endpoints = Map.copyOf(endpoints);
  }

  static ApiException notFound() {
    return ApiException.notFound("404 page not found");
  }

  @Override
  public void handle(HttpExchange exchange) throws IOException {
    try (exchange) {
      ApiResponse response;
      try {
        response = dispatch(exchange);
      } catch (ApiException e) {
        response = ApiResponse.text(e.status(), e.getMessage());
      } catch (InterruptedException e) {
        // The server is stopping: drop the request unanswered, like a Consul that went away.
        Thread.currentThread().interrupt();
        return;
      } catch (RuntimeException e) {
        LOG.atWarn()
            .addKeyValue("uri", String.valueOf(exchange.getRequestURI()))
            .setCause(e)
            .log("unexpected failure answering a request");
        response = ApiResponse.text(500, String.valueOf(e.getMessage()));
      }
      write(exchange, response);
    }
  }

  private ApiResponse dispatch(HttpExchange exchange) throws IOException, InterruptedException {
    String path = exchange.getRequestURI().getPath();
    if (!path.startsWith(DEV_PREFIX)) {
      localFaults.awaitService();
    }
    ApiRequest request;
    try {
      request =
          new ApiRequest(
              exchange.getRequestMethod(),
              path,
              exchange.getRequestURI().getRawPath(),
              exchange.getRequestURI().getRawQuery(),
              exchange.getRequestHeaders()::getFirst,
              exchange.getRequestBody().readAllBytes(),
              localDatacenter);
    } catch (IllegalArgumentException e) {
      throw ApiException.badRequest("Invalid query: " + e.getMessage());
    }
    if (wan.forwards(request)) {
      return wan.forward(request);
    }
    acl.check(request);
    for (Map.Entry<String, Endpoint> endpoint : endpoints.entrySet()) {
      if (path.startsWith(endpoint.getKey())) {
        return endpoint.getValue().handle(request);
      }
    }
    throw notFound();
  }

  private static void write(HttpExchange exchange, ApiResponse response) throws IOException {
    response.headers().forEach((name, value) -> exchange.getResponseHeaders().set(name, value));
    byte[] body = response.body();
    exchange.sendResponseHeaders(response.status(), body.length == 0 ? -1 : body.length);
    if (body.length > 0) {
      try (OutputStream out = exchange.getResponseBody()) {
        out.write(body);
      }
    }
  }
}
