package dev.meridian.controller.consul;

import dev.meridian.registry.ConsulRegistry;
import dev.meridian.registry.KvEntry;
import dev.meridian.registry.RegistryException;
import java.util.Collection;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;
import java.util.function.Consumer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes one kind of leader document to a key in several datacenters, fenced: only while this
 * controller leads, only over a document whose leader epoch is not newer than its own, and only
 * with check-and-set on the ModifyIndex just read, so a write that lost a race is re-read and never
 * blindly overwritten. Versions only grow in each datacenter. A malformed document in KV carries no
 * epoch to respect: it is reported and replaced. Thread-safe (it keeps no state).
 *
 * @param <T> the document
 */
final class FencedWriter<T> {
  private static final Logger logger = LoggerFactory.getLogger(FencedWriter.class);
  private static final int CAS_ATTEMPTS = 3;

  private final ConsulRegistry registry;
  private final Leadership leadership;
  private final FencedDocument<T> documents;
  private final Consumer<String> rejected;

  FencedWriter(
      ConsulRegistry registry,
      Leadership leadership,
      FencedDocument<T> documents,
      Consumer<String> rejected) {
    this.registry = registry;
    this.leadership = leadership;
    this.documents = documents;
    this.rejected = rejected;
  }

  /**
   * Writes {@code document} (already stamped with this controller's epoch) at {@code key} in each
   * of {@code datacenters}, in order.
   *
   * @throws FencedOutException when this controller no longer leads or a newer epoch has written;
   *     datacenters not yet written are left alone
   */
  WriteOutcome write(String key, T document, Collection<String> datacenters)
      throws FencedOutException {
    long version = documents.version(document);
    Set<String> failed = new LinkedHashSet<>();
    for (String datacenter : datacenters) {
      try {
        Optional<Long> written = writeOne(key, document, datacenter);
        if (written.isPresent()) {
          version = Math.max(version, written.get());
        } else {
          failed.add(datacenter);
        }
      } catch (RegistryException e) {
        logger
            .atWarn()
            .addKeyValue("key", key)
            .addKeyValue("datacenter", datacenter)
            .setCause(e)
            .log("cannot write");
        failed.add(datacenter);
      }
    }
    return new WriteOutcome(version, failed);
  }

  /** The document at {@code entry}, or empty (reported) when it is malformed. */
  Optional<T> read(KvEntry entry) {
    try {
      return Optional.of(documents.decode(entry));
    } catch (IllegalArgumentException e) {
      rejected.accept(e.getMessage());
      return Optional.empty();
    }
  }

  /** The version written, or empty when every check-and-set lost a race. */
  private Optional<Long> writeOne(String key, T document, String datacenter)
      throws FencedOutException {
    long epoch = documents.epoch(document);
    for (int attempt = 1; attempt <= CAS_ATTEMPTS; attempt++) {
      if (!leadership.isLeader()) {
        throw new FencedOutException("no longer the leader (epoch " + epoch + ")");
      }
      Optional<KvEntry> entry = registry.kv().get(key, datacenter, 0).value();
      Optional<T> current = entry.flatMap(this::read);
      if (current.isPresent() && documents.epoch(current.get()) > epoch) {
        throw new FencedOutException(
            key
                + " in "
                + datacenter
                + " was written by leader epoch "
                + documents.epoch(current.get())
                + ", newer than this controller's "
                + epoch);
      }
      if (current.isPresent() && current.get().equals(document)) {
        return Optional.of(documents.version(document));
      }
      long version =
          Math.max(
              documents.version(document),
              current.map(stored -> documents.version(stored) + 1).orElse(0L));
      String json = documents.encode(documents.withVersion(document, version));
      long modifyIndex = entry.map(KvEntry::modifyIndex).orElse(0L);
      if (registry.kv().compareAndSet(key, json, modifyIndex, datacenter)) {
        return Optional.of(version);
      }
      logger
          .atInfo()
          .addKeyValue("key", key)
          .addKeyValue("datacenter", datacenter)
          .addKeyValue("attempt", attempt)
          .log("changed under this write");
    }
    return Optional.empty();
  }
}
