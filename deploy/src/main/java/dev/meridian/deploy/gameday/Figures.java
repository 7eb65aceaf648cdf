package dev.meridian.deploy.gameday;

import java.util.Map;

/**
 * What callers saw in one scenario: one row of the resilience table, or a game day's figures.
 *
 * @param number the scenario's number in docs/RESILIENCE.md; 0 for a game day's
 * @param scenario what was broken, for people
 * @param calls every call of the run
 * @param failed calls that got an error status
 * @param degraded calls answered by a fallback model or the default response; where some region
 *     could answer throughout, each one is a defect, exactly like a failed call
 * @param outcomes calls by serving path (answers) or status (errors)
 * @param p99BeforeMs p99 latency before the fault
 * @param p99DuringMs p99 latency of calls due from the fault until callers saw the system recovered
 * @param maxDuringMs the slowest of those calls
 * @param p99AfterMs p99 latency of calls due after callers saw the system recovered
 * @param attemptsPerCall upstream attempts per answered call during the fault
 * @param maxAttempts the most upstream attempts one call made during the fault
 * @param leftMs from the fault until the last call that reached the faulty region or replica before
 *     it went a second without any; null when traffic never left or there was no such target
 * @param lastTouchMs from the fault until the last call due before the heal that reached the target
 *     at all (answered there, or an attempt failed there); null when there was no such target
 * @param returnedMs from the heal until the first call answered there again; null when it never was
 *     or there was no such target
 * @param notes the scenario's own observations
 * @param failures the failed calls by status and by the last event before they were due, with when
 *     they were due and one's description: what a failed assertion on {@code failed} says
 */
public record Figures(
    int number,
    String scenario,
    long calls,
    long failed,
    long degraded,
    Map<String, Long> outcomes,
    double p99BeforeMs,
    double p99DuringMs,
    double maxDuringMs,
    double p99AfterMs,
    double attemptsPerCall,
    int maxAttempts,
    Long leftMs,
    Long lastTouchMs,
    Long returnedMs,
    String notes,
    String failures) {}
