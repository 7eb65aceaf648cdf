package dev.meridian.agent.health;

/** The status of a replica's Consul check. */
public enum HealthStatus {
  /** Serving well: the gateway routes to it. */
  PASSING,
  /** Serving, but not well: slow, saturated, or on its fallback model. */
  WARNING,
  /** Not serving. */
  CRITICAL
}
