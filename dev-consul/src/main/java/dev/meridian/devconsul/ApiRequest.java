package dev.meridian.devconsul;

import java.net.URLDecoder;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.function.Function;

/**
 * One parsed HTTP request: method, decoded and raw path, raw and parsed query parameters (with Go's
 * presence semantics: {@code ?stale} is present with an empty value), headers and body. Immutable.
 */
final class ApiRequest {
  private final String method;
  private final String path;
  private final String rawPath;
  private final String rawQuery;
  private final Map<String, List<String>> query;
  private final Function<String, String> headers;
  private final byte[] body;
  private final String localDatacenter;

  ApiRequest(
      String method,
      String path,
      String rawPath,
      String rawQuery,
      Function<String, String> headers,
      byte[] body,
      String localDatacenter) {
    this.method = method;
    this.path = path;
    this.rawPath = rawPath;
    this.rawQuery = rawQuery;
    this.query = parseQuery(rawQuery);
    this.headers = headers;
    this.body = body;
    this.localDatacenter = localDatacenter;
  }

  String method() {
    return method;
  }

  String path() {
    return path;
  }

  /** The path as received, still percent-encoded. */
  String rawPath() {
    return rawPath;
  }

  /** The query string as received, or null when there is none. */
  String rawQuery() {
    return rawQuery;
  }

  /** The datacenter whose port received the request: the "local agent". */
  String localDatacenter() {
    return localDatacenter;
  }

  /**
   * Refuses methods the endpoint does not serve.
   *
   * @throws ApiException 405 as Consul's router answers
   */
  void requireMethod(String... allowed) {
    for (String candidate : allowed) {
      if (candidate.equals(method)) {
        return;
      }
    }
    throw new ApiException(405, "method " + method + " not allowed");
  }

  byte[] body() {
    return body;
  }

  /** The first value of a header, or null. */
  String header(String name) {
    return headers.apply(name);
  }

  boolean has(String name) {
    return query.containsKey(name);
  }

  /** The first value of a query parameter, or null when absent. */
  String param(String name) {
    List<String> values = query.get(name);
    return values == null ? null : values.get(0);
  }

  /** The first value of a query parameter, or {@code fallback} when absent or empty. */
  String param(String name, String fallback) {
    String value = param(name);
    return value == null || value.isEmpty() ? fallback : value;
  }

  List<String> params(String name) {
    return query.getOrDefault(name, List.of());
  }

  /** The query string re-encoded with sorted keys, as Go's {@code url.Values.Encode} does. */
  String encodedQuery() {
    StringBuilder out = new StringBuilder();
    new TreeMap<>(query)
        .forEach(
            (key, values) ->
                values.forEach(
                    value -> {
                      if (out.length() > 0) {
                        out.append('&');
                      }
                      out.append(encode(key)).append('=').append(encode(value));
                    }));
    return out.toString();
  }

  private static String encode(String s) {
    return URLEncoder.encode(s, StandardCharsets.UTF_8);
  }

  private static Map<String, List<String>> parseQuery(String rawQuery) {
    Map<String, List<String>> result = new LinkedHashMap<>();
    if (rawQuery == null || rawQuery.isEmpty()) {
      return result;
    }
    for (String pair : rawQuery.split("[&;]")) {
      if (pair.isEmpty()) {
        continue;
      }
      int eq = pair.indexOf('=');
      String key = eq < 0 ? pair : pair.substring(0, eq);
      String value = eq < 0 ? "" : pair.substring(eq + 1);
      result
          .computeIfAbsent(URLDecoder.decode(key, StandardCharsets.UTF_8), k -> new ArrayList<>())
          .add(URLDecoder.decode(value, StandardCharsets.UTF_8));
    }
    return result;
  }
}
