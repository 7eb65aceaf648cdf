package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import java.net.http.HttpRequest;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestInstance;

@TestInstance(TestInstance.Lifecycle.PER_CLASS)
class AclTest {
  private static final String TOKEN = "s3cr3t";

  private ConsulTarget target;
  private Http anonymous;

  @BeforeAll
  void start() {
    target = ConsulTarget.startDev(DevConsulConfig.builder().aclToken(TOKEN));
    anonymous = new Http(target.uri()).withToken(null);
  }

  @AfterAll
  void stop() {
    target.close();
  }

  @Test
  void aMissingTokenIsPermissionDenied() {
    Http.Reply reply = anonymous.get("/v1/kv/x");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body()).isEqualTo("Permission denied");
  }

  @Test
  void aWrongTokenIsNotFound() {
    Http.Reply reply = anonymous.withToken("wrong").put("/v1/kv/x", "v");

    assertThat(reply.status()).isEqualTo(403);
    assertThat(reply.body()).isEqualTo("ACL not found");
  }

  @Test
  void theTokenIsAcceptedFromHeaderBearerOrQuery() {
    Http.Reply header = anonymous.withToken(TOKEN).put("/v1/kv/a", "v");
    Http.Reply bearer =
        anonymous.send(
            anonymous.request("/v1/kv/a").header("Authorization", "Bearer " + TOKEN).GET());
    Http.Reply query = anonymous.get("/v1/kv/a?token=" + TOKEN);
    Http.Reply emptyHeaderFallsBack =
        anonymous.send(
            anonymous
                .request("/v1/kv/a?token=" + TOKEN)
                .header("X-Consul-Token", "")
                .method("GET", HttpRequest.BodyPublishers.noBody()));

    assertThat(header.status()).isEqualTo(200);
    assertThat(bearer.status()).isEqualTo(200);
    assertThat(query.status()).isEqualTo(200);
    assertThat(emptyHeaderFallsBack.status()).isEqualTo(200);
  }
}
