package dev.meridian.registry;

import dev.meridian.core.Durations;
import dev.meridian.core.config.Setting;
import java.time.Duration;
import java.util.List;

/**
 * Settings of a {@link LeaderLock}. The timings a config file sets are the {@code leader.*} {@link
 * Setting}s below, which state what Consul accepts; the constructor checks values built in code by
 * the same rules, so a file and a caller cannot disagree.
 *
 * @param key the KV key the candidates contend for
 * @param datacenter the datacenter holding the key
 * @param candidateId this candidate's name, written as the key's value while it leads
 * @param sessionTtl the session TTL ({@link #SESSION_TTL})
 * @param lockDelay how long the lock stays unacquirable after its holder's session ends ({@link
 *     #LOCK_DELAY})
 * @param renewInterval how often the leader renews; well inside half the TTL
 * @param retryInterval how long a candidate waits before trying again after a refusal or failure
 *     ({@link #RETRY_INTERVAL})
 */
public record LeaderLockConfig(
    String key,
    String datacenter,
    String candidateId,
    Duration sessionTtl,
    Duration lockDelay,
    Duration renewInterval,
    Duration retryInterval) {

  /**
   * {@code leader.session-ttl}: Consul accepts session TTLs of 10s..24h, but the lock-delay (at
   * most 60s) must cover half of it ({@link #lockDelayCoversStepDown}), so 2m is the useful
   * maximum.
   */
  public static final Setting<Duration> SESSION_TTL =
      Setting.duration("leader.session-ttl", Duration.ofSeconds(10), Duration.ofMinutes(2))
          .withDefault(Duration.ofSeconds(15))
          .means(
              "leader session TTL (renewed every TTL/3; steps down after TTL/2 without renewal;"
                  + " at most twice the lock-delay)");

  /** {@code leader.lock-delay}: Consul accepts lock-delays of at most 60s. */
  public static final Setting<Duration> LOCK_DELAY =
      Setting.duration("leader.lock-delay", Duration.ZERO, Duration.ofSeconds(60))
          .withDefault(Duration.ofSeconds(15))
          .means("lock-delay after a leader's session ends");

  /** {@code leader.retry-interval}. */
  public static final Setting<Duration> RETRY_INTERVAL =
      Setting.duration("leader.retry-interval", Duration.ofMillis(1))
          .withDefault(Duration.ofSeconds(1))
          .means("how often a standby tries for the lock");

  /** Every key of the {@code leader} section. */
  public static final List<Setting<?>> SETTINGS = List.of(SESSION_TTL, LOCK_DELAY, RETRY_INTERVAL);

  /** Validates the settings; errors name the key. */
  public LeaderLockConfig {
    ConsulNames.key(key);
    ConsulNames.name("datacenter", datacenter);
    if (candidateId == null || candidateId.isBlank()) {
      throw new IllegalArgumentException("candidate-id: '" + candidateId + "' (expected: a name)");
    }
    SESSION_TTL.check(sessionTtl);
    LOCK_DELAY.check(lockDelay);
    RETRY_INTERVAL.check(retryInterval);
    checkLockDelay(sessionTtl, lockDelay);
    if (renewInterval.isZero()
        || renewInterval.isNegative()
        || renewInterval.compareTo(sessionTtl.dividedBy(2)) >= 0) {
      throw new IllegalArgumentException(
          "renew-interval: " + renewInterval + " (expected: > 0 and < session-ttl / 2)");
    }
  }

  /**
   * Whether {@code lockDelay} outlasts a deposed leader's belief that it leads: a leader that can
   * no longer renew steps down within half the TTL, so a shorter lock-delay lets another candidate
   * take the lock (and accept operators' changes) while the old one still acts.
   */
  public static boolean lockDelayCoversStepDown(Duration sessionTtl, Duration lockDelay) {
    return lockDelay.compareTo(sessionTtl.dividedBy(2)) >= 0;
  }

  /**
   * Checks {@link #lockDelayCoversStepDown}.
   *
   * @throws IllegalArgumentException naming the key and the rule
   */
  public static void checkLockDelay(Duration sessionTtl, Duration lockDelay) {
    if (!lockDelayCoversStepDown(sessionTtl, lockDelay)) {
      throw new IllegalArgumentException(
          LOCK_DELAY.key()
              + ": "
              + Durations.format(lockDelay)
              + " (expected: "
              + lockDelayRule(sessionTtl)
              + ")");
    }
  }

  /** The rule {@link #lockDelayCoversStepDown} checks, for messages. */
  public static String lockDelayRule(Duration sessionTtl) {
    return ">= "
        + SESSION_TTL.key()
        + " / 2 = "
        + Durations.format(sessionTtl.dividedBy(2))
        + ", so that a deposed leader has stopped before another takes the lock";
  }

  /** Settings with the usual timing: renew at a third of the TTL, retry at the default interval. */
  public static LeaderLockConfig of(
      String key, String datacenter, String candidateId, Duration sessionTtl, Duration lockDelay) {
    return new LeaderLockConfig(
        key,
        datacenter,
        candidateId,
        sessionTtl,
        lockDelay,
        sessionTtl.dividedBy(3),
        RETRY_INTERVAL.defaultValue());
  }
}
