package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class SessionContractTest extends ContractTest {

  String createSession(String body) {
    Http.Reply reply = http.put("/v1/session/create", body);
    assertThat(reply.status()).as(reply.body()).isEqualTo(200);
    return reply.json().getAsJsonObject().get("ID").getAsString();
  }

  JsonObject info(String id) {
    return first(http.get("/v1/session/info/" + id).json().getAsJsonArray());
  }

  @Test
  void createAppliesDefaults() {
    String id = createSession("");

    JsonObject session = info(id);

    assertThat(session.get("LockDelay").getAsLong()).isEqualTo(15_000_000_000L);
    assertThat(session.get("Behavior").getAsString()).isEqualTo("release");
    assertThat(session.get("TTL").getAsString()).isEmpty();
    assertThat(session.getAsJsonArray("NodeChecks").toString()).isEqualTo("[\"serfHealth\"]");
    assertThat(session.get("Node").getAsString()).isNotEmpty();
    assertThat(session.get("CreateIndex").getAsLong())
        .isEqualTo(session.get("ModifyIndex").getAsLong());
  }

  @Test
  void lockDelayParsing() {
    assertThat(info(createSession("{\"LockDelay\":\"2s\"}")).get("LockDelay").getAsLong())
        .isEqualTo(2_000_000_000L);
    assertThat(info(createSession("{\"LockDelay\":5}")).get("LockDelay").getAsLong())
        .isEqualTo(5_000_000_000L);
    assertThat(info(createSession("{\"LockDelay\":3000000000}")).get("LockDelay").getAsLong())
        .isEqualTo(3_000_000_000L);
    assertThat(info(createSession("{\"LockDelay\":0}")).get("LockDelay").getAsLong()).isZero();
    assertThat(info(createSession("{\"lockdelay\":\"5m\"}")).get("LockDelay").getAsLong())
        .isEqualTo(60_000_000_000L);
  }

  @Test
  void ttlMustBeBetweenTenSecondsAndADay() {
    assertThat(http.put("/v1/session/create", "{\"TTL\":\"5s\"}").status()).isEqualTo(500);
    assertThat(http.put("/v1/session/create", "{\"TTL\":\"25h\"}").status()).isEqualTo(500);
    assertThat(info(createSession("{\"TTL\":\"10s\"}")).get("TTL").getAsString()).isEqualTo("10s");
  }

  @Test
  void createRefusesBadBodies() {
    assertThat(http.put("/v1/session/create", "{\"Behavior\":\"explode\"}").status())
        .isIn(400, 500);
    assertThat(http.put("/v1/session/create", "{\"Checks\":[\"no-such-check\"]}").status())
        .isEqualTo(500);
    assertThat(http.put("/v1/session/create", "{\"Nope\":1}").body())
        .isEqualTo("Request decode failed: json: unknown field \"Nope\"");
  }

  @Test
  void renewDestroyAndInfo() {
    String id = createSession("{\"TTL\":\"30s\",\"Name\":\"n\"}");

    Http.Reply renewed = http.put("/v1/session/renew/" + id);
    assertThat(renewed.status()).isEqualTo(200);
    assertThat(first(renewed.json().getAsJsonArray()).get("ID").getAsString()).isEqualTo(id);

    assertThat(http.put("/v1/session/destroy/" + id).body()).isEqualTo("true");
    assertThat(http.put("/v1/session/destroy/" + id).body()).isEqualTo("true");
    assertThat(http.get("/v1/session/info/" + id).json().getAsJsonArray()).isEmpty();
    Http.Reply missing = http.put("/v1/session/renew/" + id);
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.body()).isEqualTo("Session id '" + id + "' not found");
  }

  @Test
  void acquireAndReleaseFollowTheLockRules() {
    String key = "/v1/kv/" + unique("lock");
    String first = createSession("{\"LockDelay\":0}");
    String second = createSession("{\"LockDelay\":0}");

    assertThat(http.put(key + "?acquire=" + first, "leader-1").body()).isEqualTo("true");
    JsonObject held = first(http.get(key).json().getAsJsonArray());
    assertThat(held.get("Session").getAsString()).isEqualTo(first);
    assertThat(held.get("LockIndex").getAsLong()).isEqualTo(1);
    assertThat(http.put(key + "?acquire=" + first, "leader-1b").body()).isEqualTo("true");
    assertThat(first(http.get(key).json().getAsJsonArray()).get("LockIndex").getAsLong())
        .isEqualTo(1);
    assertThat(http.put(key + "?acquire=" + second, "leader-2").body()).isEqualTo("false");
    assertThat(http.put(key + "?release=" + second, "x").body()).isEqualTo("false");

    assertThat(http.put(key + "?release=" + first, "bye").body()).isEqualTo("true");
    JsonObject released = first(http.get(key).json().getAsJsonArray());
    assertThat(released.has("Session")).isFalse();
    assertThat(released.get("LockIndex").getAsLong()).isEqualTo(1);
    assertThat(http.put(key + "?acquire=" + second, "leader-2").body()).isEqualTo("true");
    assertThat(first(http.get(key).json().getAsJsonArray()).get("LockIndex").getAsLong())
        .isEqualTo(2);
  }

  @Test
  void acquireWithAnUnknownSessionIs500() {
    Http.Reply reply =
        http.put("/v1/kv/" + unique("k") + "?acquire=00000000-0000-0000-0000-000000000000", "v");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body())
        .isEqualToIgnoringCase("invalid session \"00000000-0000-0000-0000-000000000000\"");
  }

  @Test
  void destroyingASessionReleasesItsLocksAndStartsTheLockDelay() {
    String key = "/v1/kv/" + unique("held");
    String holder = createSession("{\"LockDelay\":\"10s\"}");
    String other = createSession("{\"LockDelay\":\"10s\"}");
    http.put(key + "?acquire=" + holder, "v");
    long before = first(http.get(key).json().getAsJsonArray()).get("ModifyIndex").getAsLong();

    http.put("/v1/session/destroy/" + holder);

    JsonObject entry = first(http.get(key).json().getAsJsonArray());
    assertThat(entry.has("Session")).isFalse();
    assertThat(entry.get("ModifyIndex").getAsLong()).isGreaterThan(before);
    assertThat(http.put(key + "?acquire=" + other, "v").body()).isEqualTo("false");
  }

  @Test
  void deleteBehaviorDeletesHeldKeys() {
    String key = "/v1/kv/" + unique("eph");
    String holder = createSession("{\"Behavior\":\"delete\",\"LockDelay\":0}");
    http.put(key + "?acquire=" + holder, "v");

    http.put("/v1/session/destroy/" + holder);

    assertThat(http.get(key).status()).isEqualTo(404);
  }

  @Test
  void aLinkedCheckGoingCriticalEndsTheSession() {
    String name = registerTtlService(unique("linked"), "passing");
    String id =
        createSession("{\"Checks\":[\"serfHealth\",\"service:" + name + "\"],\"LockDelay\":0}");
    String key = "/v1/kv/" + unique("lk");
    http.put(key + "?acquire=" + id, "v");

    http.put("/v1/agent/check/fail/service:" + name);

    assertThat(http.get("/v1/session/info/" + id).json().getAsJsonArray()).isEmpty();
    assertThat(first(http.get(key).json().getAsJsonArray()).has("Session")).isFalse();
  }

  @Test
  void removingALinkedCheckEndsTheSession() {
    String name = registerTtlService(unique("removed"), "passing");
    String id = createSession("{\"Checks\":[\"service:" + name + "\"]}");

    http.put("/v1/agent/service/deregister/" + name);

    assertThat(http.get("/v1/session/info/" + id).json().getAsJsonArray()).isEmpty();
  }

  @Test
  void aCriticalCheckCannotBeLinked() {
    String name = registerTtlService(unique("crit"), "critical");

    Http.Reply reply = http.put("/v1/session/create", "{\"Checks\":[\"service:" + name + "\"]}");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body()).contains("critical");
  }
}
