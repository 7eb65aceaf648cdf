package dev.meridian.gateway.call;

import com.google.common.util.concurrent.FutureCallback;
import com.google.common.util.concurrent.Futures;
import com.google.common.util.concurrent.ListenableFuture;
import com.google.common.util.concurrent.MoreExecutors;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.Context;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import java.util.concurrent.CompletableFuture;

/**
 * One asynchronous Predict to one replica. The call is started inside the caller's gRPC {@link
 * Context}, so a caller who cancels or runs out of time cancels the upstream call with it.
 */
final class UpstreamCall {
  private UpstreamCall() {}

  static CompletableFuture<PredictResponse> start(
      ManagedChannel channel, PredictRequest request, Deadline deadline, Context callerContext) {
    ListenableFuture<PredictResponse> call;
    Context previous = callerContext.attach();
    try {
      call = InferenceGrpc.newFutureStub(channel).withDeadline(deadline).predict(request);
    } finally {
      callerContext.detach(previous);
    }
    CompletableFuture<PredictResponse> result = new CompletableFuture<>();
    Futures.addCallback(
        call,
        new FutureCallback<>() {
          @Override
          public void onSuccess(PredictResponse response) {
            result.complete(response);
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
