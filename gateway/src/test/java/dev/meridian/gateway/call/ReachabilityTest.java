package dev.meridian.gateway.call;

import static org.assertj.core.api.Assertions.assertThat;

import io.grpc.Status;
import java.io.IOException;
import java.net.ConnectException;
import java.nio.channels.ClosedChannelException;
import org.junit.jupiter.api.Test;

/**
 * Which failures never reached a server, by the statuses grpc-java's Netty transport gives them
 * (its descriptions, as the gateway's channels run without gRPC's own retry layer).
 */
class ReachabilityTest {
  private static Status unavailable(String description) {
    return Status.UNAVAILABLE.withDescription(description);
  }

  @Test
  void streamsTheServerNeverSawNeverReachedIt() {
    assertThat(
            Reachability.neverReachedServer(
                unavailable("io exception").withCause(new ConnectException("Connection refused"))))
        .isTrue();
    assertThat(Reachability.neverReachedServer(unavailable("Connection closed after GOAWAY.")))
        .isTrue();
    assertThat(
            Reachability.neverReachedServer(
                unavailable("Abrupt GOAWAY closed unsent stream. HTTP/2 error code: NO_ERROR")))
        .isTrue();
    assertThat(Reachability.neverReachedServer(unavailable("GOAWAY closed buffered stream")))
        .isTrue();
    assertThat(
            Reachability.neverReachedServer(
                unavailable("RST_STREAM closed stream. HTTP/2 error code: REFUSED_STREAM")))
        .isTrue();
  }

  @Test
  void streamsTheServerMayHaveProcessedMayHaveReachedIt() {
    assertThat(
            Reachability.neverReachedServer(
                unavailable("Abrupt GOAWAY closed sent stream. HTTP/2 error code: NO_ERROR")))
        .isFalse();
    assertThat(Reachability.neverReachedServer(unavailable("replica overloaded"))).isFalse();
    assertThat(
            Reachability.neverReachedServer(
                Status.DEADLINE_EXCEEDED.withDescription("Connection closed after GOAWAY")))
        .isFalse();
  }

  @Test
  void aConnectionThatBrokeUnderTheCallFailedWhateverItsCode() {
    assertThat(
            Reachability.connectionFailed(
                Status.UNKNOWN
                    .withDescription("channel closed")
                    .withCause(new ClosedChannelException())))
        .isTrue();
    assertThat(
            Reachability.connectionFailed(
                unavailable("io exception")
                    .withCause(new RuntimeException(new IOException("Connection reset by peer")))))
        .isTrue();
  }

  @Test
  void anErrorTheServerSentIsItsAnswer() {
    assertThat(Reachability.connectionFailed(Status.UNKNOWN.withDescription("model crashed")))
        .isFalse();
    assertThat(
            Reachability.connectionFailed(
                Status.UNKNOWN.withDescription("malformed").withCause(new IllegalStateException())))
        .isFalse();
  }
}
