package dev.meridian.core.testing;

import io.grpc.Channel;
import io.grpc.reflection.v1.ServerReflectionGrpc;
import io.grpc.reflection.v1.ServerReflectionRequest;
import io.grpc.reflection.v1.ServerReflectionResponse;
import io.grpc.stub.StreamObserver;
import java.util.concurrent.CompletableFuture;

/**
 * One question to a server's reflection (v1) and its answer, as grpcurl asks them: the stream
 * carries a single request and is half-closed after it.
 */
final class ReflectionExchange {
  private ReflectionExchange() {}

  /**
   * The server's answer to {@code request}; fails with the call's status (such as UNIMPLEMENTED
   * when the server has no reflection) or with the error the server answered.
   */
  static CompletableFuture<ServerReflectionResponse> ask(
      Channel channel, ServerReflectionRequest request) {
    CompletableFuture<ServerReflectionResponse> answer = new CompletableFuture<>();
    StreamObserver<ServerReflectionRequest> requests =
        ServerReflectionGrpc.newStub(channel)
            .serverReflectionInfo(
                new StreamObserver<>() {
                  @Override
                  public void onNext(ServerReflectionResponse response) {
                    if (response.hasErrorResponse()) {
                      answer.completeExceptionally(
                          new IllegalStateException(response.getErrorResponse().getErrorMessage()));
                    } else {
                      answer.complete(response);
                    }
                  }

                  @Override
                  public void onError(Throwable error) {
                    answer.completeExceptionally(error);
                  }

                  @Override
                  public void onCompleted() {}
                });
    requests.onNext(request);
    requests.onCompleted();
    return answer;
  }
}
