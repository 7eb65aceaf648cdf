package dev.meridian.core.logging;

import dev.meridian.core.LogValue;
import dev.meridian.core.tracing.CallTraces;
import org.slf4j.spi.LoggingEventBuilder;

/**
 * What every log line about one call carries, so that a call's lines can be found together and
 * beside its trace: {@code request_id}, {@code model} (both caller text, so {@link
 * LogValue#bounded}), {@code region} and, when the call carries a trace, {@code trace_id}.
 */
public final class CallLines {
  private CallLines() {}

  /**
   * {@code line} with the pairs of the call whose gRPC context is {@code call}: pass the context
   * captured when the call started, since a line logged from an asynchronous callback runs in
   * another context.
   *
   * @param region the region the line is about: the one that answered, or the process's own
   */
  public static LoggingEventBuilder about(
      LoggingEventBuilder line,
      io.grpc.Context call,
      String requestId,
      String model,
      String region) {
    line.addKeyValue("request_id", LogValue.bounded(requestId))
        .addKeyValue("model", LogValue.bounded(model))
        .addKeyValue("region", region);
    String traceId = CallTraces.traceId(call);
    return traceId.isEmpty() ? line : line.addKeyValue("trace_id", traceId);
  }
}
