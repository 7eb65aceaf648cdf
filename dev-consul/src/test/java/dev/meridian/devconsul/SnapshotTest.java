package dev.meridian.devconsul;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.file.Path;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class SnapshotTest {

  @Test
  void stateSurvivesARestart(@TempDir Path dir) {
    Path file = dir.resolve("consul.json");
    DevConsulConfig.Builder config = DevConsulConfig.builder().snapshotFile(file);
    long index;
    try (ConsulTarget first = ConsulTarget.startDev(config)) {
      Http http = new Http(first.uri());
      http.put("/v1/kv/config/a?flags=3", "persisted");
      http.put(
          "/v1/agent/service/register",
          "{\"Name\":\"web\",\"Tags\":[\"t\"],\"Check\":{\"TTL\":\"10s\",\"Status\":\"passing\"}}");
      index = http.get("/v1/catalog/services").index();
    }

    assertThat(file).exists();
    try (ConsulTarget second = ConsulTarget.startDev(config)) {
      Http http = new Http(second.uri());
      assertThat(http.get("/v1/kv/config/a?raw").body()).isEqualTo("persisted");
      assertThat(http.get("/v1/kv/config/a").body()).contains("\"Flags\":3");
      Http.Reply health = http.get("/v1/health/service/web?passing");
      assertThat(health.json().getAsJsonArray()).hasSize(1);
      assertThat(http.get("/v1/catalog/services").index()).isGreaterThanOrEqualTo(index);
      http.put("/v1/kv/config/b", "new");
      assertThat(http.get("/v1/kv/config/b").index()).isGreaterThan(index);
    }
  }
}
