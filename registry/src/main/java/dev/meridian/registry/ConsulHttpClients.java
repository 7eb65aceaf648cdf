package dev.meridian.registry;

import org.apache.http.client.config.RequestConfig;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * Builds the HTTP client {@code consul-api} runs on. It puts the ACL token in the {@code
 * X-Consul-Token} header (the library would put it in the URL, where access logs keep it), and
 * bounds connect and read times by the configured blocking wait.
 */
final class ConsulHttpClients {
  static final String TOKEN_HEADER = "X-Consul-Token";

  private ConsulHttpClients() {}

  static CloseableHttpClient create(ConsulConfig config) {
    PoolingHttpClientConnectionManager connections = new PoolingHttpClientConnectionManager();
    // Every watch holds a connection for its whole wait: leave room for many at once.
    connections.setMaxTotal(128);
    connections.setDefaultMaxPerRoute(128);
    RequestConfig timeouts =
        RequestConfig.custom()
            .setConnectTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
            .setConnectionRequestTimeout(Math.toIntExact(config.connectTimeout().toMillis()))
            .setSocketTimeout(Math.toIntExact(config.readTimeout().toMillis()))
            .build();
    HttpClientBuilder builder =
        HttpClientBuilder.create()
            .setConnectionManager(connections)
            .setDefaultRequestConfig(timeouts)
            .disableAutomaticRetries();
    config
        .token()
        .ifPresent(
            token ->
                builder.addInterceptorFirst(
                    (org.apache.http.HttpRequestInterceptor)
                        (request, context) -> request.setHeader(TOKEN_HEADER, token)));
    return builder.build();
  }
}
