package dev.meridian.deploy.e2e;

import com.google.protobuf.ByteString;
import com.google.protobuf.InvalidProtocolBufferException;
import dev.meridian.core.testing.OtlpCollector;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.ScopeSpans;
import java.util.ArrayList;
import java.util.HexFormat;
import java.util.List;

/**
 * Every span the topology's processes exported to an {@link OtlpCollector} so far, decoded from
 * OTLP's protobuf messages. Thread-safe: exports arrive while a test reads.
 */
final class CollectedSpans {
  /**
   * One exported span.
   *
   * @param service the exporting process's {@code service.name}
   * @param traceId its trace, in hex
   * @param spanId its own ID, in hex
   * @param parentSpanId its parent's ID in hex, empty for a root span
   * @param name its name
   */
  record CollectedSpan(
      String service, String traceId, String spanId, String parentSpanId, String name) {}

  private final OtlpCollector collector;
  private final List<CollectedSpan> spans = new ArrayList<>();

  CollectedSpans(OtlpCollector collector) {
    this.collector = collector;
  }

  /** The spans of trace {@code traceId} received so far. */
  synchronized List<CollectedSpan> ofTrace(String traceId) {
    OtlpCollector.Export export;
    while ((export = collector.received().poll()) != null) {
      decode(export.body());
    }
    return spans.stream().filter(span -> span.traceId().equals(traceId)).toList();
  }

  private void decode(byte[] body) {
    try {
      for (ResourceSpans resource :
          ExportTraceServiceRequest.parseFrom(body).getResourceSpansList()) {
        String service =
            resource.getResource().getAttributesList().stream()
                .filter(attribute -> attribute.getKey().equals("service.name"))
                .map(KeyValue::getValue)
                .map(value -> value.getStringValue())
                .findFirst()
                .orElse("");
        for (ScopeSpans scope : resource.getScopeSpansList()) {
          scope
              .getSpansList()
              .forEach(
                  span ->
                      spans.add(
                          new CollectedSpan(
                              service,
                              hex(span.getTraceId()),
                              hex(span.getSpanId()),
                              hex(span.getParentSpanId()),
                              span.getName())));
        }
      }
    } catch (InvalidProtocolBufferException e) {
      throw new IllegalStateException("the collector received no OTLP traces request", e);
    }
  }

  private static String hex(ByteString bytes) {
    return HexFormat.of().formatHex(bytes.toByteArray());
  }
}
