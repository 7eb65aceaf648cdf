package dev.meridian.controller;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.US;
import static org.assertj.core.api.Assertions.assertThat;
import static org.awaitility.Awaitility.await;

import dev.meridian.proto.routing.v1.RegionRoute;
import dev.meridian.registry.BlockingWatch;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.LongSummaryStatistics;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures the README's figures, and bounds every round by what the cluster's timings allow: the
 * health-change-to-table time (a replica's check fails until the table in the other region's KV
 * shows it) and the leader hand-over time (leader closed until the standby has rewritten the tables
 * under its epoch). Prints them. Run: {@code mvn -B -pl failover-controller -am test
 * -Dtest=HandoverTimingTest -Dsurefire.failIfNoSpecifiedTests=false}.
 */
class HandoverTimingTest {
  /** How long a wait may take before the round is abandoned; above every bound below. */
  private static final Duration BOUND = Duration.ofSeconds(10);

  /** Room for a noisy 2-core machine; the figures themselves are a few hundred ms. */
  private static final Duration MARGIN = Duration.ofSeconds(2);

  /**
   * A health change is read by the controller's blocking watch, whose reads start at most {@link
   * BlockingWatch#MIN_READ_INTERVAL} apart, and is written when next evaluated, within an
   * evaluation interval.
   */
  private static final Duration HEALTH_TO_TABLE_BOUND =
      BlockingWatch.MIN_READ_INTERVAL.plus(ControllerCluster.EVALUATION_INTERVAL).plus(MARGIN);

  /**
   * A leader that stops releases the lock, so the standby takes it at its next try, within a retry
   * interval, and writes the tables when next evaluated. Neither the session TTL nor the lock-delay
   * may play a part: a hand-over that waited for the session to end, or for the lock-delay after
   * it, would take longer than both, and far longer than this bound.
   */
  private static final Duration HANDOVER_BOUND =
      ControllerCluster.RETRY_INTERVAL.plus(ControllerCluster.EVALUATION_INTERVAL).plus(MARGIN);

  private static final int ROUNDS = 5;

  @TempDir java.nio.file.Path directory;
  private ControllerCluster cluster;

  @AfterEach
  void close() {
    cluster.close();
  }

  private int usWeightIn(String datacenter) {
    return cluster.consul.table(datacenter).orElseThrow().getRegionsList().stream()
        .filter(route -> route.getRegion().equals(US))
        .mapToInt(RegionRoute::getWeight)
        .findFirst()
        .orElseThrow();
  }

  @Test
  void handOverAndHealthChangesReachTheTablesWithinTheirTimings() {
    assertThat(HANDOVER_BOUND)
        .as("the bound tells a released lock from one waited out")
        .isLessThan(ControllerCluster.SESSION_TTL)
        .isLessThan(ControllerCluster.LOCK_DELAY);
    cluster = new ControllerCluster(directory);
    ConsulFixture consul = cluster.consul;
    consul.replica(EU, "eu-0");
    consul.replica(US, "us-0");
    consul.replica(US, "us-1");
    FailoverController leader = cluster.start("ctl-0");
    await().atMost(BOUND).until(() -> consul.table(EU).isPresent() && usWeightIn(EU) == 20);

    List<Duration> healthToTable = new ArrayList<>();
    for (int round = 0; round < ROUNDS; round++) {
      // Not synchronisation: spaces the rounds past the watch's minimum read interval, so each
      // round measures a lone health change rather than one right behind the last.
      await().pollDelay(Duration.ofMillis(300)).atMost(BOUND).until(() -> true);
      long start = System.nanoTime();
      consul.fail(US, "us-1");
      await().atMost(BOUND).pollInterval(Duration.ofMillis(2)).until(() -> usWeightIn(EU) == 10);
      healthToTable.add(Duration.ofNanos(System.nanoTime() - start));
      consul.pass(US, "us-1");
      await().atMost(BOUND).until(() -> usWeightIn(EU) == 20);
    }

    List<Duration> handovers = new ArrayList<>();
    for (int round = 1; round <= ROUNDS; round++) {
      String standbyId = "ctl-" + round;
      FailoverController standby = cluster.start(standbyId);
      assertThat(leader.leadership().isLeader())
          .as("round %d: the old leader leads", round)
          .isTrue();
      assertThat(standby.leadership().isLeader())
          .as("round %d: the standby waits", round)
          .isFalse();
      long epochBefore = consul.table(US).orElseThrow().getLeaderEpoch();
      long start = System.nanoTime();
      cluster.stop(leader);
      await()
          .atMost(BOUND)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> consul.table(US).orElseThrow().getComputedBy().equals(standbyId));
      handovers.add(Duration.ofNanos(System.nanoTime() - start));
      assertThat(consul.table(US).orElseThrow().getLeaderEpoch())
          .as("round %d: written under the new leader's epoch", round)
          .isGreaterThan(epochBefore)
          .isEqualTo(standby.epoch());
      leader = standby;
    }

    report("health change to table (other region's KV)", healthToTable);
    report(
        "leader hand-over on close (standby retry "
            + ControllerCluster.RETRY_INTERVAL.toMillis()
            + " ms)",
        handovers);
    assertThat(healthToTable)
        .as("every health change in the table within %s", HEALTH_TO_TABLE_BOUND)
        .allSatisfy(time -> assertThat(time).isLessThanOrEqualTo(HEALTH_TO_TABLE_BOUND));
    assertThat(handovers)
        .as("every hand-over within %s", HANDOVER_BOUND)
        .allSatisfy(time -> assertThat(time).isLessThanOrEqualTo(HANDOVER_BOUND));
  }

  private static void report(String what, List<Duration> rounds) {
    LongSummaryStatistics nanos = rounds.stream().mapToLong(Duration::toNanos).summaryStatistics();
    System.out.printf(
        "%s: mean %.1f ms, %.1f–%.1f ms over %d rounds%n",
        what, nanos.getAverage() / 1e6, nanos.getMin() / 1e6, nanos.getMax() / 1e6, rounds.size());
  }
}
