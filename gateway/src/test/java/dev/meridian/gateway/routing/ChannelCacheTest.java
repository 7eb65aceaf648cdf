package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.core.server.EventLoops;
import dev.meridian.core.testing.FakeTicker;
import dev.meridian.core.tls.TransportSecurity;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import java.time.Duration;
import java.util.Set;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class ChannelCacheTest {
  // TEST-NET-1: never routed, so the channels try to connect and never reach anything.
  private static final ReplicaEndpoint REPLICA =
      new ReplicaEndpoint("eu", "eu-0", "192.0.2.1", 1, Set.of("m"));
  private static final ReplicaEndpoint OTHER =
      new ReplicaEndpoint("eu", "eu-1", "192.0.2.2", 1, Set.of("m"));

  private final FakeTicker ticker = new FakeTicker();
  private final EventLoops eventLoops = EventLoops.perProcessor();
  private final ChannelCache channels =
      new ChannelCache(
          TransportSecurity.plaintext(), eventLoops, 1024, new NoConnectivity(), ticker);

  @AfterEach
  void close() {
    channels.close();
    eventLoops.close();
  }

  @Test
  void aReplicaThatLeavesKeepsItsChannelUntilItHasBeenAbsentForTheGrace() {
    ManagedChannel channel = channels.channel(REPLICA);
    channels.channel(OTHER);

    assertThat(channels.retain(Set.of(OTHER.address())))
        .containsExactlyInAnyOrder(REPLICA.address(), OTHER.address());
    ticker.advance(ChannelCache.RETAIN_ABSENT.minus(Duration.ofNanos(1)));
    assertThat(channels.retain(Set.of(OTHER.address()))).contains(REPLICA.address());
    assertThat(channel.isShutdown()).isFalse();

    ticker.advance(Duration.ofNanos(1));
    assertThat(channels.retain(Set.of(OTHER.address()))).containsExactly(OTHER.address());
    assertThat(channel.isShutdown()).isTrue();
    // A present address is in use before its channel is made.
    assertThat(channels.retain(Set.of(OTHER.address(), "192.0.2.9:1")))
        .containsExactlyInAnyOrder(OTHER.address(), "192.0.2.9:1");
    assertThat(channels.state(REPLICA)).isEqualTo(ConnectivityState.IDLE);
  }

  @Test
  void aReplicaThatReturnsWithinTheGraceKeepsTheSameChannelAndStartsAfreshNextTime() {
    ManagedChannel channel = channels.channel(REPLICA);
    channels.retain(Set.of());
    ticker.advance(ChannelCache.RETAIN_ABSENT.minusSeconds(1));

    assertThat(channels.retain(Set.of(REPLICA.address()))).containsExactly(REPLICA.address());
    assertThat(channels.channel(REPLICA)).isSameAs(channel);

    // Its absence was forgotten: leaving again starts a new grace.
    channels.retain(Set.of());
    ticker.advance(Duration.ofSeconds(2));
    assertThat(channels.retain(Set.of())).containsExactly(REPLICA.address());
    assertThat(channel.isShutdown()).isFalse();
  }
}
