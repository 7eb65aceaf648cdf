package dev.meridian.registry;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.kv.model.GetValue;
import com.ecwid.consul.v1.kv.model.PutParams;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Objects;
import java.util.Optional;

/** Consul KV in any datacenter: reads (blocking or not), writes with check-and-set, and locks. */
public final class ConsulKv {
  private final ConsulClient client;
  private final long waitSeconds;

  ConsulKv(ConsulClient client, ConsulConfig config) {
    this.client = client;
    this.waitSeconds = config.maxWait().toSeconds();
  }

  /**
   * Reads one key. With {@code index} 0 it answers at once; otherwise it blocks until the key
   * changes past {@code index} (or appears) or the wait runs out.
   */
  public Versioned<Optional<KvEntry>> get(String key, String datacenter, long index) {
    ConsulNames.key(key);
    ConsulNames.name("datacenter", datacenter);
    return ConsulCall.read(
        "kv get " + key + " in " + datacenter,
        () -> client.getKVValue(key, new QueryParams(datacenter, waitSeconds, index)),
        value -> Optional.ofNullable(value).map(ConsulKv::toEntry));
  }

  /** Reads every key under {@code prefix}, sorted; none is an empty list. */
  public Versioned<List<KvEntry>> list(String prefix, String datacenter, long index) {
    ConsulNames.key(prefix);
    ConsulNames.name("datacenter", datacenter);
    return ConsulCall.read(
        "kv list " + prefix + " in " + datacenter,
        () -> client.getKVValues(prefix, new QueryParams(datacenter, waitSeconds, index)),
        values -> values == null ? List.of() : values.stream().map(ConsulKv::toEntry).toList());
  }

  /** Writes {@code value} unconditionally. */
  public void put(String key, String value, String datacenter) {
    write("kv put " + key, key, value, datacenter, new PutParams());
  }

  /**
   * Writes {@code value} only if the key's ModifyIndex is still {@code expectedModifyIndex} (0:
   * only if the key does not exist).
   *
   * @return false when another write came first; nothing was written
   */
  public boolean compareAndSet(
      String key, String value, long expectedModifyIndex, String datacenter) {
    PutParams params = new PutParams();
    params.setCas(expectedModifyIndex);
    return write("kv cas " + key, key, value, datacenter, params);
  }

  /**
   * Takes the lock on {@code key} for {@code sessionId} and writes {@code value}.
   *
   * @return false when another session holds it, or its lock-delay has not passed
   */
  public boolean acquire(String key, String value, String sessionId, String datacenter) {
    ConsulNames.name("session", sessionId);
    PutParams params = new PutParams();
    params.setAcquireSession(sessionId);
    return write("kv acquire " + key, key, value, datacenter, params);
  }

  /**
   * Releases {@code sessionId}'s lock on {@code key}, writing {@code value}.
   *
   * @return false when the session did not hold it
   */
  public boolean release(String key, String value, String sessionId, String datacenter) {
    ConsulNames.name("session", sessionId);
    PutParams params = new PutParams();
    params.setReleaseSession(sessionId);
    return write("kv release " + key, key, value, datacenter, params);
  }

  /** Deletes a key; deleting a missing key succeeds. */
  public void delete(String key, String datacenter) {
    ConsulNames.key(key);
    ConsulNames.name("datacenter", datacenter);
    ConsulCall.run(
        "kv delete " + key, () -> client.deleteKVValue(key, new QueryParams(datacenter)));
  }

  /** Deletes every key under {@code prefix}; deleting none succeeds. */
  public void deleteTree(String prefix, String datacenter) {
    ConsulNames.key(prefix);
    ConsulNames.name("datacenter", datacenter);
    ConsulCall.run(
        "kv delete " + prefix + " (recursively)",
        () -> client.deleteKVValues(prefix, new QueryParams(datacenter)));
  }

  private boolean write(
      String what, String key, String value, String datacenter, PutParams params) {
    ConsulNames.key(key);
    ConsulNames.name("datacenter", datacenter);
    Boolean written =
        ConsulCall.run(
                what + " in " + datacenter,
                () -> client.setKVValue(key, value, params, new QueryParams(datacenter)))
            .getValue();
    return Boolean.TRUE.equals(written);
  }

  private static KvEntry toEntry(GetValue value) {
    return new KvEntry(
        value.getKey(),
        value.getValue() == null ? "" : value.getDecodedValue(StandardCharsets.UTF_8),
        value.getCreateIndex(),
        value.getModifyIndex(),
        Objects.requireNonNullElse(value.getLockIndex(), 0L),
        Optional.ofNullable(value.getSession()));
  }
}
