package dev.meridian.deploy.backup;

/**
 * What a restore did with one key in one datacenter.
 *
 * @param datacenter the datacenter
 * @param key the key
 * @param result what happened
 * @param detail for people: what was written, or why not
 */
public record RestoreOutcome(String datacenter, String key, Result result, String detail) {
  /** What happened to the key. */
  public enum Result {
    /** The backup's copy was written. */
    WRITTEN,
    /** The datacenter already held exactly the backup's copy. */
    UNCHANGED,
    /** The datacenter held a newer copy (or a higher epoch counter), which was left alone. */
    KEPT,
    /** It could not be written: Consul failed, or the key kept changing under the write. */
    FAILED
  }

  /** For people: {@code WRITTEN meridian/drains (version 4, leader epoch 2)}. */
  @Override
  public String toString() {
    return result + " " + key + " (" + detail + ")";
  }
}
