package dev.meridian.agent.features;

import dev.meridian.core.CallerText;
import dev.meridian.core.Ticker;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.Tensor;
import dev.meridian.proto.inference.v1.TensorContents;
import io.grpc.Deadline;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Assembles one model's feature input from its region's stores. Each value, not each request, goes
 * down the chain: the primary store, the replica store, the process's {@link FeatureCache}, then
 * the feature's default; a source that fails, does not answer in time, lacks the value, or has it
 * older than the feature's hard limit passes the value on to the next. Values older than their
 * maximum age are used and counted as stale. Every store read is pipelined (one round trip for all
 * the request's entities) and bounded by the lookup timeout and by half of what is left of the
 * call's deadline. Thread-safe.
 */
public final class FeatureLookup {
  private static final Logger logger = LoggerFactory.getLogger(FeatureLookup.class);
  private static final FeatureSource[] STORE_SOURCES = {
    FeatureSource.PRIMARY, FeatureSource.REPLICA
  };

  private final String model;
  private final FeatureInputs inputs;
  private final List<FeatureStore> stores;
  private final FeatureCache cache;
  private final Duration lookupTimeout;
  private final Clock clock;
  private final Ticker ticker;
  private final FeatureMetrics metrics;
  private final List<String> fields;

  /**
   * A lookup of {@code inputs} of {@code model}.
   *
   * @param stores the region's primary store, then its replica if any
   * @param clock tells the values' ages from their event times
   * @param ticker times the lookups
   */
  public FeatureLookup(
      String model,
      FeatureInputs inputs,
      List<FeatureStore> stores,
      FeatureCache cache,
      Duration lookupTimeout,
      Clock clock,
      Ticker ticker,
      FeatureMetrics metrics) {
    if (stores.isEmpty() || stores.size() > STORE_SOURCES.length) {
      throw new IllegalArgumentException("a primary store and at most one replica");
    }
    this.model = model;
    this.inputs = inputs;
    this.stores = List.copyOf(stores);
    this.cache = cache;
    this.lookupTimeout = lookupTimeout;
    this.clock = clock;
    this.ticker = ticker;
    this.metrics = metrics;
    List<String> read = new ArrayList<>(inputs.names());
    read.add(FeatureKeys.EVENT_TIME);
    this.fields = List.copyOf(read);
  }

  /** A request's inputs with the entity keys replaced by the looked-up feature tensor. */
  public record Assembled(List<Tensor> inputs, FeatureSources sources) {}

  /**
   * When {@code request} carries entity keys, the inputs with the keys replaced by the feature
   * tensor; empty when the caller sent the feature tensor itself.
   *
   * @param deadline the call's deadline, if any
   * @throws StatusRuntimeException {@code INVALID_ARGUMENT} for keys of the wrong type or shape, or
   *     keys beside the feature tensor; {@code NOT_FOUND} for an entity the store does not know
   */
  public Optional<Assembled> assemble(List<Tensor> request, Optional<Deadline> deadline) {
    Optional<Tensor> keys =
        request.stream().filter(tensor -> tensor.getName().equals(inputs.entity())).findFirst();
    if (keys.isEmpty()) {
      return Optional.empty();
    }
    if (request.stream().anyMatch(tensor -> tensor.getName().equals(inputs.input()))) {
      throw Status.INVALID_ARGUMENT
          .withDescription(
              "send either the entity keys '"
                  + inputs.entity()
                  + "' or the feature tensor '"
                  + inputs.input()
                  + "', not both")
          .asRuntimeException();
    }
    Resolved resolved = resolve(EntityKeys.of(keys.get()), deadline);
    List<Tensor> assembled = new ArrayList<>();
    for (Tensor tensor : request) {
      assembled.add(tensor.getName().equals(inputs.entity()) ? resolved.tensor() : tensor);
    }
    return Optional.of(new Assembled(assembled, resolved.sources()));
  }

  /** The feature tensor of some entities and where its values came from. */
  public record Resolved(Tensor tensor, FeatureSources sources) {}

  /**
   * Looks up the features of the entities {@code ids}.
   *
   * @throws StatusRuntimeException {@code NOT_FOUND} when a store answered that it has no such
   *     entity and no other source had any of its values
   */
  public Resolved resolve(List<String> ids, Optional<Deadline> deadline) {
    long start = ticker.nanoTime();
    Cells cells = new Cells(ids.size());
    List<String> keys = ids.stream().map(id -> FeatureKeys.key(inputs.entity(), id)).toList();
    boolean[] unknown = new boolean[ids.size()];
    long now = clock.millis();
    for (int tier = 0; tier < stores.size() && cells.open() > 0; tier++) {
      readStore(stores.get(tier), STORE_SOURCES[tier], keys, cells, unknown, now, deadline);
      metrics.missing(STORE_SOURCES[tier], cells.open());
    }
    if (cells.open() > 0) {
      fromCache(keys, cells, now);
      metrics.missing(FeatureSource.CACHE, cells.open());
    }
    for (int row = 0; row < ids.size(); row++) {
      if (unknown[row] && !cells.anyFilled(row)) {
        throw Status.NOT_FOUND
            .withDescription(
                "entity "
                    + inputs.entity()
                    + " "
                    + CallerText.quoted(ids.get(row))
                    + " is not in the feature store")
            .asRuntimeException();
      }
    }
    for (int row = 0; row < ids.size(); row++) {
      for (int column = 0; column < cells.columns; column++) {
        if (!cells.filled(row, column)) {
          FeatureSpec feature = inputs.features().get(column);
          cells.fill(row, column, feature.defaultValue(), FeatureSource.DEFAULT, 0, false);
          metrics.used(feature.name(), FeatureSource.DEFAULT, 0, false);
        }
      }
    }
    metrics.lookup(ticker.nanoTime() - start);
    return new Resolved(cells.tensor(), cells.sources());
  }

  private void readStore(
      FeatureStore store,
      FeatureSource source,
      List<String> keys,
      Cells cells,
      boolean[] unknown,
      long now,
      Optional<Deadline> deadline) {
    Duration timeout = timeout(deadline);
    if (timeout.isZero()) {
      return;
    }
    List<Integer> rows = cells.openRows();
    List<Map<String, String>> hashes;
    try {
      hashes = store.read(rows.stream().map(keys::get).toList(), fields, timeout);
    } catch (FeatureStoreException e) {
      metrics.storeFailed(store.name());
      logger.atDebug().addKeyValue("model", model).setCause(e).log("feature store read failed");
      return;
    }
    for (int i = 0; i < rows.size(); i++) {
      int row = rows.get(i);
      Map<String, String> hash = hashes.get(i);
      if (hash.isEmpty()) {
        unknown[row] = true;
        continue;
      }
      OptionalEvent event = OptionalEvent.of(hash.get(FeatureKeys.EVENT_TIME));
      Map<String, FeatureCache.Value> read = new HashMap<>();
      for (int column = 0; column < cells.columns; column++) {
        FeatureSpec feature = inputs.features().get(column);
        Double value = number(hash.get(feature.name()));
        if (value == null || event.missing()) {
          continue;
        }
        read.put(feature.name(), new FeatureCache.Value(value, event.millis()));
        if (!cells.filled(row, column)) {
          offer(cells, row, column, value, event.millis(), now, source);
        }
      }
      if (!read.isEmpty()) {
        cache.remember(keys.get(row), read);
      }
    }
  }

  private void fromCache(List<String> keys, Cells cells, long now) {
    for (int row : cells.openRows()) {
      for (int column = 0; column < cells.columns; column++) {
        if (cells.filled(row, column)) {
          continue;
        }
        Optional<FeatureCache.Value> cached =
            cache.value(keys.get(row), inputs.features().get(column).name());
        if (cached.isPresent()) {
          offer(
              cells,
              row,
              column,
              cached.get().value(),
              cached.get().eventMillis(),
              now,
              FeatureSource.CACHE);
        }
      }
    }
  }

  /** Fills the cell with {@code value} unless it is past the feature's hard limit. */
  private void offer(
      Cells cells,
      int row,
      int column,
      double value,
      long eventMillis,
      long now,
      FeatureSource source) {
    FeatureSpec feature = inputs.features().get(column);
    long age = Math.max(0, now - eventMillis);
    if (feature.usable(age)) {
      cells.fill(row, column, value, source, age, feature.stale(age));
      metrics.used(feature.name(), source, age, feature.stale(age));
    }
  }

  /** The timeout of one store read: the lookup timeout, or half the deadline's rest if shorter. */
  private Duration timeout(Optional<Deadline> deadline) {
    if (deadline.isEmpty()) {
      return lookupTimeout;
    }
    long rest = Math.max(0, deadline.get().timeRemaining(TimeUnit.NANOSECONDS) / 2);
    return rest < lookupTimeout.toNanos() ? Duration.ofNanos(rest) : lookupTimeout;
  }

  private static Double number(String text) {
    if (text == null) {
      return null;
    }
    try {
      double value = Double.parseDouble(text);
      return Double.isFinite(value) ? value : null;
    } catch (NumberFormatException e) {
      return null;
    }
  }

  /** An entity's event time as read from its hash; missing when absent or not a number. */
  private record OptionalEvent(long millis) {
    static OptionalEvent of(String text) {
      if (text == null) {
        return new OptionalEvent(-1);
      }
      try {
        return new OptionalEvent(Long.parseLong(text.trim()));
      } catch (NumberFormatException e) {
        return new OptionalEvent(-1);
      }
    }

    boolean missing() {
      return millis < 0;
    }
  }

  /** The feature tensor being filled, value by value, with each value's source. */
  private final class Cells {
    final int rows;
    final int columns;
    final float[] values;
    final FeatureSource[] sources;
    int open;
    int stale;
    long oldestAge;

    Cells(int rows) {
      this.rows = rows;
      this.columns = inputs.features().size();
      this.values = new float[rows * columns];
      this.sources = new FeatureSource[rows * columns];
      this.open = rows * columns;
    }

    int open() {
      return open;
    }

    boolean filled(int row, int column) {
      return sources[row * columns + column] != null;
    }

    boolean anyFilled(int row) {
      for (int column = 0; column < columns; column++) {
        if (filled(row, column)) {
          return true;
        }
      }
      return false;
    }

    List<Integer> openRows() {
      List<Integer> open = new ArrayList<>();
      for (int row = 0; row < rows; row++) {
        for (int column = 0; column < columns; column++) {
          if (!filled(row, column)) {
            open.add(row);
            break;
          }
        }
      }
      return open;
    }

    void fill(int row, int column, double value, FeatureSource source, long age, boolean isStale) {
      values[row * columns + column] = (float) value;
      sources[row * columns + column] = source;
      open--;
      if (source != FeatureSource.DEFAULT) {
        oldestAge = Math.max(oldestAge, age);
      }
      if (isStale) {
        stale++;
      }
    }

    Tensor tensor() {
      TensorContents.Builder contents = TensorContents.newBuilder();
      for (float value : values) {
        contents.addFp32Contents(value);
      }
      return Tensor.newBuilder()
          .setName(inputs.input())
          .setDatatype(DataType.DATA_TYPE_FP32)
          .addShape(rows)
          .addShape(columns)
          .setContents(contents)
          .build();
    }

    FeatureSources sources() {
      int[] counts = new int[FeatureSource.values().length];
      for (FeatureSource source : sources) {
        counts[source.ordinal()]++;
      }
      return FeatureSources.newBuilder()
          .setPrimary(counts[FeatureSource.PRIMARY.ordinal()])
          .setReplica(counts[FeatureSource.REPLICA.ordinal()])
          .setCache(counts[FeatureSource.CACHE.ordinal()])
          .setDefaults(counts[FeatureSource.DEFAULT.ordinal()])
          .setStale(stale)
          .setOldestAgeMillis(oldestAge)
          .build();
    }
  }
}
