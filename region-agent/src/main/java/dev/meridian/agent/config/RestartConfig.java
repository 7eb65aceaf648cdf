package dev.meridian.agent.config;

import java.time.Duration;

/**
 * How the supervisor restarts a replica that exits, and when it gives up. Immutable.
 *
 * @param initialBackoff the delay before the first restart; each consecutive restart doubles it
 * @param maxBackoff the longest delay between restarts
 * @param crashLoopRestarts this many restarts within {@code crashLoopWindow} is a crash loop: the
 *     supervisor stops restarting and reports the replica critical
 * @param crashLoopWindow the window restarts are counted in; a replica that stays up this long
 *     starts again from {@code initialBackoff}
 */
public record RestartConfig(
    Duration initialBackoff,
    Duration maxBackoff,
    int crashLoopRestarts,
    Duration crashLoopWindow) {}
