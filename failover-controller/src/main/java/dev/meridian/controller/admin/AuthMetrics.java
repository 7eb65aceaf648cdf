package dev.meridian.controller.admin;

import com.codahale.metrics.Counter;
import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.metrics.MetricNames;
import java.util.EnumMap;
import java.util.Locale;
import java.util.Map;

/**
 * Counts admin calls refused before they reach the service, as {@code
 * controller.admin.refusals{reason}}: {@code missing_credentials}, {@code unknown_token}, {@code
 * unknown_certificate}, {@code rate_limited} (a peer past its failed-authentication limit) and
 * {@code role} (an operator whose role does not allow the call). Thread-safe.
 */
public final class AuthMetrics {
  /** Why a call was refused. */
  public enum Reason {
    /** No bearer token and no client certificate. */
    MISSING_CREDENTIALS,
    /** A bearer token no operator has. */
    UNKNOWN_TOKEN,
    /** A client certificate no operator is known by. */
    UNKNOWN_CERTIFICATE,
    /** The peer failed to authenticate too often. */
    RATE_LIMITED,
    /** The operator's role does not allow the call. */
    ROLE
  }

  private final Map<Reason, Counter> refusals = new EnumMap<>(Reason.class);

  /** Registers the counters in {@code registry}. */
  public AuthMetrics(MetricRegistry registry) {
    for (Reason reason : Reason.values()) {
      refusals.put(
          reason,
          registry.counter(
              MetricNames.tagged(
                  "controller.admin.refusals", "reason", reason.name().toLowerCase(Locale.ROOT))));
    }
  }

  /** Counts one refusal. */
  void refused(Reason reason) {
    refusals.get(reason).inc();
  }
}
