package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.UUID;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.TestInstance;

/**
 * Base of the HTTP contract suites: one target per test class and unique names per test, so the
 * suites also run against a shared real Consul.
 */
@TestInstance(TestInstance.Lifecycle.PER_CLASS)
abstract class ContractTest {
  ConsulTarget target;
  Http http;

  @BeforeAll
  void startTarget() {
    target = ConsulTarget.create();
    http = new Http(target.uri());
  }

  @AfterAll
  void stopTarget() {
    target.close();
  }

  static String unique(String prefix) {
    return prefix + "-" + UUID.randomUUID().toString().substring(0, 8);
  }

  /** Registers a service with one TTL check {@code service:<id>} and returns its ID. */
  String registerTtlService(String name, String status) {
    String body =
        "{\"Name\":\""
            + name
            + "\",\"Port\":8080,\"Tags\":[\"v1\",\"Primary\"],"
            + "\"Check\":{\"TTL\":\"30s\",\"Status\":\""
            + status
            + "\"}}";
    assertThat(http.put("/v1/agent/service/register", body).status()).isEqualTo(200);
    return name;
  }

  JsonArray health(String path) {
    return http.get(path).json().getAsJsonArray();
  }

  static JsonObject first(JsonArray array) {
    return array.get(0).getAsJsonObject();
  }
}
