package dev.meridian.agent.features;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import com.google.protobuf.ByteString;
import dev.meridian.core.Ticker;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;

class FeatureLookupTest {
  private static final Instant NOW = Instant.parse("2026-12-01T12:00:00Z");
  private static final FeatureInputs INPUTS =
      new FeatureInputs(
          "features",
          "card_id",
          List.of(
              new FeatureSpec("amount", -1, Duration.ofMinutes(10), Duration.ofHours(1)),
              new FeatureSpec("velocity", -2, Duration.ofMinutes(10), Duration.ofHours(1))));

  private final MemoryFeatureStore primary = new MemoryFeatureStore("primary");
  private final MemoryFeatureStore replica = new MemoryFeatureStore("replica");
  private final FeatureCache cache = new FeatureCache(100);
  private final MetricRegistry registry = new MetricRegistry();

  private FeatureLookup lookup(FeatureStore... stores) {
    return new FeatureLookup(
        "fraud",
        INPUTS,
        List.of(stores),
        cache,
        Duration.ofMillis(50),
        Clock.fixed(NOW, ZoneOffset.UTC),
        Ticker.SYSTEM,
        new FeatureMetrics(registry, "fraud", INPUTS));
  }

  private static void put(
      MemoryFeatureStore store, String id, Duration age, Map<String, String> values) {
    var fields = new java.util.HashMap<>(values);
    fields.put(FeatureKeys.EVENT_TIME, String.valueOf(NOW.minus(age).toEpochMilli()));
    store.put(FeatureKeys.key("card_id", id), fields);
  }

  private static List<Float> values(FeatureLookup.Resolved resolved) {
    return resolved.tensor().getContents().getFp32ContentsList();
  }

  private long count(String metric, String source) {
    return registry
        .counter(MetricNames.tagged(metric, "source", source, "model", "fraud"))
        .getCount();
  }

  /** A store that is down: every read fails. */
  private static final class DownStore implements FeatureStore {
    final List<Duration> timeouts = new ArrayList<>();

    @Override
    public String name() {
      return "primary";
    }

    @Override
    public List<Map<String, String>> read(List<String> keys, List<String> fields, Duration timeout)
        throws FeatureStoreException {
      timeouts.add(timeout);
      throw new FeatureStoreException("primary at 10.0.0.9:6379 refused the connection", null);
    }

    @Override
    public void close() {}
  }

  @Test
  void everyValueComesFromThePrimaryWhenItHasThemFresh() {
    put(primary, "c-1", Duration.ofMinutes(2), Map.of("amount", "12.5", "velocity", "3"));
    put(primary, "c-2", Duration.ofMinutes(1), Map.of("amount", "1", "velocity", "0.5"));

    FeatureLookup.Resolved resolved =
        lookup(primary, replica).resolve(List.of("c-1", "c-2"), Optional.empty());

    assertThat(resolved.tensor().getName()).isEqualTo("features");
    assertThat(resolved.tensor().getDatatype()).isEqualTo(DataType.DATA_TYPE_FP32);
    assertThat(resolved.tensor().getShapeList()).containsExactly(2L, 2L);
    assertThat(values(resolved)).containsExactly(12.5f, 3f, 1f, 0.5f);
    assertThat(resolved.sources())
        .isEqualTo(FeatureSources.newBuilder().setPrimary(4).setOldestAgeMillis(120_000).build());
    assertThat(count("features.values", "primary")).isEqualTo(4);
  }

  @Test
  void valuesThePrimaryLacksComeFromTheReplicaFeatureByFeature() {
    put(primary, "c-1", Duration.ofMinutes(1), Map.of("amount", "12.5"));
    put(replica, "c-1", Duration.ofMinutes(3), Map.of("amount", "99", "velocity", "3"));

    FeatureLookup.Resolved resolved =
        lookup(primary, replica).resolve(List.of("c-1"), Optional.empty());

    assertThat(values(resolved)).containsExactly(12.5f, 3f);
    assertThat(resolved.sources().getPrimary()).isEqualTo(1);
    assertThat(resolved.sources().getReplica()).isEqualTo(1);
    assertThat(resolved.sources().getOldestAgeMillis()).isEqualTo(180_000);
    assertThat(count("features.missing", "primary")).isEqualTo(1);
  }

  @Test
  void aPrimaryThatIsDownPassesEveryValueToTheReplica() {
    put(replica, "c-1", Duration.ofMinutes(1), Map.of("amount", "7", "velocity", "8"));

    FeatureLookup.Resolved resolved =
        lookup(new DownStore(), replica).resolve(List.of("c-1"), Optional.empty());

    assertThat(values(resolved)).containsExactly(7f, 8f);
    assertThat(resolved.sources().getReplica()).isEqualTo(2);
    assertThat(
            registry
                .counter(
                    MetricNames.tagged(
                        "features.store.errors", "store", "primary", "model", "fraud"))
                .getCount())
        .isEqualTo(1);
  }

  @Test
  void withBothStoresDownRecentValuesComeFromTheCacheWithTheirAgeThenDefaults() {
    put(primary, "c-1", Duration.ofMinutes(4), Map.of("amount", "7", "velocity", "8"));
    lookup(primary).resolve(List.of("c-1"), Optional.empty());

    FeatureLookup down = lookup(new DownStore(), new DownStore());
    FeatureLookup.Resolved cached = down.resolve(List.of("c-1"), Optional.empty());
    FeatureLookup.Resolved unseen = down.resolve(List.of("c-2"), Optional.empty());

    assertThat(values(cached)).containsExactly(7f, 8f);
    assertThat(cached.sources())
        .isEqualTo(FeatureSources.newBuilder().setCache(2).setOldestAgeMillis(240_000).build());
    assertThat(values(unseen)).containsExactly(-1f, -2f);
    assertThat(unseen.sources()).isEqualTo(FeatureSources.newBuilder().setDefaults(2).build());
    assertThat(count("features.values", "default")).isEqualTo(2);
  }

  @Test
  void staleValuesAreUsedAndCountedUpToTheHardLimitThenTreatedAsMissing() {
    put(primary, "c-1", Duration.ofMinutes(30), Map.of("amount", "7", "velocity", "8"));
    put(primary, "c-2", Duration.ofHours(2), Map.of("amount", "7", "velocity", "8"));

    FeatureLookup lookup = lookup(primary);
    FeatureLookup.Resolved stale = lookup.resolve(List.of("c-1"), Optional.empty());
    FeatureLookup.Resolved expired = lookup.resolve(List.of("c-2"), Optional.empty());

    assertThat(values(stale)).containsExactly(7f, 8f);
    assertThat(stale.sources().getStale()).isEqualTo(2);
    assertThat(stale.sources().getPrimary()).isEqualTo(2);
    assertThat(count("features.stale", "primary")).isEqualTo(2);
    assertThat(values(expired)).containsExactly(-1f, -2f);
    assertThat(expired.sources().getDefaults()).isEqualTo(2);
  }

  @Test
  void valuesWithoutAnEventTimeOrNotNumbersAreMissing() {
    primary.put(FeatureKeys.key("card_id", "c-1"), Map.of("amount", "7", "velocity", "8"));
    put(primary, "c-2", Duration.ofMinutes(1), Map.of("amount", "lots", "velocity", "8"));

    FeatureLookup.Resolved resolved =
        lookup(primary).resolve(List.of("c-1", "c-2"), Optional.empty());

    assertThat(values(resolved)).containsExactly(-1f, -2f, -1f, 8f);
    assertThat(resolved.sources().getDefaults()).isEqualTo(3);
  }

  @Test
  void anEntityNoStoreKnowsIsNotFoundButUnknownWhileStoresAreDownGetsDefaults() {
    assertThatThrownBy(() -> lookup(primary, replica).resolve(List.of("c-404"), Optional.empty()))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.NOT_FOUND);
              assertThat(e.getStatus().getDescription())
                  .isEqualTo("entity card_id 'c-404' is not in the feature store");
            });
    assertThat(
            lookup(new DownStore(), new DownStore())
                .resolve(List.of("c-404"), Optional.empty())
                .sources()
                .getDefaults())
        .isEqualTo(2);
  }

  @Test
  void aStoreReadGetsTheLookupTimeoutOrHalfTheDeadlineLeftIfShorter() {
    DownStore store = new DownStore();
    FeatureLookup lookup = lookup(store);

    lookup.resolve(List.of("c-1"), Optional.empty());
    lookup.resolve(List.of("c-1"), Optional.of(Deadline.after(1, TimeUnit.HOURS)));
    lookup.resolve(List.of("c-1"), Optional.of(Deadline.after(40, TimeUnit.MILLISECONDS)));

    assertThat(store.timeouts.get(0)).isEqualTo(Duration.ofMillis(50));
    assertThat(store.timeouts.get(1)).isEqualTo(Duration.ofMillis(50));
    assertThat(store.timeouts.get(2)).isLessThanOrEqualTo(Duration.ofMillis(20));
  }

  private static Tensor keys(DataType type, List<Long> shape, TensorContents contents) {
    return Tensor.newBuilder()
        .setName("card_id")
        .setDatatype(type)
        .addAllShape(shape)
        .setContents(contents)
        .build();
  }

  private static Tensor textKeys(String... ids) {
    TensorContents.Builder contents = TensorContents.newBuilder();
    for (String id : ids) {
      contents.addBytesContents(ByteString.copyFromUtf8(id));
    }
    return keys(DataType.DATA_TYPE_BYTES, List.of((long) ids.length), contents.build());
  }

  @Test
  void entityKeysAreReplacedByTheFeatureTensorAndATensorSentItselfIsLeftAlone() {
    put(primary, "c-1", Duration.ofMinutes(1), Map.of("amount", "7", "velocity", "8"));
    put(primary, "42", Duration.ofMinutes(1), Map.of("amount", "1", "velocity", "2"));
    Tensor other = textKeys("x").toBuilder().setName("note").build();

    FeatureLookup.Assembled assembled =
        lookup(primary).assemble(List.of(other, textKeys("c-1")), Optional.empty()).orElseThrow();
    FeatureLookup.Assembled numeric =
        lookup(primary)
            .assemble(
                List.of(
                    keys(
                        DataType.DATA_TYPE_INT64,
                        List.of(1L, 1L),
                        TensorContents.newBuilder().addInt64Contents(42).build())),
                Optional.empty())
            .orElseThrow();

    assertThat(assembled.inputs()).hasSize(2);
    assertThat(assembled.inputs().get(0)).isEqualTo(other);
    assertThat(assembled.inputs().get(1).getContents().getFp32ContentsList())
        .containsExactly(7f, 8f);
    assertThat(numeric.inputs().get(0).getContents().getFp32ContentsList()).containsExactly(1f, 2f);
    assertThat(lookup(primary).assemble(List.of(other), Optional.empty())).isEmpty();
  }

  @Test
  void badEntityKeysAreInvalidArgumentsSayingWhatIsExpected() {
    FeatureLookup lookup = lookup(primary);
    Tensor features =
        keys(
                DataType.DATA_TYPE_FP32,
                List.of(1L, 2L),
                TensorContents.newBuilder().addFp32Contents(1).addFp32Contents(2).build())
            .toBuilder()
            .setName("features")
            .build();

    assertThatThrownBy(
            () ->
                lookup.assemble(
                    List.of(
                        keys(
                            DataType.DATA_TYPE_FP32,
                            List.of(1L),
                            TensorContents.newBuilder().addFp32Contents(1).build())),
                    Optional.empty()))
        .hasMessage(
            "INVALID_ARGUMENT: input 'card_id' must hold entity keys as BYTES (UTF-8 text),"
                + " INT32 or INT64, not FP32");
    assertThatThrownBy(
            () ->
                lookup.assemble(
                    List.of(
                        keys(
                            DataType.DATA_TYPE_BYTES,
                            List.of(1L, 2L),
                            TensorContents.newBuilder()
                                .addBytesContents(ByteString.copyFromUtf8("a"))
                                .addBytesContents(ByteString.copyFromUtf8("b"))
                                .build())),
                    Optional.empty()))
        .hasMessageContaining("in shape [n] or [n, 1] with n >= 1, one key per row; got [1, 2]");
    assertThatThrownBy(() -> lookup.assemble(List.of(textKeys("")), Optional.empty()))
        .hasMessageContaining("must hold entity keys of 1..256 characters each");
    assertThatThrownBy(() -> lookup.assemble(List.of(textKeys("c-1"), features), Optional.empty()))
        .hasMessage(
            "INVALID_ARGUMENT: send either the entity keys 'card_id' or the feature tensor"
                + " 'features', not both");
  }
}
