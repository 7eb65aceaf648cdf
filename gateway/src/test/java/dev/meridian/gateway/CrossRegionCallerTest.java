package dev.meridian.gateway;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import io.grpc.stub.StreamObserver;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class CrossRegionCallerTest {
  private final List<Server> servers = new ArrayList<>();
  private final List<RegionUpstream> upstreams = new ArrayList<>();

  /** A replica that answers with its region, or fails with a fixed status, counting calls. */
  private static final class ScriptedReplica extends InferenceGrpc.InferenceImplBase {
    private final String region;
    private final Status failure;
    private final AtomicInteger calls = new AtomicInteger();

    ScriptedReplica(String region, Status failure) {
      this.region = region;
      this.failure = failure;
    }

    @Override
    public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
      calls.incrementAndGet();
      if (failure.isOk()) {
        observer.onNext(
            PredictResponse.newBuilder()
                .setModelName(request.getModelName())
                .setServedBy(ServedBy.newBuilder().setRegion(region).setReplica(region + "-0"))
                .build());
        observer.onCompleted();
      } else {
        observer.onError(failure.asRuntimeException());
      }
    }
  }

  private ScriptedReplica region(String name, Status behaviour) throws Exception {
    ScriptedReplica replica = new ScriptedReplica(name, behaviour);
    String serverName = InProcessServerBuilder.generateName();
    servers.add(
        InProcessServerBuilder.forName(serverName)
            .directExecutor()
            .addService(replica)
            .build()
            .start());
    ManagedChannel channel = InProcessChannelBuilder.forName(serverName).directExecutor().build();
    upstreams.add(new RegionUpstream(name, List.of(new RegionUpstream.Replica(name, channel))));
    return replica;
  }

  private CrossRegionCaller caller() {
    return new CrossRegionCaller(upstreams, Duration.ofSeconds(5));
  }

  @AfterEach
  void stop() throws Exception {
    upstreams.forEach(RegionUpstream::close);
    for (Server server : servers) {
      server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private static PredictRequest request() {
    return PredictRequest.newBuilder().setModelName("m").build();
  }

  @Test
  void firstRegionAnswersOnThePrimaryPath() throws Exception {
    ScriptedReplica home = region("eu-west", Status.OK);
    ScriptedReplica other = region("us-east", Status.OK);

    ServedBy servedBy = caller().call(request()).getServedBy();

    assertThat(servedBy.getRegion()).isEqualTo("eu-west");
    assertThat(servedBy.getPath()).isEqualTo(ServingPath.SERVING_PATH_PRIMARY);
    assertThat(servedBy.getAttempts()).isEqualTo(1);
    assertThat(home.calls).hasValue(1);
    assertThat(other.calls).hasValue(0);
  }

  @Test
  void unavailableRegionIsRetriedInTheNextRegion() throws Exception {
    region("eu-west", Status.UNAVAILABLE.withDescription("connection refused"));
    region("us-east", Status.OK);

    ServedBy servedBy = caller().call(request()).getServedBy();

    assertThat(servedBy.getRegion()).isEqualTo("us-east");
    assertThat(servedBy.getPath()).isEqualTo(ServingPath.SERVING_PATH_RETRY);
    assertThat(servedBy.getAttempts()).isEqualTo(2);
    assertThat(servedBy.getReason()).isEqualTo("eu-west (eu-west): UNAVAILABLE connection refused");
  }

  @Test
  void nonRetryableFailureGoesStraightBackToTheCaller() throws Exception {
    region("eu-west", Status.INVALID_ARGUMENT.withDescription("bad shape"));
    ScriptedReplica other = region("us-east", Status.OK);

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> caller().call(request()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(e.getStatus().getDescription()).isEqualTo("bad shape");
    assertThat(other.calls).hasValue(0);
  }

  @Test
  void everyRegionFailingIsUnavailableNamingEachFailure() throws Exception {
    region("eu-west", Status.UNAVAILABLE);
    region("us-east", Status.RESOURCE_EXHAUSTED.withDescription("full"));

    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> caller().call(request()));

    assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE);
    assertThat(e.getStatus().getDescription())
        .contains("no region could answer model 'm'")
        .contains("eu-west (eu-west): UNAVAILABLE")
        .contains("us-east (us-east): RESOURCE_EXHAUSTED full");
  }
}
