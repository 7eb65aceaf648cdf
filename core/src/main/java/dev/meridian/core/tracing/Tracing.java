package dev.meridian.core.tracing;

import io.grpc.Metadata;
import io.grpc.ServerInterceptor;
import io.opentelemetry.api.OpenTelemetry;
import io.opentelemetry.api.common.Attributes;
import io.opentelemetry.api.trace.Tracer;
import io.opentelemetry.api.trace.propagation.W3CTraceContextPropagator;
import io.opentelemetry.context.propagation.ContextPropagators;
import io.opentelemetry.context.propagation.TextMapPropagator;
import io.opentelemetry.exporter.otlp.http.trace.OtlpHttpSpanExporter;
import io.opentelemetry.sdk.OpenTelemetrySdk;
import io.opentelemetry.sdk.resources.Resource;
import io.opentelemetry.sdk.trace.SdkTracerProvider;
import io.opentelemetry.sdk.trace.SpanProcessor;
import io.opentelemetry.sdk.trace.export.BatchSpanProcessor;
import io.opentelemetry.sdk.trace.samplers.Sampler;
import java.util.Optional;
import java.util.concurrent.TimeUnit;

/**
 * A process's OpenTelemetry tracing: W3C trace context in and out of gRPC metadata, and, when on,
 * spans recorded and exported in batches off the calls' threads. Off (the default), nothing is
 * recorded and a caller's trace context still passes through unchanged, at the cost of reading and
 * writing two headers. Thread-safe; {@link #close()} flushes what is left to export.
 */
public final class Tracing implements AutoCloseable {
  private static final String INSTRUMENTATION = "dev.meridian";
  private static final long FLUSH_SECONDS = 5;

  private final OpenTelemetry openTelemetry;
  private final Optional<SdkTracerProvider> provider;
  private final Tracer tracer;

  private Tracing(OpenTelemetry openTelemetry, Optional<SdkTracerProvider> provider) {
    this.openTelemetry = openTelemetry;
    this.provider = provider;
    this.tracer = openTelemetry.getTracer(INSTRUMENTATION);
  }

  /** No spans; trace context passed on as it came. */
  public static Tracing off() {
    return new Tracing(OpenTelemetry.propagating(propagators()), Optional.empty());
  }

  /**
   * Tracing as {@code config} says: off when empty, otherwise exporting over OTLP/HTTP.
   *
   * @param service the OpenTelemetry {@code service.name}, such as {@code meridian-gateway}
   * @param resource what else names this process in every span ({@code service.instance.id}, the
   *     region)
   */
  public static Tracing of(Optional<TracingConfig> config, String service, Attributes resource) {
    return config
        .map(
            tracing ->
                recordingTo(
                    BatchSpanProcessor.builder(
                            OtlpHttpSpanExporter.builder()
                                .setEndpoint(tracing.endpoint().toString())
                                .build())
                        .build(),
                    tracing.sampleRatio(),
                    service,
                    resource))
        .orElseGet(Tracing::off);
  }

  /**
   * Spans sampled at {@code sampleRatio} (a caller's decision wins) and handed to {@code processor}
   * as they end.
   */
  public static Tracing recordingTo(
      SpanProcessor processor, double sampleRatio, String service, Attributes resource) {
    SdkTracerProvider provider =
        SdkTracerProvider.builder()
            .setResource(
                Resource.getDefault()
                    .merge(
                        Resource.builder().put("service.name", service).putAll(resource).build()))
            .setSampler(Sampler.parentBased(Sampler.traceIdRatioBased(sampleRatio)))
            .addSpanProcessor(processor)
            .build();
    OpenTelemetry sdk =
        OpenTelemetrySdk.builder()
            .setTracerProvider(provider)
            .setPropagators(propagators())
            .build();
    return new Tracing(sdk, Optional.of(provider));
  }

  private static ContextPropagators propagators() {
    return ContextPropagators.create(W3CTraceContextPropagator.getInstance());
  }

  /** Whether spans are recorded. */
  public boolean recording() {
    return provider.isPresent();
  }

  /** Starts spans. */
  public Tracer tracer() {
    return tracer;
  }

  /** Makes each call a server span, the child of its caller's trace ({@link CallTraces}). */
  public ServerInterceptor serverInterceptor() {
    return new TracingServerInterceptor(tracer, propagator());
  }

  /** The headers that carry {@code context} to the server of an outgoing call; may be empty. */
  public Metadata headers(io.opentelemetry.context.Context context) {
    Metadata headers = new Metadata();
    propagator().inject(context, headers, MetadataCarrier.INSTANCE);
    return headers;
  }

  private TextMapPropagator propagator() {
    return openTelemetry.getPropagators().getTextMapPropagator();
  }

  /** Exports what is recorded and not yet sent (waiting up to 5 s), then stops. */
  @Override
  public void close() {
    provider.ifPresent(
        tracerProvider -> tracerProvider.shutdown().join(FLUSH_SECONDS, TimeUnit.SECONDS));
  }
}
