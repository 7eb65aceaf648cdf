package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

/** TTL expiry, session TTLs, lock-delay and the reaper, driven by the fake clock. */
class TimerTest extends ContractTest {

  private JsonObject serviceCheck(String name) {
    var checks = first(health("/v1/health/service/" + name)).getAsJsonArray("Checks");
    return checks.get(checks.size() - 1).getAsJsonObject();
  }

  private String createSession(String body) {
    return http.put("/v1/session/create", body).json().getAsJsonObject().get("ID").getAsString();
  }

  @Test
  void ttlCheckTurnsCriticalWhenItsTimerRunsOut() {
    target.dev();
    String name = registerTtlService(unique("ttl"), "passing");

    target.advance(Duration.ofSeconds(29));
    assertThat(serviceCheck(name).get("Status").getAsString()).isEqualTo("passing");
    target.advance(Duration.ofSeconds(1));

    JsonObject check = serviceCheck(name);
    assertThat(check.get("Status").getAsString()).isEqualTo("critical");
    assertThat(check.get("Output").getAsString()).isEqualTo("TTL expired");
  }

  @Test
  void aSteadyCheckCarriesANewOutputIntoTheCatalogOncePerUpdateInterval() {
    target.dev();
    String name = registerTtlService(unique("steady"), "critical");
    String check = "/v1/agent/check/%s/service:" + name + "?note=%s";

    http.put(check.formatted("pass", "first"));
    target.advance(Duration.ofSeconds(20));
    http.put(check.formatted("pass", "second"));
    assertThat(serviceCheck(name).get("Output").getAsString()).isEqualTo("first");

    http.put(check.formatted("warn", "slow"));
    assertThat(serviceCheck(name).get("Output").getAsString()).isEqualTo("slow");
    for (int pass = 1; pass <= 15; pass++) {
      target.advance(Duration.ofSeconds(20));
      http.put(check.formatted("warn", "slow" + pass));
      assertThat(serviceCheck(name).get("Output").getAsString())
          .as("after %d s", pass * 20)
          .isEqualTo(pass < 15 ? "slow" : "slow15");
    }
    assertThat(serviceCheck(name).get("Status").getAsString()).isEqualTo("warning");
  }

  @Test
  void passRestartsTheTimer() {
    target.dev();
    String name = registerTtlService(unique("renewed"), "passing");

    target.advance(Duration.ofSeconds(20));
    http.put("/v1/agent/check/pass/service:" + name);
    target.advance(Duration.ofSeconds(20));

    assertThat(serviceCheck(name).get("Status").getAsString()).isEqualTo("passing");
  }

  @Test
  void sessionEndsAfterTwiceItsTtlUnlessRenewed() {
    target.dev();
    String renewed = createSession("{\"TTL\":\"10s\"}");
    String abandoned = createSession("{\"TTL\":\"10s\"}");

    target.advance(Duration.ofSeconds(15));
    http.put("/v1/session/renew/" + renewed);
    target.advance(Duration.ofSeconds(15));

    assertThat(http.get("/v1/session/info/" + abandoned).json().getAsJsonArray()).isEmpty();
    assertThat(http.get("/v1/session/info/" + renewed).json().getAsJsonArray()).hasSize(1);
    target.advance(Duration.ofSeconds(5));
    assertThat(http.get("/v1/session/info/" + renewed).json().getAsJsonArray()).isEmpty();
  }

  @Test
  void lockDelayBlocksAcquisitionUntilItPasses() {
    target.dev();
    String key = "/v1/kv/" + unique("delayed");
    String holder = createSession("{\"TTL\":\"10s\",\"LockDelay\":\"15s\"}");
    String waiter = createSession("{\"LockDelay\":\"15s\"}");
    http.put(key + "?acquire=" + holder, "v");

    target.advance(Duration.ofSeconds(20));
    assertThat(first(http.get(key).json().getAsJsonArray()).has("Session")).isFalse();
    assertThat(http.put(key + "?acquire=" + waiter, "v").body()).isEqualTo("false");
    target.advance(Duration.ofSeconds(14));
    assertThat(http.put(key + "?acquire=" + waiter, "v").body()).isEqualTo("false");
    target.advance(Duration.ofSeconds(1));

    assertThat(http.put(key + "?acquire=" + waiter, "v").body()).isEqualTo("true");
  }

  @Test
  void reaperRemovesServicesCriticalForAtLeastAMinute() {
    target.dev();
    String name = unique("reaped");
    http.put(
        "/v1/agent/service/register",
        "{\"Name\":\""
            + name
            + "\",\"Check\":{\"TTL\":\"10s\",\"DeregisterCriticalServiceAfter\":\"10s\"}}");

    // The reaper has run at least once in 50 s, yet a minute is the least it waits.
    target.advance(Duration.ofSeconds(50));
    assertThat(health("/v1/health/service/" + name)).hasSize(1);
    // Past the minute, the next run (at most 30 s later) removes it.
    target.advance(Duration.ofSeconds(11));
    target.advance(Duration.ofSeconds(30));
    assertThat(health("/v1/health/service/" + name)).isEmpty();
  }

  @Test
  void reaperLeavesServicesThatRecover() {
    target.dev();
    String name = unique("recovered");
    http.put(
        "/v1/agent/service/register",
        "{\"Name\":\""
            + name
            + "\",\"Check\":{\"TTL\":\"1h\",\"DeregisterCriticalServiceAfter\":\"1m\"}}");

    target.advance(Duration.ofSeconds(50));
    http.put("/v1/agent/check/pass/service:" + name);
    target.advance(Duration.ofMinutes(2));

    assertThat(health("/v1/health/service/" + name)).hasSize(1);
  }
}
