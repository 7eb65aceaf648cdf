package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import org.junit.jupiter.api.Test;

class HealthCatalogContractTest extends ContractTest {

  @Test
  void entryHasConsulsShape() {
    String name = registerTtlService(unique("shape"), "passing");

    Http.Reply reply = http.get("/v1/health/service/" + name);
    JsonObject entry = first(reply.json().getAsJsonArray());

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.header("Content-Type")).startsWith("application/json");
    assertThat(entry.getAsJsonObject("Node").keySet())
        .contains(
            "ID",
            "Node",
            "Address",
            "Datacenter",
            "TaggedAddresses",
            "Meta",
            "CreateIndex",
            "ModifyIndex");
    assertThat(entry.getAsJsonObject("Service").keySet())
        .contains(
            "ID",
            "Service",
            "Tags",
            "Address",
            "Meta",
            "Port",
            "Weights",
            "EnableTagOverride",
            "CreateIndex",
            "ModifyIndex");
    JsonArray checks = entry.getAsJsonArray("Checks");
    JsonObject serf = checks.get(0).getAsJsonObject();
    assertThat(serf.get("CheckID").getAsString()).isEqualTo("serfHealth");
    assertThat(serf.get("Name").getAsString()).isEqualTo("Serf Health Status");
    assertThat(serf.get("Output").getAsString()).isEqualTo("Agent alive and reachable");
    assertThat(serf.get("ServiceID").getAsString()).isEmpty();
    JsonObject own = checks.get(1).getAsJsonObject();
    assertThat(own.keySet())
        .contains(
            "Node",
            "CheckID",
            "Name",
            "Status",
            "Notes",
            "Output",
            "ServiceID",
            "ServiceName",
            "ServiceTags",
            "Type",
            "CreateIndex",
            "ModifyIndex");
    assertThat(own.get("ServiceName").getAsString()).isEqualTo(name);
    assertThat(own.get("Type").getAsString()).isEqualTo("ttl");
  }

  @Test
  void passingKeepsOnlyEntriesWhoseEveryCheckPasses() {
    String good = registerTtlService(unique("good"), "passing");
    String warn = registerTtlService(unique("warn"), "warning");

    assertThat(health("/v1/health/service/" + good + "?passing")).hasSize(1);
    assertThat(health("/v1/health/service/" + good + "?passing=true")).hasSize(1);
    assertThat(health("/v1/health/service/" + warn + "?passing=1")).isEmpty();
    assertThat(health("/v1/health/service/" + warn + "?passing=false")).hasSize(1);
    Http.Reply bad = http.get("/v1/health/service/" + good + "?passing=maybe");
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).isEqualTo("Invalid value for ?passing");
  }

  @Test
  void everyTagMustMatchCaseInsensitively() {
    String name = registerTtlService(unique("tags"), "passing");

    assertThat(health("/v1/health/service/" + name + "?tag=V1")).hasSize(1);
    assertThat(health("/v1/health/service/" + name + "?tag=v1&tag=primary")).hasSize(1);
    assertThat(health("/v1/health/service/" + name + "?tag=v1&tag=other")).isEmpty();
  }

  @Test
  void unknownServiceIsAnEmptyList() {
    Http.Reply reply = http.get("/v1/health/service/" + unique("none"));

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getAsJsonArray()).isEmpty();
    assertThat(reply.index()).isGreaterThanOrEqualTo(1);
  }

  @Test
  void catalogServicesListsNamesWithTags() {
    String name = registerTtlService(unique("cat"), "passing");

    Http.Reply reply = http.get("/v1/catalog/services");
    JsonObject services = reply.json().getAsJsonObject();

    assertThat(services.getAsJsonArray("consul")).isEmpty();
    assertThat(services.getAsJsonArray(name).toString()).contains("\"v1\"", "\"Primary\"");
    assertThat(reply.header("X-Consul-Index")).isNotNull();
  }

  @Test
  void catalogDatacentersListsTheLocalOneFirstWithoutAnIndex() {
    Http.Reply reply = http.get("/v1/catalog/datacenters");

    assertThat(reply.status()).isEqualTo(200);
    assertThat(reply.json().getAsJsonArray()).isNotEmpty();
    assertThat(reply.header("X-Consul-Index")).isNull();
  }
}
