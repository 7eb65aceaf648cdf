package dev.meridian.core.metrics;

import static org.assertj.core.api.Assertions.assertThat;

import com.codahale.metrics.Gauge;
import com.codahale.metrics.Histogram;
import com.codahale.metrics.MetricRegistry;
import com.codahale.metrics.Timer;
import com.codahale.metrics.UniformReservoir;
import dev.meridian.core.testing.LogCapture;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;

class PrometheusTextFormatTest {
  private final MetricRegistry registry = new MetricRegistry();
  private final PrometheusTextFormat format = new PrometheusTextFormat(registry);

  /** A sampling histogram that keeps every value (up to 1028) and the exact sum. */
  private static Histogram summingHistogram() {
    return new Histogram(new SummingReservoir(new UniformReservoir()));
  }

  @Test
  void emptyRegistryWritesNothing() {
    assertThat(format.render()).isEmpty();
  }

  @Test
  void countersAndMetersAreTotals() {
    registry.counter("gateway.calls").inc(3);
    registry.counter("already_total").inc();
    registry.meter("gateway.requests").mark(5);

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP already_total Dropwizard counter already_total
            # TYPE already_total counter
            already_total 1
            # HELP gateway_calls_total Dropwizard counter gateway.calls
            # TYPE gateway_calls_total counter
            gateway_calls_total 3
            # HELP gateway_requests_total Dropwizard meter gateway.requests
            # TYPE gateway_requests_total counter
            gateway_requests_total 5
            """);
  }

  @Test
  void numericAndBooleanGaugesAreWrittenOthersSkipped() {
    registry.register("pool.size", (Gauge<Integer>) () -> 7);
    registry.register("hit.ratio", (Gauge<Double>) () -> 0.25);
    registry.register("is.leader", (Gauge<Boolean>) () -> true);
    registry.register("version", (Gauge<String>) () -> "1.2.3");
    registry.register("no.value", (Gauge<Double>) () -> null);

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP hit_ratio Dropwizard gauge hit.ratio
            # TYPE hit_ratio gauge
            hit_ratio 0.25
            # HELP is_leader Dropwizard gauge is.leader
            # TYPE is_leader gauge
            is_leader 1
            # HELP pool_size Dropwizard gauge pool.size
            # TYPE pool_size gauge
            pool_size 7
            """);
  }

  @Test
  void throwingGaugeIsLoggedAndSkipped() {
    registry.register(
        "broken",
        (Gauge<Long>)
            () -> {
              throw new IllegalStateException("boom");
            });
    registry.counter("ok").inc();
    try (LogCapture log = LogCapture.of(PrometheusTextFormat.class)) {
      assertThat(format.render())
          .isEqualTo(
              """
              # HELP ok_total Dropwizard counter ok
              # TYPE ok_total counter
              ok_total 1
              """);
      assertThat(log.records()).hasSize(1);
      assertThat(log.records().get(0).getThrown()).hasMessage("boom");
    }
  }

  @Test
  void histogramIsSummaryWithQuantilesSumAndCount() {
    Histogram histogram =
        registry.histogram("batch.size", PrometheusTextFormatTest::summingHistogram);
    List.of(40L, 10L, 30L, 20L).forEach(histogram::update);

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP batch_size Dropwizard histogram batch.size
            # TYPE batch_size summary
            batch_size{quantile="0.5"} 25
            batch_size{quantile="0.75"} 37.5
            batch_size{quantile="0.95"} 40
            batch_size{quantile="0.99"} 40
            batch_size{quantile="0.999"} 40
            batch_size_sum 100
            batch_size_count 4
            """);
  }

  @Test
  void histogramWithoutSummingReservoirHasNoSumAndEmptyOneHasNaNQuantiles() {
    registry.histogram("plain").update(7);
    registry.histogram("unused");

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP plain Dropwizard histogram plain
            # TYPE plain summary
            plain{quantile="0.5"} 7
            plain{quantile="0.75"} 7
            plain{quantile="0.95"} 7
            plain{quantile="0.99"} 7
            plain{quantile="0.999"} 7
            plain_count 1
            # HELP unused Dropwizard histogram unused
            # TYPE unused summary
            unused{quantile="0.5"} NaN
            unused{quantile="0.75"} NaN
            unused{quantile="0.95"} NaN
            unused{quantile="0.99"} NaN
            unused{quantile="0.999"} NaN
            unused_count 0
            """);
  }

  @Test
  void timerIsSummaryInSecondsWithLabelsBeforeQuantile() {
    Timer timer =
        registry.timer(
            MetricNames.tagged("rpc.latency", "region", "eu"),
            () -> new Timer(new SummingReservoir(new UniformReservoir())));
    List.of(400, 100, 300, 200).forEach(millis -> timer.update(Duration.ofMillis(millis)));

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP rpc_latency Dropwizard timer rpc.latency, in seconds
            # TYPE rpc_latency summary
            rpc_latency{region="eu",quantile="0.5"} 0.25
            rpc_latency{region="eu",quantile="0.75"} 0.375
            rpc_latency{region="eu",quantile="0.95"} 0.4
            rpc_latency{region="eu",quantile="0.99"} 0.4
            rpc_latency{region="eu",quantile="0.999"} 0.4
            rpc_latency_sum{region="eu"} 1
            rpc_latency_count{region="eu"} 4
            """);
  }

  @Test
  void labelValuesAreEscaped() {
    registry
        .counter(MetricNames.tagged("gateway.calls", "region", "eu-west", "model", "plain"))
        .inc(2);
    registry
        .counter(MetricNames.tagged("gateway.calls", "region", "eu-west", "model", "a\"b\\c\nd,e"))
        .inc();

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP gateway_calls_total Dropwizard counter gateway.calls
            # TYPE gateway_calls_total counter
            gateway_calls_total{model="a\\"b\\\\c\\nd,e",region="eu-west"} 1
            gateway_calls_total{model="plain",region="eu-west"} 2
            """);
  }

  @Test
  void namesAreSanitized() {
    registry.register("cache.hit-ratio:eu/west", (Gauge<Integer>) () -> 1);
    registry.register("5xx.rate", (Gauge<Integer>) () -> 2);
    registry.register("bad{region}", (Gauge<Integer>) () -> 3);

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP _5xx_rate Dropwizard gauge 5xx.rate
            # TYPE _5xx_rate gauge
            _5xx_rate 2
            # HELP bad_region_ Dropwizard gauge bad{region}
            # TYPE bad_region_ gauge
            bad_region_ 3
            # HELP cache_hit_ratio_eu_west Dropwizard gauge cache.hit-ratio:eu/west
            # TYPE cache_hit_ratio_eu_west gauge
            cache_hit_ratio_eu_west 1
            """);
  }

  @Test
  void seriesOfOneFamilyAreGroupedAndSortedByLabels() {
    // Registry order is a-b{x=2}, a.c, a_b{x=1}: the a_b family is split around a_c.
    registry.counter(MetricNames.tagged("a-b", "x", "2")).inc(2);
    registry.counter("a.c").inc(3);
    registry.counter(MetricNames.tagged("a_b", "x", "1")).inc(1);

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP a_b_total Dropwizard counter a-b
            # TYPE a_b_total counter
            a_b_total{x="1"} 1
            a_b_total{x="2"} 2
            # HELP a_c_total Dropwizard counter a.c
            # TYPE a_c_total counter
            a_c_total 3
            """);
  }

  @Test
  void seriesThatWouldCollideAreSkipped() {
    registry.counter("dup-a").inc(1);
    registry.counter("dup.a").inc(2); // the same series as dup-a
    registry.histogram("lat");
    registry.register("lat.count", (Gauge<Integer>) () -> 1); // lat_count belongs to lat
    registry.counter("x");
    registry.register("x.total", (Gauge<Integer>) () -> 1); // x_total is a counter

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP dup_a_total Dropwizard counter dup-a
            # TYPE dup_a_total counter
            dup_a_total 1
            # HELP lat Dropwizard histogram lat
            # TYPE lat summary
            lat{quantile="0.5"} NaN
            lat{quantile="0.75"} NaN
            lat{quantile="0.95"} NaN
            lat{quantile="0.99"} NaN
            lat{quantile="0.999"} NaN
            lat_count 0
            # HELP x_total Dropwizard counter x
            # TYPE x_total counter
            x_total 0
            """);
  }

  @Test
  void helpTextIsEscaped() {
    registry.counter("a\\b\nc").inc();

    assertThat(format.render())
        .isEqualTo(
            """
            # HELP a_b_c_total Dropwizard counter a\\\\b\\nc
            # TYPE a_b_c_total counter
            a_b_c_total 1
            """);
  }
}
