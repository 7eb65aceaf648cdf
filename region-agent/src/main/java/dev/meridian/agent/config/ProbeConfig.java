package dev.meridian.agent.config;

import java.time.Duration;

/**
 * How the agent probes each replica, and how many probe results it takes to change the replica's
 * Consul check (flap damping, as Consul's own agent does). Immutable.
 *
 * @param interval time between probes of one replica
 * @param jitter up to this much is added at random to each interval, so probes of many replicas do
 *     not line up
 * @param timeout a probe with no answer by then fails
 * @param successesBeforePassing consecutive good probes before a check leaves critical
 * @param failuresBeforeCritical consecutive failed probes before a check goes critical
 */
public record ProbeConfig(
    Duration interval,
    Duration jitter,
    Duration timeout,
    int successesBeforePassing,
    int failuresBeforeCritical) {}
