package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class BlockingQueryContractTest extends ContractTest {

  @Test
  void parameterErrors() {
    Http.Reply badIndex = http.get("/v1/kv/x?index=abc");
    Http.Reply negativeIndex = http.get("/v1/kv/x?index=-1");
    Http.Reply badWait = http.get("/v1/kv/x?index=1&wait=soon");
    Http.Reply both = http.get("/v1/catalog/services?stale&consistent");

    assertThat(badIndex.status()).isEqualTo(400);
    assertThat(badIndex.body()).isEqualTo("Invalid index");
    assertThat(negativeIndex.status()).isEqualTo(400);
    assertThat(badWait.status()).isEqualTo(400);
    assertThat(badWait.body()).isEqualTo("Invalid wait time");
    assertThat(both.status()).isEqualTo(400);
  }

  @Test
  void readsCarryTheConsulHeaders() {
    Http.Reply plain = http.get("/v1/catalog/services");
    Http.Reply stale = http.get("/v1/catalog/services?stale=false");
    Http.Reply consistent = http.get("/v1/catalog/services?consistent");

    assertThat(plain.index()).isGreaterThanOrEqualTo(1);
    assertThat(plain.header("X-Consul-Knownleader")).isEqualTo("true");
    assertThat(plain.header("X-Consul-Lastcontact")).isEqualTo("0");
    assertThat(plain.header("X-Consul-Effective-Consistency")).isEqualTo("leader");
    assertThat(stale.header("X-Consul-Effective-Consistency")).isEqualTo("stale");
    assertThat(consistent.header("X-Consul-Effective-Consistency")).isEqualTo("consistent");
  }

  @Test
  void writesCarryNoIndex() {
    assertThat(http.put("/v1/kv/" + unique("w"), "v").header("X-Consul-Index")).isNull();
  }

  @Test
  void indexZeroOrWaitAloneAnswersAtOnce() {
    long started = System.nanoTime();

    http.get("/v1/catalog/services?index=0&wait=5s");
    http.get("/v1/catalog/services?wait=5s");

    assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(Duration.ofSeconds(4));
  }

  @Test
  void aBlockedReadWakesOnAChangeWithTheNewIndex() throws Exception {
    String key = unique("watch");
    http.put("/v1/kv/" + key, "1");
    long index = http.get("/v1/kv/" + key).index();

    CompletableFuture<Http.Reply> watch =
        http.getAsync("/v1/kv/" + key + "?index=" + index + "&wait=20s");
    http.put("/v1/kv/" + unique("unrelated"), "x");
    http.put("/v1/kv/" + key, "2");
    Http.Reply woken = watch.get(15, TimeUnit.SECONDS);

    assertThat(woken.status()).isEqualTo(200);
    assertThat(woken.index()).isGreaterThan(index);
    assertThat(woken.body()).contains("\"Mg==\"");
  }

  @Test
  void aMissingKeyWatchWakesWhenTheKeyAppears() throws Exception {
    String key = unique("appear");
    Http.Reply missing = http.get("/v1/kv/" + key);

    CompletableFuture<Http.Reply> watch =
        http.getAsync("/v1/kv/" + key + "?index=" + missing.index() + "&wait=20s");
    http.put("/v1/kv/" + key, "here");

    assertThat(watch.get(15, TimeUnit.SECONDS).status()).isEqualTo(200);
  }

  @Test
  void anUnchangedResultAnswersWhenTheWaitRunsOut() {
    String key = unique("still");
    http.put("/v1/kv/" + key, "1");
    long index = http.get("/v1/kv/" + key).index();
    long started = System.nanoTime();

    Http.Reply reply = http.get("/v1/kv/" + key + "?index=" + index + "&wait=1s");

    Duration took = Duration.ofNanos(System.nanoTime() - started);
    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.index()).isEqualTo(index);
    assertThat(took).isBetween(Duration.ofMillis(900), Duration.ofSeconds(5));
  }

  @Test
  void anIndexAheadOfTheServerBlocksUntilTimeout() {
    long started = System.nanoTime();

    Http.Reply reply = http.get("/v1/catalog/services?index=18446744073709551615&wait=1s");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(900));
  }

  @Test
  void healthWatchWakesOnCheckStatusChange() throws Exception {
    String name = registerTtlService(unique("hw"), "critical");
    long index = http.get("/v1/health/service/" + name).index();

    CompletableFuture<Http.Reply> watch =
        http.getAsync("/v1/health/service/" + name + "?passing&index=" + index + "&wait=20s");
    http.put("/v1/agent/check/pass/service:" + name);
    Http.Reply woken = watch.get(15, TimeUnit.SECONDS);

    assertThat(woken.index()).isGreaterThan(index);
    assertThat(woken.json().getAsJsonArray()).hasSize(1);
  }

  @Test
  void sessionInfoBlocks() throws Exception {
    String id =
        http.put("/v1/session/create", "{}").json().getAsJsonObject().get("ID").getAsString();
    long index = http.get("/v1/session/info/" + id).index();

    CompletableFuture<Http.Reply> watch =
        http.getAsync("/v1/session/info/" + id + "?index=" + index + "&wait=20s");
    http.put("/v1/session/destroy/" + id);

    assertThat(watch.get(15, TimeUnit.SECONDS).json().getAsJsonArray()).isEmpty();
  }
}
