package dev.meridian.gateway;

import static dev.meridian.gateway.GatewayFixture.MODEL;
import static dev.meridian.gateway.GatewayFixture.request;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.net.InetSocketAddress;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** The benchmark's floor relays calls and statuses as they are. */
class GrpcRelayTest {
  private ScriptedReplica replica;
  private GrpcRelay relay;
  private ManagedChannel channel;

  @BeforeEach
  void start() throws Exception {
    replica = new ScriptedReplica("eu-west", "eu-west-0", TransportSecurity.plaintext());
    relay =
        new GrpcRelay(
            new InetSocketAddress("127.0.0.1", 0),
            new InetSocketAddress("127.0.0.1", replica.port()));
    channel = NettyChannelBuilder.forAddress("127.0.0.1", relay.port()).usePlaintext().build();
  }

  @AfterEach
  void stop() {
    channel.shutdownNow();
    relay.close();
    replica.close();
  }

  @Test
  void aCallReachesTheUpstreamAndItsAnswerComesBackUnchanged() {
    PredictRequest request = request(MODEL);

    PredictResponse response = stub().predict(request);

    assertThat(replica.calls).hasValue(1);
    assertThat(response.getOutputs(0).getName()).isEqualTo("echo-features");
    assertThat(response.getOutputs(0).getContents()).isEqualTo(request.getInputs(0).getContents());
    assertThat(response.getServedBy().getReplica()).isEqualTo("eu-west-0");
  }

  @Test
  void theUpstreamsStatusReachesTheCaller() {
    replica.fail(Status.NOT_FOUND.withDescription("no such model"));

    assertThatThrownBy(() -> stub().predict(request(MODEL)))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription()).isEqualTo("no such model");
            });
  }

  private InferenceGrpc.InferenceBlockingStub stub() {
    return InferenceGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS);
  }
}
