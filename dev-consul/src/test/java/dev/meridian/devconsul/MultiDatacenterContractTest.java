package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

class MultiDatacenterContractTest extends ContractTest {

  @Test
  void eachPortIsItsDatacentersLocalAgent() {
    DevConsul consul = target.dev();
    Http dc1 = new Http(consul.uri("dc1"));
    Http dc2 = new Http(consul.uri("dc2"));
    String name = unique("regional");

    dc2.put("/v1/agent/service/register", "{\"Name\":\"" + name + "\"}");

    assertThat(dc1.get("/v1/health/service/" + name).json().getAsJsonArray()).isEmpty();
    assertThat(dc2.get("/v1/health/service/" + name).json().getAsJsonArray()).hasSize(1);
    assertThat(dc1.get("/v1/health/service/" + name + "?dc=dc2").json().getAsJsonArray())
        .hasSize(1);
    assertThat(
            first(dc1.get("/v1/health/service/" + name + "?dc=dc2").json().getAsJsonArray())
                .getAsJsonObject("Node")
                .get("Datacenter")
                .getAsString())
        .isEqualTo("dc2");
  }

  @Test
  void kvIsPerDatacenterAndRoutedByDc() {
    DevConsul consul = target.dev();
    Http dc1 = new Http(consul.uri("dc1"));
    String key = "/v1/kv/" + unique("k");

    dc1.put(key + "?dc=dc2", "v");

    assertThat(dc1.get(key).status()).isEqualTo(404);
    assertThat(dc1.get(key + "?dc=dc2").status()).isEqualTo(200);
    assertThat(new Http(consul.uri("dc2")).get(key).status()).isEqualTo(200);
  }

  @Test
  void datacentersListsTheLocalOneFirst() {
    DevConsul consul = target.dev();

    assertThat(new Http(consul.uri("dc2")).get("/v1/catalog/datacenters").body())
        .isEqualTo("[\"dc2\",\"dc1\"]");
  }

  @Test
  void unknownDatacenterHasNoPath() {
    Http.Reply read = http.get("/v1/kv/x?dc=nowhere");
    Http.Reply write = http.put("/v1/kv/x?dc=nowhere", "v");

    assertThat(read.status()).isEqualTo(500);
    assertThat(read.body()).isEqualTo("No path to datacenter");
    assertThat(write.body()).isEqualTo("No path to datacenter");
  }
}
