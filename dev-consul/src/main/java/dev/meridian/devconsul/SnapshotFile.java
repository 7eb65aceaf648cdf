package dev.meridian.devconsul;

import com.google.gson.Gson;
import com.google.gson.GsonBuilder;
import com.google.gson.JsonParseException;
import com.google.gson.TypeAdapter;
import com.google.gson.stream.JsonReader;
import com.google.gson.stream.JsonToken;
import com.google.gson.stream.JsonWriter;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.StandardCopyOption;
import java.time.Duration;
import java.time.Instant;
import java.time.InstantSource;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.function.Function;

/**
 * Saves every datacenter's state to a JSON file and loads it back on start. Timers (TTL checks,
 * session TTLs) restart from the load time, and lock-delays are not kept. Writes go to a temporary
 * file that is then moved into place, so a crash never leaves half a snapshot. Thread-safe: {@link
 * #saveIfChanged} is synchronized.
 */
final class SnapshotFile {

  /** The file's content: one state per datacenter name. */
  record Snapshot(Map<String, DatacenterState.Image> datacenters) {}

  private static final Gson GSON =
      new GsonBuilder()
          .serializeNulls()
          .setPrettyPrinting()
          .registerTypeAdapter(Duration.class, adapter(Duration::toString, Duration::parse))
          .registerTypeAdapter(Instant.class, adapter(Instant::toString, Instant::parse))
          .create();

  private final Path file;
  private final InstantSource clock;

  SnapshotFile(Path file, InstantSource clock) {
    this.file = file;
    this.clock = clock;
  }

  /** Restores the datacenters the file knows; a missing file means a fresh start. */
  void load(Datacenters datacenters) {
    if (!Files.exists(file)) {
      return;
    }
    Snapshot snapshot;
    try {
      snapshot = GSON.fromJson(Files.readString(file, StandardCharsets.UTF_8), Snapshot.class);
    } catch (IOException e) {
      throw new UncheckedIOException("snapshotFile: cannot read " + file, e);
    } catch (JsonParseException e) {
      throw new IllegalStateException("snapshotFile: " + file + " is not a dev consul snapshot", e);
    }
    snapshot
        .datacenters()
        .forEach(
            (name, image) -> {
              Datacenter datacenter = datacenters.get(name);
              if (datacenter != null) {
                datacenter.replace(
                    DatacenterState.restore(
                        name, datacenter.nodeName(), datacenter.nodeAddress(), clock, image));
              }
            });
  }

  /** Writes the file when any datacenter changed since the last save. */
  synchronized void saveIfChanged(Datacenters datacenters) {
    boolean changed = false;
    for (Datacenter datacenter : datacenters.all()) {
      changed |= datacenter.takeDirty();
    }
    if (!changed && Files.exists(file)) {
      return;
    }
    Map<String, DatacenterState.Image> images = new LinkedHashMap<>();
    datacenters.all().forEach(dc -> images.put(dc.name(), dc.read(DatacenterState::image)));
    try {
      Path parent = file.toAbsolutePath().getParent();
      Files.createDirectories(parent);
      Path temporary = Files.createTempFile(parent, file.getFileName().toString(), ".tmp");
      Files.writeString(temporary, GSON.toJson(new Snapshot(images)), StandardCharsets.UTF_8);
      Files.move(
          temporary, file, StandardCopyOption.REPLACE_EXISTING, StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new UncheckedIOException("snapshotFile: cannot write " + file, e);
    }
  }

  private static <T> TypeAdapter<T> adapter(Function<T, String> write, Function<String, T> read) {
    return new TypeAdapter<T>() {
      @Override
      public void write(JsonWriter out, T value) throws IOException {
        if (value == null) {
          out.nullValue();
        } else {
          out.value(write.apply(value));
        }
      }

      @Override
      public T read(JsonReader in) throws IOException {
        if (in.peek() == JsonToken.NULL) {
          in.nextNull();
          return null;
        }
        return read.apply(in.nextString());
      }
    };
  }
}
