package dev.meridian.gateway;

import dev.meridian.core.oip.OipRequests;
import dev.meridian.core.oip.OipResponses;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ModelMetadataRequest;
import dev.meridian.proto.oip.v2.ModelMetadataResponse;
import dev.meridian.proto.oip.v2.ModelMetadataResponse.TensorMetadata;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerCall;
import io.grpc.ServerCallHandler;
import io.grpc.ServerInterceptor;
import io.grpc.ServerInterceptors;
import io.grpc.Status;
import io.grpc.TlsServerCredentials.ClientAuth;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.ServerCallStreamObserver;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetSocketAddress;
import java.util.List;
import java.util.Queue;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import java.util.function.Function;

/**
 * A replica on a real socket whose behaviour a test scripts: answer (echoing the inputs as
 * outputs), fail with a status, fail every other call, or hold calls until released; or freeze,
 * holding its {@code grpc.health.v1} checks too, as a stopped process would. It counts the calls it
 * receives and those its callers cancelled before it answered.
 */
final class ScriptedReplica implements AutoCloseable {
  enum Mode {
    ANSWER,
    FAIL,
    FAIL_EVERY_OTHER,
    HOLD
  }

  final String region;
  final String id;
  final AtomicInteger calls = new AtomicInteger();
  final AtomicInteger cancelled = new AtomicInteger();
  final AtomicInteger oipCalls = new AtomicInteger();

  /** The {@code traceparent} header of every {@code Predict} received, in order. */
  final Queue<String> traceparents = new ConcurrentLinkedQueue<>();

  private final AtomicReference<Mode> mode = new AtomicReference<>(Mode.ANSWER);
  private volatile Status failure = Status.UNAVAILABLE.withDescription("scripted failure");
  private volatile CompletableFuture<Void> held = new CompletableFuture<>();
  private volatile boolean frozen;
  private volatile String answeringModel = "";
  private final Server server;

  ScriptedReplica(String region, String id, TransportSecurity security) {
    this.region = region;
    this.id = id;
    this.server =
        security
            .server(new InetSocketAddress("127.0.0.1", 0), ClientAuth.REQUIRE)
            .addService(ServerInterceptors.intercept(new Service(), new TraceparentRecorder()))
            .addService(new OipService())
            .addService(new Health())
            .build();
    try {
      server.start();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  int port() {
    return server.getPort();
  }

  void answer() {
    mode.set(Mode.ANSWER);
  }

  void fail(Status status) {
    answeringModel = "";
    failure = status;
    mode.set(Mode.FAIL);
  }

  /** Answers calls for {@code model} and keeps failing the others. */
  void answerModel(String model) {
    answeringModel = model;
  }

  void failEveryOther() {
    mode.set(Mode.FAIL_EVERY_OTHER);
  }

  void hold() {
    held = new CompletableFuture<>();
    mode.set(Mode.HOLD);
  }

  void releaseHeld() {
    held.complete(null);
  }

  /** Holds every call, health checks included, until released. */
  void freeze() {
    hold();
    frozen = true;
  }

  /** Health checks answer SERVING unless the replica is frozen. */
  /** Notes each call's {@code traceparent} header, or an empty string for none. */
  private final class TraceparentRecorder implements ServerInterceptor {
    private final Metadata.Key<String> traceparent =
        Metadata.Key.of("traceparent", Metadata.ASCII_STRING_MARSHALLER);

    @Override
    public <Q, A> ServerCall.Listener<Q> interceptCall(
        ServerCall<Q, A> call, Metadata headers, ServerCallHandler<Q, A> next) {
      String value = headers.get(traceparent);
      traceparents.add(value == null ? "" : value);
      return next.startCall(call, headers);
    }
  }

  private final class Health extends HealthGrpc.HealthImplBase {
    @Override
    public void check(HealthCheckRequest request, StreamObserver<HealthCheckResponse> observer) {
      CompletableFuture<Void> answered = frozen ? held : CompletableFuture.completedFuture(null);
      answered.thenRun(
          () -> {
            observer.onNext(
                HealthCheckResponse.newBuilder().setStatus(ServingStatus.SERVING).build());
            observer.onCompleted();
          });
    }
  }

  private final class Service extends InferenceGrpc.InferenceImplBase {
    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
      serve(request, (ServerCallStreamObserver<PredictResponse>) observer, response -> response);
    }
  }

  /**
   * The same scripted behaviour through the Open Inference Protocol, and a fixed signature: input
   * {@code features} FP32 {@code [-1, 2]}, output {@code echo-features}.
   */
  private final class OipService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
    @Override
    public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
      oipCalls.incrementAndGet();
      boolean raw = request.getRawInputContentsCount() > 0;
      serve(
          OipRequests.toPredict(request),
          (ServerCallStreamObserver<ModelInferResponse>) observer,
          response -> OipResponses.fromPredict(response, raw, List.of()).build());
    }

    @Override
    public void modelMetadata(
        ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
      TensorMetadata.Builder tensor =
          TensorMetadata.newBuilder().setDatatype("FP32").addShape(-1).addShape(2);
      observer.onNext(
          ModelMetadataResponse.newBuilder()
              .setName(request.getName())
              .addVersions("1")
              .setPlatform("scripted")
              .addInputs(tensor.clone().setName("features"))
              .addOutputs(tensor.clone().setName("echo-features"))
              .build());
      observer.onCompleted();
    }
  }

  private <T> void serve(
      PredictRequest request,
      ServerCallStreamObserver<T> observer,
      Function<PredictResponse, T> translate) {
    int n = calls.incrementAndGet();
    observer.setOnCancelHandler(cancelled::incrementAndGet);
    if (request.getModelName().equals(answeringModel)) {
      respond(request, observer, translate);
      return;
    }
    switch (mode.get()) {
      case FAIL -> observer.onError(failure.asRuntimeException());
      case FAIL_EVERY_OTHER -> {
        if (n % 2 == 0) {
          observer.onError(failure.asRuntimeException());
        } else {
          respond(request, observer, translate);
        }
      }
      case HOLD ->
          // Answer later without blocking this thread: gRPC delivers the cancellation on it.
          held.thenRun(() -> respond(request, observer, translate));
      case ANSWER -> respond(request, observer, translate);
    }
  }

  private <T> void respond(
      PredictRequest request,
      ServerCallStreamObserver<T> observer,
      Function<PredictResponse, T> translate) {
    if (observer.isCancelled()) {
      return;
    }
    PredictResponse.Builder response =
        PredictResponse.newBuilder()
            .setModelName(request.getModelName())
            .setModelVersion("1")
            .setRequestId(request.getRequestId())
            .setServedBy(ServedBy.newBuilder().setRegion(region).setReplica(id));
    for (Tensor input : request.getInputsList()) {
      response.addOutputs(input.toBuilder().setName("echo-" + input.getName()));
    }
    observer.onNext(translate.apply(response.build()));
    observer.onCompleted();
  }

  @Override
  public void close() {
    releaseHeld();
    server.shutdownNow();
    // Gone once this returns: its connections closed, so no call of the test meets a server that
    // is still shutting down (which would reset the call, CANCELLED, instead of refusing it).
    try {
      server.awaitTermination(5, TimeUnit.SECONDS);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
