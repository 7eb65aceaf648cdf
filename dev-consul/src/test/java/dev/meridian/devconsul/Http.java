package dev.meridian.devconsul;

import com.google.gson.JsonElement;
import com.google.gson.JsonParser;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;

/** A tiny plain-HTTP Consul client for the contract tests, on {@link java.net.http.HttpClient}. */
final class Http {
  private static final HttpClient CLIENT =
      HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private final URI base;
  private final String token;
  private final Duration timeout;

  Http(URI base) {
    this(base, System.getenv("CONSUL_HTTP_TOKEN"), Duration.ofSeconds(30));
  }

  Http(URI base, String token, Duration timeout) {
    this.base = base;
    this.token = token;
    this.timeout = timeout;
  }

  Http withTimeout(Duration newTimeout) {
    return new Http(base, token, newTimeout);
  }

  Http withToken(String newToken) {
    return new Http(base, newToken, timeout);
  }

  /** A response: status, body and headers. */
  record Reply(int status, byte[] bytes, java.net.http.HttpHeaders headers) {
    String body() {
      return new String(bytes, StandardCharsets.UTF_8);
    }

    JsonElement json() {
      return JsonParser.parseString(body());
    }

    String header(String name) {
      return headers.firstValue(name).orElse(null);
    }

    long index() {
      return Long.parseLong(header("X-Consul-Index"));
    }
  }

  Reply get(String path) {
    return send(request(path).GET());
  }

  Reply put(String path, String body) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofString(body)));
  }

  Reply put(String path, byte[] body) {
    return send(request(path).PUT(HttpRequest.BodyPublishers.ofByteArray(body)));
  }

  Reply put(String path) {
    return put(path, "");
  }

  Reply delete(String path) {
    return send(request(path).DELETE());
  }

  CompletableFuture<Reply> getAsync(String path) {
    return CLIENT
        .sendAsync(request(path).GET().build(), HttpResponse.BodyHandlers.ofByteArray())
        .thenApply(r -> new Reply(r.statusCode(), r.body(), r.headers()));
  }

  HttpRequest.Builder request(String path) {
    HttpRequest.Builder builder = HttpRequest.newBuilder(base.resolve(path)).timeout(timeout);
    if (token != null && !token.isEmpty()) {
      builder.header("X-Consul-Token", token);
    }
    return builder;
  }

  Reply send(HttpRequest.Builder builder) {
    try {
      HttpResponse<byte[]> response =
          CLIENT.send(builder.build(), HttpResponse.BodyHandlers.ofByteArray());
      return new Reply(response.statusCode(), response.body(), response.headers());
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }
}
