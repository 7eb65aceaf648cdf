package dev.meridian.gateway;

import io.grpc.Status;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;
import java.util.function.Function;

/**
 * Sends an asynchronous answer to a unary call's observer. A caller who leaves gets nothing more:
 * the answer is cancelled with the call, and upstream calls, which run in the caller's context, are
 * cancelled with it.
 */
final class AsyncReply {
  private AsyncReply() {}

  /**
   * Completes {@code observer} with {@code answer} translated by {@code translate}, or with the
   * status of its failure (or of the translation's).
   */
  static <T, R> void send(
      StreamObserver<R> observer, CompletableFuture<T> answer, Function<T, R> translate) {
    ((ServerCallStreamObserver<R>) observer).setOnCancelHandler(() -> answer.cancel(false));
    answer.whenComplete(
        (response, error) -> {
          if (answer.isCancelled()) {
            return;
          }
          if (error != null) {
            observer.onError(Status.fromThrowable(error).asRuntimeException());
            return;
          }
          R reply;
          try {
            reply = translate.apply(response);
          } catch (RuntimeException e) {
            observer.onError(Status.fromThrowable(e).asRuntimeException());
            return;
          }
          observer.onNext(reply);
          observer.onCompleted();
        });
  }
}
