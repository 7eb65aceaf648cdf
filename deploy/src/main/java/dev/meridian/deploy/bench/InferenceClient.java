package dev.meridian.deploy.bench;

import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import com.google.protobuf.MessageLite;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.core.oip.OipResponses;
import dev.meridian.core.oip.OipServedBy;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import io.grpc.Channel;
import java.time.Duration;
import java.util.Locale;
import java.util.concurrent.TimeUnit;

/**
 * Calls a gateway in either protocol it serves: Meridian's {@code Predict}, or the Open Inference
 * Protocol's {@code ModelInfer} (the request translated, the answer read back with how it was
 * served from its {@code meridian.*} parameters), so load and its report are the same either way.
 */
public final class InferenceClient {
  /** The protocol a client speaks. */
  public enum Protocol {
    /** {@code meridian.inference.v1.Inference/Predict}. */
    PREDICT,
    /** {@code inference.GRPCInferenceService/ModelInfer}. */
    OIP;

    /** The HTTP/2 {@code :path} of the calls this protocol makes. */
    public String path() {
      return "/"
          + switch (this) {
            case PREDICT -> InferenceGrpc.getPredictMethod().getFullMethodName();
            case OIP -> GRPCInferenceServiceGrpc.getModelInferMethod().getFullMethodName();
          };
    }

    /** {@code request} as this protocol's request message. */
    public MessageLite message(PredictRequest request) {
      return switch (this) {
        case PREDICT -> request;
        case OIP -> OipRequests.toModelInfer(request);
      };
    }

    /** Its name on a command line: {@code predict} or {@code oip}. */
    @Override
    public String toString() {
      return name().toLowerCase(Locale.ROOT);
    }
  }

  private final Channel channel;
  private final Protocol protocol;

  /** A client of {@code channel} speaking {@code protocol}. */
  public InferenceClient(Channel channel, Protocol protocol) {
    this.channel = channel;
    this.protocol = protocol;
  }

  /** Starts one call with a deadline of {@code timeout}. */
  public ListenableFuture<PredictResponse> call(PredictRequest request, Duration timeout) {
    return switch (protocol) {
      case PREDICT ->
          InferenceGrpc.newFutureStub(channel)
              .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
              .predict(request);
      case OIP ->
          Futures.transform(
              GRPCInferenceServiceGrpc.newFutureStub(channel)
                  .withDeadlineAfter(timeout.toNanos(), TimeUnit.NANOSECONDS)
                  .modelInfer(OipRequests.toModelInfer(request)),
              answer ->
                  OipResponses.toPredict(answer).toBuilder()
                      .setServedBy(OipServedBy.read(answer))
                      .build(),
              MoreExecutors.directExecutor());
    };
  }
}
