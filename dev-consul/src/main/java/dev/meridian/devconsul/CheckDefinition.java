package dev.meridian.devconsul;

import java.time.Duration;

/**
 * A health check as registered, without its changing status; equality tells whether a
 * re-registration changed anything. {@code ttl} is null for checks that are not TTL checks and
 * {@code deregisterCriticalAfter} is null when the reaper should leave the service alone.
 * Immutable.
 */
record CheckDefinition(
    String checkId,
    String name,
    String notes,
    String serviceId,
    String serviceName,
    String type,
    Duration ttl,
    Duration deregisterCriticalAfter,
    CheckStatus initialStatus) {

  boolean isNodeCheck() {
    return serviceId.isEmpty();
  }
}
