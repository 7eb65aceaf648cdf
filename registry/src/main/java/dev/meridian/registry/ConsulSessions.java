package dev.meridian.registry;

import com.ecwid.consul.v1.ConsulClient;
import com.ecwid.consul.v1.QueryParams;
import com.ecwid.consul.v1.session.model.NewSession;
import com.ecwid.consul.v1.session.model.Session;
import java.time.Duration;

/** Consul sessions: the leases behind locks. Thread-safe. */
public final class ConsulSessions {
  /** Consul caps lock-delay at one minute. */
  static final Duration MAX_LOCK_DELAY = Duration.ofSeconds(60);

  private final ConsulClient client;

  ConsulSessions(ConsulClient client) {
    this.client = client;
  }

  /**
   * Creates a session whose locks are released when it ends.
   *
   * @param ttl how long the session lives without a renewal (Consul accepts 10s..24h)
   * @param lockDelay how long a lock it held stays unacquirable after it ends; always sent, because
   *     {@code consul-api} would otherwise send 0 and disable it
   * @return the session ID
   */
  public String create(String name, Duration ttl, Duration lockDelay, String datacenter) {
    ConsulNames.name("datacenter", datacenter);
    if (lockDelay.isNegative() || lockDelay.compareTo(MAX_LOCK_DELAY) > 0) {
      throw new IllegalArgumentException("lock-delay: " + lockDelay + " (expected: 0s..60s)");
    }
    NewSession session = new NewSession();
    session.setName(name);
    session.setTtl(GoDurations.format(ttl));
    session.setLockDelay(lockDelayValue(lockDelay));
    session.setBehavior(Session.Behavior.RELEASE);
    return ConsulCall.run(
            "session create " + name,
            () -> client.sessionCreate(session, new QueryParams(datacenter)))
        .getValue();
  }

  /**
   * Renews a session, restarting its TTL.
   *
   * @throws RegistryNotFoundException when the session has already ended
   */
  public void renew(String sessionId, String datacenter) {
    ConsulNames.name("session", sessionId);
    ConsulCall.run(
        "session renew " + sessionId,
        () -> client.renewSession(sessionId, new QueryParams(datacenter)));
  }

  /** Ends a session, releasing its locks; ending an unknown session succeeds. */
  public void destroy(String sessionId, String datacenter) {
    ConsulNames.name("session", sessionId);
    ConsulCall.run(
        "session destroy " + sessionId,
        () -> client.sessionDestroy(sessionId, new QueryParams(datacenter)));
  }

  /**
   * Consul reads a JSON number below 1000 as seconds and anything larger as nanoseconds, so whole
   * seconds go as seconds and the rest as nanoseconds.
   */
  static long lockDelayValue(Duration lockDelay) {
    if (lockDelay.toNanos() % 1_000_000_000L == 0) {
      return lockDelay.toSeconds();
    }
    return Math.max(lockDelay.toNanos(), 1000);
  }
}
