package dev.meridian.registry;

import java.util.Map;

/**
 * The inference protocol a replica is called through, as its registration names it in {@link
 * MeridianLayout#META_PROTOCOL}: the agent writes it, the gateway reads it.
 */
public enum ReplicaProtocol {
  /** Meridian's {@code meridian.inference.v1.Inference/Predict}: the agent's own replicas. */
  MERIDIAN(MeridianLayout.PROTOCOL_MERIDIAN),
  /** The Open Inference Protocol's {@code ModelInfer}: external model servers. */
  OIP(MeridianLayout.PROTOCOL_OIP);

  private final String metaValue;

  ReplicaProtocol(String metaValue) {
    this.metaValue = metaValue;
  }

  /** Its name in {@link MeridianLayout#META_PROTOCOL}. */
  public String metaValue() {
    return metaValue;
  }

  /**
   * The protocol {@code meta} names; Meridian's when it names none. An unknown name is read as
   * Meridian's too, so a newer agent's replica is still called (and fails loudly if wrong).
   */
  public static ReplicaProtocol of(Map<String, String> meta) {
    return named(meta.getOrDefault(MeridianLayout.META_PROTOCOL, ""));
  }

  /** The protocol called {@code name}; Meridian's for an empty or unknown name. */
  public static ReplicaProtocol named(String name) {
    return OIP.metaValue.equals(name) ? OIP : MERIDIAN;
  }
}
