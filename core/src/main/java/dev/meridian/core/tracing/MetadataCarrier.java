package dev.meridian.core.tracing;

import io.grpc.Metadata;
import io.opentelemetry.context.propagation.TextMapGetter;
import io.opentelemetry.context.propagation.TextMapSetter;

/**
 * Reads and writes trace context headers ({@code traceparent}, {@code tracestate}) in gRPC
 * metadata.
 */
enum MetadataCarrier implements TextMapGetter<Metadata>, TextMapSetter<Metadata> {
  INSTANCE;

  @Override
  public Iterable<String> keys(Metadata headers) {
    return headers.keys();
  }

  @Override
  public String get(Metadata headers, String key) {
    if (headers == null || key.endsWith(Metadata.BINARY_HEADER_SUFFIX)) {
      return null;
    }
    return headers.get(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER));
  }

  @Override
  public void set(Metadata headers, String key, String value) {
    if (headers != null) {
      headers.put(Metadata.Key.of(key, Metadata.ASCII_STRING_MARSHALLER), value);
    }
  }
}
