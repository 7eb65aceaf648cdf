package dev.meridian.gateway.call;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.core.oip.OipResponses;
import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import io.grpc.Channel;
import io.grpc.ClientInterceptors;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.stub.MetadataUtils;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * One asynchronous inference call to one replica, in the protocol the replica speaks: Meridian's
 * {@code Predict}, or the Open Inference Protocol's {@code ModelInfer} (translated both ways, and
 * labelled with the replica, which an external server does not name). The call is started inside
 * the caller's gRPC {@link Context}, so a caller who cancels or runs out of time cancels the
 * upstream call with it, and carries the attempt's trace context headers.
 */
final class UpstreamCall {
  private UpstreamCall() {}

  static CompletableFuture<PredictResponse> start(
      ManagedChannel channel,
      ReplicaEndpoint replica,
      PredictRequest request,
      Deadline deadline,
      Context callerContext,
      Metadata traceHeaders) {
    Channel traced =
        traceHeaders.keys().isEmpty()
            ? channel
            : ClientInterceptors.intercept(
                channel, MetadataUtils.newAttachHeadersInterceptor(traceHeaders));
    return switch (replica.protocol()) {
      case MERIDIAN ->
          started(
              callerContext,
              () -> InferenceGrpc.newFutureStub(traced).withDeadline(deadline).predict(request),
              Function.identity());
      case OIP ->
          started(
              callerContext,
              () ->
                  GRPCInferenceServiceGrpc.newFutureStub(traced)
                      .withDeadline(deadline)
                      .modelInfer(OipRequests.toModelInfer(request)),
              (ModelInferResponse answer) -> labelled(OipResponses.toPredict(answer), replica));
    };
  }

  private static PredictResponse labelled(PredictResponse answer, ReplicaEndpoint replica) {
    return answer.toBuilder()
        .setServedBy(ServedBy.newBuilder().setRegion(replica.region()).setReplica(replica.id()))
        .build();
  }

  private static <T> CompletableFuture<PredictResponse> started(
      Context callerContext,
      Supplier<ListenableFuture<T>> rpc,
      Function<T, PredictResponse> translate) {
    ListenableFuture<T> call;
    Context previous = callerContext.attach();
    try {
      call = rpc.get();
    } finally {
      callerContext.detach(previous);
    }
    CompletableFuture<PredictResponse> result = new CompletableFuture<>();
    Futures.addCallback(
        call,
        new FutureCallback<>() {
          @Override
          public void onSuccess(T response) {
            try {
              result.complete(translate.apply(response));
            } catch (RuntimeException malformed) {
              result.completeExceptionally(malformed);
            }
          }

          @Override
          public void onFailure(Throwable failure) {
            result.completeExceptionally(failure);
          }
        },
        MoreExecutors.directExecutor());
    // Cancelling the attempt (a hedge lost, the caller left) cancels the RPC.
    result.whenComplete(
        (response, failure) -> {
          if (result.isCancelled()) {
            call.cancel(true);
          }
        });
    return result;
  }
}
