package dev.meridian.devconsul;

import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.Map;

/** An HTTP response about to be written: status, headers and body bytes. Immutable. */
final class ApiResponse {
  private final int status;
  private final Map<String, String> headers;
  private final byte[] body;

  private ApiResponse(int status, Map<String, String> headers, byte[] body) {
    this.status = status;
    this.headers = Map.copyOf(headers);
    this.body = body;
  }

  /** A 200 whose body is already-encoded JSON. */
  static ApiResponse json(String json) {
    return of(200, "application/json", json.getBytes(StandardCharsets.UTF_8));
  }

  /** A plain-text response, which is how Consul writes every error. */
  static ApiResponse text(int status, String text) {
    return of(status, "text/plain; charset=utf-8", text.getBytes(StandardCharsets.UTF_8));
  }

  /** Agent writes answer 200 with an empty body. */
  static ApiResponse empty() {
    return new ApiResponse(200, Map.of(), new byte[0]);
  }

  /** A 404 with an empty body, as KV reads answer for a missing key. */
  static ApiResponse notFoundEmpty() {
    return new ApiResponse(404, Map.of(), new byte[0]);
  }

  /** A response with exactly these headers, such as one relayed from another server. */
  static ApiResponse of(int status, Map<String, String> headers, byte[] body) {
    return new ApiResponse(status, headers, body);
  }

  static ApiResponse of(int status, String contentType, byte[] body) {
    return new ApiResponse(status, Map.of("Content-Type", contentType), body);
  }

  ApiResponse withHeaders(Map<String, String> extra) {
    Map<String, String> merged = new LinkedHashMap<>(headers);
    merged.putAll(extra);
    return new ApiResponse(status, merged, body);
  }

  int status() {
    return status;
  }

  Map<String, String> headers() {
    return headers;
  }

  byte[] body() {
    return body;
  }
}
