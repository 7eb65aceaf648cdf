package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.testing.LogCapture;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.Test;

class TableRejectionsTest {
  private final MetricRegistry metrics = new MetricRegistry();
  private final TableRejections rejections = new TableRejections(metrics);

  private static RejectedTable rejected(String model, long gotEpoch, long gotVersion) {
    return new RejectedTable(
        RoutingTable.newBuilder().setModelName(model).setLeaderEpoch(7).setVersion(40).build(),
        RoutingTable.newBuilder()
            .setModelName(model)
            .setLeaderEpoch(gotEpoch)
            .setVersion(gotVersion)
            .build());
  }

  private long count(String model) {
    return metrics.counter("gateway.routing.tables_rejected{model=" + model + "}").getCount();
  }

  @Test
  void eachRefusalCountsAndEachRefusedVersionIsLoggedOnce() {
    try (LogCapture log = LogCapture.of(TableRejections.class)) {
      rejections.report(List.of(rejected("m", 1, 3)));
      rejections.report(List.of(rejected("m", 1, 3)));
      rejections.report(List.of(rejected("m", 1, 4), rejected("other", 7, 39)));

      assertThat(count("m")).isEqualTo(3);
      assertThat(count("other")).isEqualTo(1);
      assertThat(log.lines()).extracting(LogCapture.Line::level).containsOnly("WARN");
      assertThat(log.lines())
          .extracting(LogCapture.Line::fields)
          .containsExactly(logged("m", 1, 3), logged("m", 1, 4), logged("other", 7, 39));
    }
  }

  private static Map<String, Object> logged(String model, long gotEpoch, long gotVersion) {
    return Map.of(
        "event",
        "routing_table_rejected",
        "model",
        model,
        "held_epoch",
        7L,
        "held_version",
        40L,
        "got_epoch",
        gotEpoch,
        "got_version",
        gotVersion);
  }
}
