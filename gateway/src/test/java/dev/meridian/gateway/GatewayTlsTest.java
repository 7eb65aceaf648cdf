package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.EU;
import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.awaitility.Awaitility.await;

import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Path;
import java.time.Duration;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GatewayTlsTest {
  @TempDir Path directory;
  private GatewayFixture fixture;

  @AfterEach
  void close() {
    fixture.close();
  }

  @Test
  void aCallerWithACertificateIsServedOverTlsOnBothHopsAndAPlaintextOneIsRefused() {
    fixture = new GatewayFixture(directory.resolve("tls"));
    fixture.replica(EU, MODEL);
    fixture.table(MODEL, 100, 0);
    fixture.startGateway(directory.resolve("lkg.json"), config -> config);
    await("the replica known").atMost(Duration.ofSeconds(20)).until(() -> fixture.seesReplicas(1));

    PredictResponse response = fixture.stub().predict(request(MODEL));

    assertThat(response.getServedBy().getRegion()).isEqualTo(EU);
    ManagedChannel plaintext =
        NettyChannelBuilder.forAddress("127.0.0.1", fixture.gateway.port()).usePlaintext().build();
    try {
      assertThatThrownBy(
              () ->
                  InferenceGrpc.newBlockingStub(plaintext)
                      .withDeadlineAfter(5, TimeUnit.SECONDS)
                      .predict(request(MODEL)))
          .isInstanceOfSatisfying(
              StatusRuntimeException.class,
              e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAVAILABLE));
    } finally {
      plaintext.shutdownNow();
    }
  }
}
