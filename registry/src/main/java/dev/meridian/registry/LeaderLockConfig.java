package dev.meridian.registry;

import java.time.Duration;

/**
 * Settings of a {@link LeaderLock}.
 *
 * @param key the KV key the candidates contend for
 * @param datacenter the datacenter holding the key
 * @param candidateId this candidate's name, written as the key's value while it leads
 * @param sessionTtl the session TTL (Consul accepts 10s..24h)
 * @param lockDelay how long the lock stays unacquirable after its holder's session ends
 * @param renewInterval how often the leader renews; well inside half the TTL
 * @param retryInterval how long a candidate waits before trying again after a refusal or failure
 */
public record LeaderLockConfig(
    String key,
    String datacenter,
    String candidateId,
    Duration sessionTtl,
    Duration lockDelay,
    Duration renewInterval,
    Duration retryInterval) {

  /** Validates the settings; errors name the key. */
  public LeaderLockConfig {
    ConsulNames.key(key);
    ConsulNames.name("datacenter", datacenter);
    if (candidateId == null || candidateId.isBlank()) {
      throw new IllegalArgumentException("candidate-id: '" + candidateId + "' (expected: a name)");
    }
    if (sessionTtl.compareTo(Duration.ofSeconds(10)) < 0) {
      throw new IllegalArgumentException("session-ttl: " + sessionTtl + " (expected: >= 10s)");
    }
    if (renewInterval.isZero()
        || renewInterval.isNegative()
        || renewInterval.compareTo(sessionTtl.dividedBy(2)) >= 0) {
      throw new IllegalArgumentException(
          "renew-interval: " + renewInterval + " (expected: > 0 and < session-ttl / 2)");
    }
    if (retryInterval.isZero() || retryInterval.isNegative()) {
      throw new IllegalArgumentException("retry-interval: " + retryInterval + " (expected: > 0)");
    }
  }

  /** Settings with the usual timing: renew at a third of the TTL, retry every second. */
  public static LeaderLockConfig of(
      String key, String datacenter, String candidateId, Duration sessionTtl, Duration lockDelay) {
    return new LeaderLockConfig(
        key,
        datacenter,
        candidateId,
        sessionTtl,
        lockDelay,
        sessionTtl.dividedBy(3),
        Duration.ofSeconds(1));
  }
}
