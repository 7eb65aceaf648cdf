package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.URI;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

/**
 * Two dev Consul processes (here: two instances in one JVM) joined over the WAN both ways, as each
 * region's datacenter runs in its own network namespace: A serves {@code a}, B serves {@code b},
 * and each forwards {@code ?dc=} of the other. Both also name a datacenter {@code c} served by the
 * other one, which nobody serves, to show that a forwarded request is never forwarded again.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class WanFederationTest {
  private static final String LOOPBACK = "127.0.0.1";
  private static final Duration QUICKLY = Duration.ofSeconds(2);

  private DevConsul consulA;
  private DevConsul consulB;
  private Http viaA;
  private Http onB;

  @BeforeAll
  void start() {
    // Each needs the other's address up front, so A's port is chosen before B starts.
    int portA = freePort();
    consulB =
        new DevConsul(
                DevConsulConfig.builder()
                    .datacenters("b")
                    .basePort(0)
                    .wan(inOrder("a", LOOPBACK + ":" + portA, "c", LOOPBACK + ":" + portA))
                    .build())
            .start();
    String addressB = LOOPBACK + ":" + consulB.port("b");
    consulA =
        new DevConsul(
                DevConsulConfig.builder()
                    .datacenters("a")
                    .basePort(portA)
                    .wan(inOrder("b", addressB, "c", addressB))
                    .build())
            .start();
    viaA = http(consulA.uri("a"));
    onB = http(consulB.uri("b"));
  }

  @AfterAll
  void stop() {
    consulA.close();
    consulB.close();
  }

  @Test
  void aKvWriteViaAForBLandsOnBAndReadsBackBothWays() {
    String key = "/v1/kv/" + unique("k");

    Http.Reply write = viaA.put(key + "?dc=b", "hello");

    assertThat(write.status()).isEqualTo(200);
    assertThat(write.body()).isEqualTo("true");
    assertThat(viaA.get(key).status()).isEqualTo(404);
    Http.Reply direct = onB.get(key + "?raw");
    Http.Reply forwarded = viaA.get(key + "?dc=b&raw");
    assertThat(direct.body()).isEqualTo("hello");
    assertThat(forwarded.status()).isEqualTo(200);
    assertThat(forwarded.body()).isEqualTo("hello");
    assertThat(forwarded.header("X-Consul-Index")).isEqualTo(direct.header("X-Consul-Index"));
    assertThat(forwarded.header("X-Consul-Knownleader")).isEqualTo("true");
    assertThat(forwarded.header("X-Consul-Lastcontact")).isEqualTo("0");
    assertThat(onB.get(key + "?dc=a").status()).isEqualTo(404);
  }

  @Test
  void errorsOfTheRemoteComeBackAsTheyAre() {
    Http.Reply badIndex = viaA.get("/v1/kv/x?dc=b&index=abc");
    Http.Reply missing = viaA.get("/v1/kv/" + unique("missing") + "?dc=b");

    assertThat(badIndex.status()).isEqualTo(400);
    assertThat(badIndex.body()).isEqualTo("Invalid index");
    assertThat(missing.status()).isEqualTo(404);
    assertThat(missing.bytes()).isEmpty();
    assertThat(missing.index()).isPositive();
  }

  @Test
  void aBlockingQueryViaAWakesWhenBsKeyChanges() throws Exception {
    String key = "/v1/kv/" + unique("watch");
    onB.put(key, "1");
    long index = viaA.get(key + "?dc=b").index();

    CompletableFuture<Http.Reply> watch = viaA.getAsync(key + "?dc=b&index=" + index + "&wait=20s");
    onB.put(key, "2");
    Http.Reply woken = watch.get(15, TimeUnit.SECONDS);

    assertThat(woken.status()).isEqualTo(200);
    assertThat(woken.index()).isGreaterThan(index);
    assertThat(woken.body()).contains("\"Mg==\"");
  }

  @Test
  void aBlockingQueryViaAWaitsOutItsWaitOnB() {
    String key = "/v1/kv/" + unique("quiet");
    onB.put(key, "1");
    long index = viaA.get(key + "?dc=b").index();
    long started = System.nanoTime();

    Http.Reply timedOut = viaA.get(key + "?dc=b&index=" + index + "&wait=1s");

    assertThat(Duration.ofNanos(System.nanoTime() - started))
        .isGreaterThanOrEqualTo(Duration.ofMillis(950));
    assertThat(timedOut.status()).isEqualTo(200);
    assertThat(timedOut.index()).isEqualTo(index);
  }

  @Test
  void healthAndStatusOfBViaA() {
    String name = unique("svc");
    onB.put("/v1/agent/service/register", "{\"Name\":\"" + name + "\"}");

    Http.Reply health = viaA.get("/v1/health/service/" + name + "?dc=b");

    assertThat(health.json().getAsJsonArray()).hasSize(1);
    assertThat(
            health
                .json()
                .getAsJsonArray()
                .get(0)
                .getAsJsonObject()
                .getAsJsonObject("Node")
                .get("Datacenter")
                .getAsString())
        .isEqualTo("b");
    assertThat(viaA.get("/v1/status/leader?dc=b").body()).isEqualTo("\"127.0.0.1:8300\"");
  }

  @Test
  void agentEndpointsIgnoreDcAndAnswerLocally() {
    String name = unique("local");
    viaA.put("/v1/agent/service/register?dc=b", "{\"Name\":\"" + name + "\"}");

    assertThat(viaA.get("/v1/agent/services").json().getAsJsonObject().has(name)).isTrue();
    assertThat(onB.get("/v1/agent/services").json().getAsJsonObject().has(name)).isFalse();
  }

  @Test
  void datacentersListsTheLocalOneThenThoseOverTheWan() {
    assertThat(viaA.get("/v1/catalog/datacenters").body()).isEqualTo("[\"a\",\"b\",\"c\"]");
    assertThat(onB.get("/v1/catalog/datacenters").body()).isEqualTo("[\"b\",\"a\",\"c\"]");
  }

  @Test
  void anUnknownDatacenterStillHasNoPath() {
    Http.Reply reply = viaA.get("/v1/kv/x?dc=nowhere");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body()).isEqualTo("No path to datacenter");
  }

  @Test
  void aForwardedRequestIsNeverForwardedAgain() {
    // A sends ?dc=c to B, which would send it back to A: it answers itself instead.
    Http.Reply reply = viaA.get("/v1/kv/x?dc=c");

    assertThat(reply.status()).isEqualTo(500);
    assertThat(reply.body()).isEqualTo("No path to datacenter");
  }

  @Test
  void faultControlsOfBAreReachableThroughA() {
    try {
      Http.Reply fault = viaA.put("/_dev/fault/no-leader?dc=b&enable=true");

      assertThat(fault.status()).isEqualTo(200);
      assertThat(consulB.faults("b").hasLeader()).isFalse();
      assertThat(consulA.faults("a").hasLeader()).isTrue();
      Http.Reply read = viaA.get("/v1/kv/x?dc=b");
      assertThat(read.status()).isEqualTo(500);
      assertThat(read.body()).isEqualTo("No cluster leader");
    } finally {
      viaA.put("/_dev/fault/clear?dc=b");
    }
    assertThat(consulB.faults("b").hasLeader()).isTrue();
  }

  @Test
  void theTokenIsForwardedAndCheckedByTheRemote() {
    String token = "wan-s3cr3t";
    try (DevConsul secured =
            new DevConsul(
                    DevConsulConfig.builder()
                        .datacenters("secured")
                        .basePort(0)
                        .aclToken(token)
                        .build())
                .start();
        DevConsul open =
            new DevConsul(
                    DevConsulConfig.builder()
                        .datacenters("open")
                        .basePort(0)
                        .wan(Map.of("secured", LOOPBACK + ":" + secured.port("secured")))
                        .build())
                .start()) {
      Http anonymous = http(open.uri("open"));
      String key = "/v1/kv/" + unique("acl") + "?dc=secured";

      Http.Reply denied = anonymous.put(key, "v");
      Http.Reply wrong = anonymous.withToken("wrong").get(key);
      Http.Reply written = anonymous.withToken(token).put(key, "v");

      assertThat(denied.status()).isEqualTo(403);
      assertThat(denied.body()).isEqualTo("Permission denied");
      assertThat(wrong.status()).isEqualTo(403);
      assertThat(wrong.body()).isEqualTo("ACL not found");
      assertThat(written.status()).isEqualTo(200);
      assertThat(anonymous.withToken(token).get(key).status()).isEqualTo(200);
    }
  }

  @Test
  void aRemoteThatIsDownAnswersAnRpcErrorQuickly() {
    DevConsul remote =
        new DevConsul(DevConsulConfig.builder().datacenters("remote").basePort(0).build()).start();
    String remoteAddress = LOOPBACK + ":" + remote.port("remote");
    try (DevConsul local =
        new DevConsul(
                DevConsulConfig.builder()
                    .datacenters("local")
                    .basePort(0)
                    .wan(Map.of("remote", remoteAddress, "never", LOOPBACK + ":" + freePort()))
                    .build())
            .start()) {
      Http http = http(local.uri("local")).withTimeout(Duration.ofSeconds(10));
      assertThat(http.put("/v1/kv/k?dc=remote", "v").status()).isEqualTo(200);
      remote.close();

      for (String path : new String[] {"/v1/kv/k?dc=remote", "/v1/kv/k?dc=never"}) {
        long started = System.nanoTime();
        Http.Reply reply = http.get(path);

        assertThat(Duration.ofNanos(System.nanoTime() - started)).isLessThan(QUICKLY);
        assertThat(reply.status()).isEqualTo(500);
        assertThat(reply.body()).isEqualTo(WanForwarder.UNREACHABLE);
      }
    } finally {
      remote.close();
    }
  }

  @Test
  void theBindAddressIsHonouredAndTheAdvertisedOneReported() {
    try (DevConsul consul =
        new DevConsul(
                DevConsulConfig.builder()
                    .datacenters("a", "b")
                    .basePort(0)
                    .bindAddress(LOOPBACK)
                    .advertiseAddress("consul-a.test")
                    .build())
            .start()) {
      Http http = http(URI.create("http://" + LOOPBACK + ":" + consul.port("a")));

      assertThat(consul.uri("b")).isEqualTo(URI.create("http://consul-a.test:" + consul.port("b")));
      assertThat(http.get("/v1/status/leader").body()).isEqualTo("\"consul-a.test:8300\"");
      assertThat(http.get("/v1/status/peers?dc=b").body()).isEqualTo("[\"consul-a.test:8300\"]");
      Http.Reply node = http.get("/v1/health/service/consul");
      assertThat(
              node.json()
                  .getAsJsonArray()
                  .get(0)
                  .getAsJsonObject()
                  .getAsJsonObject("Node")
                  .get("Address")
                  .getAsString())
          .isEqualTo("consul-a.test");
      // Bound to 127.0.0.1 only: another loopback address of the same host is not served.
      Http otherAddress = http(URI.create("http://127.0.0.2:" + consul.port("a")));
      assertThat(refused(otherAddress)).isTrue();
    }
  }

  private static boolean refused(Http http) {
    try {
      http.get("/v1/status/leader");
      return false;
    } catch (UncheckedIOException e) {
      return true;
    }
  }

  private static Map<String, String> inOrder(
      String first, String firstAddress, String second, String secondAddress) {
    Map<String, String> remotes = new LinkedHashMap<>();
    remotes.put(first, firstAddress);
    remotes.put(second, secondAddress);
    return remotes;
  }

  private static Http http(URI base) {
    return new Http(base, null, Duration.ofSeconds(30));
  }

  private static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  private static int freePort() {
    try (ServerSocket socket = new ServerSocket(0, 1, InetAddress.getByName(LOOPBACK))) {
      return socket.getLocalPort();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }
}
