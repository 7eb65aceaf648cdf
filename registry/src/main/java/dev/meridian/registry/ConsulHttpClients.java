package dev.meridian.registry;

import dev.meridian.core.tls.SslContexts;
import javax.net.ssl.HostnameVerifier;
import org.apache.http.client.config.RequestConfig;
import org.apache.http.config.Registry;
import org.apache.http.config.RegistryBuilder;
import org.apache.http.conn.socket.ConnectionSocketFactory;
import org.apache.http.conn.socket.PlainConnectionSocketFactory;
import org.apache.http.conn.ssl.DefaultHostnameVerifier;
import org.apache.http.conn.ssl.SSLConnectionSocketFactory;
import org.apache.http.impl.client.CloseableHttpClient;
import org.apache.http.impl.client.HttpClientBuilder;
import org.apache.http.impl.conn.PoolingHttpClientConnectionManager;

/**
 * Builds the HTTP client {@code consul-api} runs on. It puts the ACL token in the {@code
 * X-Consul-Token} header (the library would put it in the URL, where access logs keep it), bounds
 * connect and read times by the configured blocking wait, and speaks only the configured scheme:
 * over HTTPS it checks Consul's certificate against the configured authorities and {@link
 * ConsulConfig#tlsServerName()}.
 */
final class ConsulHttpClients {
  static final String TOKEN_HEADER = "X-Consul-Token";

  private ConsulHttpClients() {}

  static CloseableHttpClient create(ConsulConfig config) {
    PoolingHttpClientConnectionManager connections =
        new PoolingHttpClientConnectionManager(sockets(config));
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

  private static Registry<ConnectionSocketFactory> sockets(ConsulConfig config) {
    RegistryBuilder<ConnectionSocketFactory> sockets = RegistryBuilder.create();
    if (!config.https()) {
      return sockets.register("http", PlainConnectionSocketFactory.getSocketFactory()).build();
    }
    String serverName = config.tlsServerName();
    DefaultHostnameVerifier names = new DefaultHostnameVerifier();
    // Checks the configured name, not the host dialled (an address, often).
    HostnameVerifier verifier = (host, session) -> names.verify(serverName, session);
    return sockets
        .register(
            "https", new SSLConnectionSocketFactory(SslContexts.client(config.caFile()), verifier))
        .build();
  }
}
