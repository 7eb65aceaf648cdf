package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.US;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meridian.gateway.routing.ReplicaEndpoint;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.health.v1.HealthCheckRequest;
import io.grpc.health.v1.HealthCheckResponse;
import io.grpc.health.v1.HealthCheckResponse.ServingStatus;
import io.grpc.health.v1.HealthGrpc;
import io.grpc.stub.StreamObserver;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** Routing through a real gateway: tables, health, drains, bad input, last-known-good. */
class GatewayRoutingTest {
  private static final Duration BOUND = Duration.ofSeconds(20);

  @TempDir Path dir;
  private final GatewayFixture fixture = new GatewayFixture();

  @AfterEach
  void close() {
    fixture.close();
  }

  private void startServing(int replicas) {
    fixture.startGateway(dir.resolve("lkg.json"), config -> config);
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);
    await().atMost(BOUND).until(() -> fixture.seesReplicas(replicas));
  }

  @Test
  void callsFollowTheTableWeightsAndSayHowTheyWereServed() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 0);
    startServing(2);

    for (int i = 0; i < 5; i++) {
      PredictResponse response = fixture.stub().predict(request(MODEL));
      assertThat(response.getServedBy().getRegion()).isEqualTo(EU);
      assertThat(response.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_PRIMARY);
      assertThat(response.getServedBy().getAttempts()).isEqualTo(1);
      assertThat(response.getRequestId()).isNotEmpty();
    }
    assertThat(us.calls).hasValue(0);
    assertThat(eu.calls).hasValue(5);
  }

  @Test
  void warmsItsPathToEveryReplicaItKnowsBeforeItReportsServing() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 100);
    fixture.startGateway(dir.resolve("lkg.json"), config -> config.warmUpRequests(7));
    await().atMost(BOUND).until(() -> fixture.health() == ServingStatus.SERVING);

    List<String> known =
        fixture.gateway.routingState().allReplicas().values().stream()
            .flatMap(List::stream)
            .map(ReplicaEndpoint::id)
            .toList();
    assertThat(known).isNotEmpty();
    for (ScriptedReplica replica : List.of(eu, us)) {
      if (known.contains(replica.id)) {
        assertThat(replica.calls).as(replica.id + " warmed before SERVING").hasValue(7);
      }
    }
    await().atMost(BOUND).until(() -> us.calls.get() == 7 && eu.calls.get() == 7);
  }

  @Test
  void drainedRegionGetsNoNewCalls() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 100);
    startServing(2);

    fixture.table(MODEL, 0, 100);
    await()
        .atMost(BOUND)
        .until(
            () ->
                fixture.gateway.routingState().table(MODEL).orElseThrow().getRegions(0).getWeight()
                    == 0);
    int before = eu.calls.get();
    for (int i = 0; i < 10; i++) {
      assertThat(fixture.stub().predict(request(MODEL)).getServedBy().getRegion()).isEqualTo(US);
    }
    assertThat(eu.calls.get()).isEqualTo(before);
  }

  @Test
  void badInputIsAnsweredAtOnceAndNeverRetried() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    ScriptedReplica us = fixture.replica(US, MODEL);
    fixture.table(MODEL, 100, 0);
    startServing(2);
    eu.fail(Status.INVALID_ARGUMENT.withDescription("input 'features' has shape [1, 2]"));

    PredictRequest malformed =
        request(MODEL).toBuilder()
            .setInputs(0, request(MODEL).getInputs(0).toBuilder().addShape(3))
            .build();
    assertThat(failure(malformed).getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(failure(malformed).getDescription()).contains("needs 6 FP32 values, got 2");
    assertThat(eu.calls).as("rejected before any region").hasValue(0);

    Status unknown = failure(request("no-such-model"));
    assertThat(unknown.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getDescription()).contains("'no-such-model'").contains(MODEL);

    Status fromModel = failure(request(MODEL));
    assertThat(fromModel.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(fromModel.getDescription()).isEqualTo("input 'features' has shape [1, 2]");
    assertThat(us.calls).as("a model's INVALID_ARGUMENT is never retried").hasValue(0);
    assertThat(fixture.gateway.routingState().table(MODEL)).isPresent();
  }

  @Test
  void healthIsNotServingUntilATableArrivesAndWatchSeesTheChange() {
    fixture.replica(EU, MODEL);
    fixture.startGateway(dir.resolve("lkg.json"), config -> config);
    assertThat(fixture.health()).isEqualTo(ServingStatus.NOT_SERVING);
    List<ServingStatus> watched = new CopyOnWriteArrayList<>();
    HealthGrpc.newStub(fixture.channel)
        .watch(
            HealthCheckRequest.getDefaultInstance(),
            new StreamObserver<HealthCheckResponse>() {
              @Override
              public void onNext(HealthCheckResponse response) {
                watched.add(response.getStatus());
              }

              @Override
              public void onError(Throwable t) {}

              @Override
              public void onCompleted() {}
            });

    fixture.table(MODEL, 100, 0);

    await().atMost(BOUND).until(() -> watched.contains(ServingStatus.SERVING));
    assertThat(watched.get(0)).isEqualTo(ServingStatus.NOT_SERVING);
  }

  @Test
  void servesFromItsDiskCopyWhenStartedWithConsulUnreachable() {
    fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    startServing(1);
    fixture.gateway.close();
    fixture.gateway = null;
    fixture.consul.faults(EU).setNoLeader(true);
    fixture.consul.faults(US).setNoLeader(true);

    fixture.startGateway(dir.resolve("lkg.json"), config -> config);

    assertThat(fixture.health()).isEqualTo(ServingStatus.SERVING);
    PredictResponse response = fixture.stub().predict(request(MODEL));
    assertThat(response.getServedBy().getRegion()).isEqualTo(EU);
  }

  @Test
  void keepsServingOnItsLastViewWhenConsulLosesItsState() {
    ScriptedReplica eu = fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    startServing(1);
    long sinceBefore = eu.calls.get();

    fixture.consul.faults(EU).loseState();
    fixture.consul.faults(US).loseState();
    // A table written after the reset shows when the gateway has read the emptied Consul.
    fixture.table("other-model", 100, 0);
    await()
        .atMost(BOUND)
        .until(() -> fixture.gateway.routingState().table("other-model").isPresent());

    for (int i = 0; i < 5; i++) {
      assertThat(fixture.stub().predict(request(MODEL)).getServedBy().getRegion()).isEqualTo(EU);
    }
    assertThat(eu.calls.get()).isEqualTo(sinceBefore + 5);
    assertThat(fixture.gateway.routingState().table(MODEL)).isPresent();
    assertThat(fixture.health()).isEqualTo(ServingStatus.SERVING);
  }

  private Status failure(PredictRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> fixture.stub().predict(request));
    assertThat(e).as("expected the call to fail").isNotNull();
    return e.getStatus();
  }
}
