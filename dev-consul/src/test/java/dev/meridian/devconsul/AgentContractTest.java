package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.gson.JsonArray;
import com.google.gson.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class AgentContractTest extends ContractTest {

  private JsonArray checksOf(String service) {
    return first(health("/v1/health/service/" + service)).getAsJsonArray("Checks");
  }

  private JsonObject serviceCheck(String service) {
    return check(service, "service:" + service);
  }

  private JsonObject check(String service, String checkId) {
    for (var check : checksOf(service)) {
      if (check.getAsJsonObject().get("CheckID").getAsString().equals(checkId)) {
        return check.getAsJsonObject();
      }
    }
    throw new AssertionError("no check " + checkId + " on " + service);
  }

  @Test
  void registerAppliesDefaultsAndStartsCritical() {
    String name = unique("web");
    assertThat(
            http.put(
                    "/v1/agent/service/register",
                    "{\"name\":\"" + name + "\",\"check\":{\"ttl\":\"10s\"}}")
                .status())
        .isEqualTo(200);

    JsonObject entry = first(health("/v1/health/service/" + name));
    JsonObject service = entry.getAsJsonObject("Service");
    assertThat(service.get("ID").getAsString()).isEqualTo(name);
    assertThat(service.getAsJsonArray("Tags")).isEmpty();
    assertThat(service.getAsJsonObject("Weights").get("Passing").getAsInt()).isEqualTo(1);
    assertThat(service.getAsJsonObject("Weights").get("Warning").getAsInt()).isEqualTo(1);
    JsonObject check = serviceCheck(name);
    assertThat(check.get("CheckID").getAsString()).isEqualTo("service:" + name);
    assertThat(check.get("Status").getAsString()).isEqualTo("critical");
    assertThat(check.get("ServiceID").getAsString()).isEqualTo(name);
  }

  @Test
  void severalChecksAreNumberedFromOne() {
    String name = unique("multi");
    String body =
        "{\"Name\":\""
            + name
            + "\",\"ID\":\""
            + name
            + "-1\","
            + "\"Check\":{\"TTL\":\"10s\"},\"Checks\":[{\"TTL\":\"10s\"},"
            + "{\"CheckID\":\"custom-"
            + name
            + "\",\"TTL\":\"10s\",\"Status\":\"passing\"}]}";
    assertThat(http.put("/v1/agent/service/register", body).status()).isEqualTo(200);

    List<String> ids = new ArrayList<>();
    checksOf(name).forEach(c -> ids.add(c.getAsJsonObject().get("CheckID").getAsString()));
    assertThat(ids)
        .contains(
            "serfHealth", "service:" + name + "-1:1", "service:" + name + "-1:2", "custom-" + name);
  }

  @Test
  void reRegistrationKeepsTheStatusOfTheSameCheck() {
    String name = registerTtlService(unique("keep"), "critical");
    http.put("/v1/agent/check/pass/service:" + name + "?note=fine");
    registerTtlService(name, "critical");

    JsonObject check = serviceCheck(name);
    assertThat(check.get("Status").getAsString()).isEqualTo("passing");
    assertThat(check.get("Output").getAsString()).isEqualTo("fine");
  }

  @Test
  void invalidChecksAreRefused() {
    String name = unique("bad");
    Http.Reply noTtl =
        http.put("/v1/agent/service/register", "{\"Name\":\"" + name + "\",\"Check\":{}}");
    Http.Reply bothTtlAndInterval =
        http.put(
            "/v1/agent/service/register",
            "{\"Name\":\"" + name + "\",\"Check\":{\"TTL\":\"10s\",\"Interval\":\"10s\"}}");
    Http.Reply zeroTtl =
        http.put(
            "/v1/agent/service/register",
            "{\"Name\":\"" + name + "\",\"Checks\":[{\"Name\":\"x\",\"TTL\":\"0s\"}]}");

    assertThat(noTtl.status()).isEqualTo(200);
    assertThat(bothTtlAndInterval.status()).isEqualTo(400);
    assertThat(bothTtlAndInterval.body()).startsWith("Invalid check: ");
    assertThat(zeroTtl.status()).isEqualTo(400);
    assertThat(zeroTtl.body()).isEqualTo("Invalid check: TTL must be > 0 for TTL checks");
  }

  @Test
  void decodingRejectsUnknownFieldsAndMissingName() {
    Http.Reply unknown = http.put("/v1/agent/service/register", "{\"Name\":\"x\",\"Bogus\":1}");
    Http.Reply missingName = http.put("/v1/agent/service/register", "{\"Port\":1}");

    assertThat(unknown.status()).isEqualTo(400);
    assertThat(unknown.body()).isEqualTo("Request decode failed: json: unknown field \"Bogus\"");
    assertThat(missingName.status()).isEqualTo(400);
    assertThat(missingName.body()).isEqualTo("Missing service name");
  }

  @Test
  void deregisterRemovesTheServiceAndUnknownIdsAre404() {
    String name = registerTtlService(unique("gone"), "passing");
    assertThat(http.put("/v1/agent/service/deregister/" + name).status()).isEqualTo(200);
    Http.Reply again = http.put("/v1/agent/service/deregister/" + name);

    assertThat(health("/v1/health/service/" + name)).isEmpty();
    assertThat(again.status()).isEqualTo(404);
    assertThat(again.body())
        .isEqualTo(
            "Unknown service ID \""
                + name
                + "\". Ensure that the service ID is passed, not the service name.");
  }

  @Test
  void passWarnFailAndUpdateSetStatusAndOutput() {
    String name = registerTtlService(unique("ttl"), "critical");
    String check = "service:" + name;

    http.put("/v1/agent/check/warn/" + check + "?note=slow");
    assertThat(serviceCheck(name).get("Status").getAsString()).isEqualTo("warning");
    http.put("/v1/agent/check/fail/" + check);
    assertThat(serviceCheck(name).get("Status").getAsString()).isEqualTo("critical");
    Http.Reply update =
        http.put(
            "/v1/agent/check/update/" + check, "{\"Status\":\"passing\",\"Output\":\"all good\"}");
    assertThat(update.status()).isEqualTo(200);
    assertThat(serviceCheck(name).get("Output").getAsString()).isEqualTo("all good");
    assertThat(serviceCheck(name).get("Status").getAsString()).isEqualTo("passing");
  }

  @Test
  void checkUpdateErrors() {
    String name = unique("err");
    http.put(
        "/v1/agent/service/register",
        "{\"Name\":\""
            + name
            + "\",\"Check\":{\"HTTP\":\"http://127.0.0.1:1/\","
            + "\"Interval\":\"1h\"}}");

    Http.Reply unknown = http.put("/v1/agent/check/pass/nope-" + name);
    Http.Reply notTtl = http.put("/v1/agent/check/pass/service:" + name);
    Http.Reply badStatus =
        http.put("/v1/agent/check/update/service:" + name, "{\"Status\":\"meh\"}");

    assertThat(unknown.status()).isEqualTo(404);
    assertThat(unknown.body()).startsWith("Unknown check ID \"nope-" + name + "\".");
    assertThat(notTtl.status()).isEqualTo(500);
    assertThat(notTtl.body())
        .isEqualTo("CheckID \"service:" + name + "\" does not have associated TTL");
    assertThat(badStatus.status()).isEqualTo(400);
    assertThat(badStatus.body()).isEqualTo("Invalid check status: 'meh'");
  }

  @Test
  void outputIsCutToFourKibibytes() {
    String name = registerTtlService(unique("long"), "critical");
    String longNote = "x".repeat(5000);

    http.put("/v1/agent/check/pass/service:" + name + "?note=" + longNote);

    String output = serviceCheck(name).get("Output").getAsString();
    assertThat(output).startsWith("x".repeat(4096)).doesNotContain("x".repeat(4097));
  }

  @Test
  void maintenanceModeAddsAndRemovesACriticalCheck() {
    String name = registerTtlService(unique("maint"), "passing");
    String path = "/v1/agent/service/maintenance/" + name;

    assertThat(http.put(path).status()).isEqualTo(400);
    assertThat(http.put(path + "?enable=true&reason=upgrade").status()).isEqualTo(200);
    long index = http.get("/v1/health/service/" + name).index();
    http.put(path + "?enable=true&reason=other");
    JsonObject maintenance = check(name, "_service_maintenance:" + name);
    assertThat(http.get("/v1/health/service/" + name).index()).isEqualTo(index);
    assertThat(maintenance.get("CheckID").getAsString()).isEqualTo("_service_maintenance:" + name);
    assertThat(maintenance.get("Status").getAsString()).isEqualTo("critical");
    assertThat(maintenance.get("Notes").getAsString()).isEqualTo("upgrade");
    assertThat(health("/v1/health/service/" + name + "?passing")).isEmpty();

    http.put(path + "?enable=false");
    assertThat(health("/v1/health/service/" + name + "?passing")).hasSize(1);
    assertThat(http.put("/v1/agent/service/maintenance/nope-" + name + "?enable=true").status())
        .isEqualTo(404);
  }

  @Test
  void agentListsItsOwnServicesAndChecks() {
    String name = registerTtlService(unique("own"), "passing");

    JsonObject services = http.get("/v1/agent/services").json().getAsJsonObject();
    JsonObject checks = http.get("/v1/agent/checks").json().getAsJsonObject();

    assertThat(services.getAsJsonObject(name).get("Service").getAsString()).isEqualTo(name);
    assertThat(services.has("consul")).isFalse();
    assertThat(checks.getAsJsonObject("service:" + name).get("Status").getAsString())
        .isEqualTo("passing");
  }
}
