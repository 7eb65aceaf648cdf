package dev.meridian.gateway.routing;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.testing.LogCapture;
import dev.meridian.proto.routing.v1.RoutingTable;
import java.util.List;
import java.util.logging.Level;
import java.util.logging.LogRecord;
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
      assertThat(log.records()).extracting(LogRecord::getLevel).containsOnly(Level.WARNING);
      assertThat(log.records())
          .extracting(LogRecord::getMessage)
          .containsExactly(
              "event=routing_table_rejected model=m held_epoch=7 held_version=40"
                  + " got_epoch=1 got_version=3",
              "event=routing_table_rejected model=m held_epoch=7 held_version=40"
                  + " got_epoch=1 got_version=4",
              "event=routing_table_rejected model=other held_epoch=7 held_version=40"
                  + " got_epoch=7 got_version=39");
    }
  }
}
