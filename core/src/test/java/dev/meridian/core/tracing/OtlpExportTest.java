package dev.meridian.core.tracing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.testing.OtlpCollector;
import io.opentelemetry.api.common.AttributeKey;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.proto.collector.trace.v1.ExportTraceServiceRequest;
import io.opentelemetry.proto.common.v1.KeyValue;
import io.opentelemetry.proto.trace.v1.ResourceSpans;
import io.opentelemetry.proto.trace.v1.Span;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;

/** Tracing on exports its spans over OTLP/HTTP, read here as a collector would read them. */
class OtlpExportTest {
  @Test
  void spansReachTheCollectorAsOtlpProtobufWithTheProcessNamed() throws Exception {
    try (OtlpCollector collector = OtlpCollector.start()) {
      Tracing tracing =
          Tracing.of(
              Optional.of(new TracingConfig(collector.tracesEndpoint(), 1)),
              "meridian-gateway",
              Attributes.of(AttributeKey.stringKey("meridian.region"), "eu-west"));
      assertThat(tracing.recording()).isTrue();
      tracing.tracer().spanBuilder("attempt").startSpan().end();

      tracing.close(); // exports what the batch holds

      OtlpCollector.Export export = collector.received().poll();
      assertThat(export).as("one export on close").isNotNull();
      assertThat(export.path()).isEqualTo("/v1/traces");
      assertThat(export.contentType()).isEqualTo("application/x-protobuf");
      ResourceSpans resourceSpans =
          ExportTraceServiceRequest.parseFrom(export.body()).getResourceSpans(0);
      Map<String, String> resource =
          resourceSpans.getResource().getAttributesList().stream()
              .collect(Collectors.toMap(KeyValue::getKey, kv -> kv.getValue().getStringValue()));
      assertThat(resource)
          .containsEntry("service.name", "meridian-gateway")
          .containsEntry("meridian.region", "eu-west");
      List<Span> spans = resourceSpans.getScopeSpans(0).getSpansList();
      assertThat(spans).extracting(Span::getName).containsExactly("attempt");
    }
  }

  @Test
  void noEndpointMeansOff() {
    try (Tracing tracing = Tracing.of(Optional.empty(), "meridian-gateway", Attributes.empty())) {
      assertThat(tracing.recording()).isFalse();
    }
  }
}
