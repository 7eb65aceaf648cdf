package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.io.UncheckedIOException;
import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

class FaultControlTest extends ContractTest {

  @AfterEach
  void clearFaults() {
    if (target.isDev()) {
      target.dev().datacenters().forEach(dc -> target.dev().faults(dc).clear());
    }
  }

  @Test
  void unresponsiveHoldsRequestsUntilResumed() throws Exception {
    FaultControls faults = target.dev().faults("dc1");
    faults.setUnresponsive(true);

    assertThatThrownBy(() -> http.withTimeout(Duration.ofMillis(300)).get("/v1/catalog/services"))
        .isInstanceOf(UncheckedIOException.class);
    CompletableFuture<Http.Reply> held = http.getAsync("/v1/catalog/services");
    faults.setUnresponsive(false);

    assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void noLeaderFailsWritesAndOrdinaryReadsButNotStaleReads() {
    target.dev().faults("dc1").setNoLeader(true);

    Http.Reply write = http.put("/v1/kv/" + unique("nl"), "v");
    Http.Reply read = http.get("/v1/catalog/services");
    Http.Reply agentWrite = http.put("/v1/agent/service/register", "{\"Name\":\"x\"}");
    Http.Reply stale = http.get("/v1/catalog/services?stale");

    assertThat(write.status()).isEqualTo(500);
    assertThat(write.body()).isEqualTo("No cluster leader");
    assertThat(read.status()).isEqualTo(500);
    assertThat(agentWrite.status()).isEqualTo(500);
    assertThat(stale.status()).isEqualTo(200);
    assertThat(stale.header("X-Consul-Knownleader")).isEqualTo("false");
    assertThat(http.get("/v1/catalog/datacenters").status()).isEqualTo(200);

    target.dev().faults("dc1").setNoLeader(false);
    assertThat(http.get("/v1/catalog/services").status()).isEqualTo(200);
  }

  @Test
  void losingStateMakesIndexesGoBackwards() {
    String key = "/v1/kv/" + unique("lost");
    for (int i = 0; i < 5; i++) {
      http.put(key, "v" + i);
    }
    long before = http.get(key).index();

    target.dev().faults("dc1").loseState();

    Http.Reply after = http.get(key);
    assertThat(after.status()).isEqualTo(404);
    assertThat(after.index()).isLessThan(before).isGreaterThanOrEqualTo(1);
    assertThat(http.get("/v1/catalog/services").json().getAsJsonObject().keySet())
        .containsExactly("consul");
  }

  @Test
  void latencyDelaysEveryResponse() {
    target.dev().faults("dc1").setLatency(Duration.ofMillis(300));
    long started = System.nanoTime();

    http.get("/v1/catalog/services");

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(300));
  }

  @Test
  void faultsOfARemoteDatacenterApplyToForwardedRequests() {
    target.dev().faults("dc2").setNoLeader(true);

    assertThat(http.get("/v1/catalog/services?dc=dc2").body()).isEqualTo("No cluster leader");
    assertThat(http.get("/v1/catalog/services").status()).isEqualTo(200);
  }

  @Test
  void faultsAreReachableOverHttp() throws Exception {
    target.dev();

    assertThat(http.put("/_dev/fault/no-leader?enable=true").status()).isEqualTo(200);
    assertThat(http.get("/v1/kv/x").body()).isEqualTo("No cluster leader");
    http.put("/_dev/fault/no-leader?enable=false");
    http.put("/_dev/fault/unresponsive?enable=true");
    CompletableFuture<Http.Reply> held = http.getAsync("/v1/catalog/services");
    assertThat(http.get("/_dev/fault").json().getAsJsonObject().get("Unresponsive").getAsBoolean())
        .isTrue();
    http.put("/_dev/fault/unresponsive?enable=false");
    assertThat(held.get(10, TimeUnit.SECONDS).status()).isEqualTo(200);
    assertThat(http.put("/_dev/fault/latency?duration=soon").status()).isEqualTo(400);
    assertThat(http.put("/_dev/fault/latency?duration=10ms&dc=dc2").status()).isEqualTo(200);
    assertThat(target.dev().faults("dc2").latency()).isEqualTo(Duration.ofMillis(10));
    http.put("/v1/kv/" + unique("before-wipe"), "v");
    assertThat(http.put("/_dev/fault/lose-state").status()).isEqualTo(200);
    assertThat(http.get("/v1/kv/?recurse").status()).isEqualTo(404);
  }
}
