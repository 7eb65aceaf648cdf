package dev.meridian.core.server;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meridian.core.config.ConfigNode;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.Attributes;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Server;
import io.grpc.ServerTransportFilter;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.netty.shaded.io.grpc.netty.NettyServerBuilder;
import io.grpc.stub.StreamObserver;
import java.io.IOException;
import java.net.InetSocketAddress;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Queue;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** {@link ServerLimits#applyTo} on a real Netty server, seen from real Netty clients. */
class ServerLimitsTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
  private static final String HOLD = "hold";

  private final AtomicInteger started = new AtomicInteger();
  private final AtomicInteger connectionsClosed = new AtomicInteger();
  private final Queue<StreamObserver<PredictResponse>> held = new ConcurrentLinkedQueue<>();
  private final List<ManagedChannel> channels = new ArrayList<>();
  private Server server;

  /** Answers at once, except calls for model {@code hold}, which it keeps open. */
  private final class Holding extends InferenceGrpc.InferenceImplBase {
    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
      started.incrementAndGet();
      if (request.getModelName().equals(HOLD)) {
        held.add(observer);
      } else {
        answer(observer);
      }
    }
  }

  private static void answer(StreamObserver<PredictResponse> observer) {
    observer.onNext(PredictResponse.newBuilder().setModelName("answered").build());
    observer.onCompleted();
  }

  private void start(Map<String, ?> limits) throws IOException {
    ServerLimits read =
        ServerLimitSettings.under("limits", ServerLimitSettingsTest.DEFAULTS)
            .read(ConfigNode.of("test.yaml", limits));
    server =
        read.applyTo(NettyServerBuilder.forAddress(new InetSocketAddress("127.0.0.1", 0)))
            .addService(new Holding())
            .addTransportFilter(
                new ServerTransportFilter() {
                  @Override
                  public void transportTerminated(Attributes transportAttrs) {
                    connectionsClosed.incrementAndGet();
                  }
                })
            .build()
            .start();
  }

  private ManagedChannel channel() {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress("127.0.0.1", server.getPort()).usePlaintext().build();
    channels.add(channel);
    return channel;
  }

  private static PredictRequest model(String name) {
    return PredictRequest.newBuilder().setModelName(name).build();
  }

  /** Starts a call for {@code model} on {@code channel}; its final status lands in the result. */
  private static AtomicReference<Status> startCall(ManagedChannel channel, String model) {
    AtomicReference<Status> closed = new AtomicReference<>();
    ClientCall<PredictRequest, PredictResponse> call =
        channel.newCall(InferenceGrpc.getPredictMethod(), CallOptions.DEFAULT);
    call.start(
        new ClientCall.Listener<>() {
          @Override
          public void onClose(Status status, Metadata trailers) {
            closed.set(status);
          }
        },
        new Metadata());
    call.sendMessage(model(model));
    call.halfClose();
    call.request(1);
    return closed;
  }

  @AfterEach
  void stop() throws InterruptedException {
    held.forEach(ServerLimitsTest::answer);
    channels.forEach(ManagedChannel::shutdownNow);
    if (server != null) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  @Test
  void aSecondCallOnAConnectionLimitedToOneWaitsForTheFirst() throws IOException {
    start(Map.of("max-concurrent-calls-per-connection", 1));
    ManagedChannel channel = channel();
    AtomicReference<Status> first = startCall(channel, HOLD);
    await().atMost(BOUND).until(() -> started.get() == 1);

    AtomicReference<Status> second = startCall(channel, HOLD);
    await()
        .during(Duration.ofMillis(300))
        .atMost(BOUND)
        .until(() -> started.get() == 1 && second.get() == null);

    answer(held.poll());
    await().atMost(BOUND).until(() -> first.get() != null && started.get() == 2);
    assertThat(first.get().isOk()).isTrue();
  }

  @Test
  void rapidResetClosesThatConnectionAndOthersAreStillServed() throws IOException {
    start(Map.of("max-rst-frames-per-window", 10, "rst-frames-window", "10s"));
    ManagedChannel attacker = channel();
    ManagedChannel bystander = channel();
    assertThat(InferenceGrpc.newBlockingStub(bystander).predict(model("x")).getModelName())
        .isEqualTo("answered");
    AtomicReference<Status> open = startCall(attacker, HOLD);
    await().atMost(BOUND).until(() -> started.get() == 2);

    for (int i = 0; i < 100; i++) {
      ClientCall<PredictRequest, PredictResponse> call =
          attacker.newCall(InferenceGrpc.getPredictMethod(), CallOptions.DEFAULT);
      call.start(new ClientCall.Listener<>() {}, new Metadata());
      call.cancel("rapid reset", null);
    }

    await().atMost(BOUND).until(() -> open.get() != null);
    // The held call ends with the connection: UNAVAILABLE, or RESOURCE_EXHAUSTED when the client
    // read the GOAWAY's ENHANCE_YOUR_CALM code before it saw the socket close (a transport race).
    assertThat(open.get().getCode())
        .as(open.get().toString())
        .isIn(Status.Code.UNAVAILABLE, Status.Code.RESOURCE_EXHAUSTED);
    assertThat(connectionsClosed).hasValue(1);
    assertThat(InferenceGrpc.newBlockingStub(bystander).predict(model("x")).getModelName())
        .isEqualTo("answered");
  }

  @Test
  void aConnectionIdleForItsLimitIsClosed() throws IOException {
    start(Map.of("max-connection-idle", "200ms"));
    assertThat(InferenceGrpc.newBlockingStub(channel()).predict(model("x")).getModelName())
        .isEqualTo("answered");

    await().atMost(BOUND).until(() -> connectionsClosed.get() == 1);
  }

  @Test
  void aMessageOverTheLimitIsRefused() throws IOException {
    start(Map.of("max-inbound-message-bytes", 64));
    StatusRuntimeException refused =
        catchThrowableOfType(
            StatusRuntimeException.class,
            () -> InferenceGrpc.newBlockingStub(channel()).predict(model("m".repeat(100))));

    assertThat(refused.getStatus().getCode()).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(started).hasValue(0);
  }
}
