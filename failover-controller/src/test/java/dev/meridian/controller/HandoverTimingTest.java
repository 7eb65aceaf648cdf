package dev.meridian.controller;

import static dev.meridian.controller.ConsulFixture.EU;
import static dev.meridian.controller.ConsulFixture.US;
import static org.awaitility.Awaitility.await;

import dev.meridian.proto.routing.v1.RegionRoute;
import java.time.Duration;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Measures, for the issue note, the leader hand-over time (leader closed until the standby has
 * rewritten the tables under its epoch) and the health-change-to-table time (a replica's check
 * fails until the table in the other region's KV shows it). Prints them; the bounds are generous.
 * Run: {@code mvn -B -pl failover-controller test -Dtest=HandoverTimingTest}.
 */
class HandoverTimingTest {
  private static final Duration BOUND = Duration.ofSeconds(10);
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
  void measureHandoverAndHealthToTable() {
    cluster = new ControllerCluster(directory);
    ConsulFixture consul = cluster.consul;
    consul.replica(EU, "eu-0");
    consul.replica(US, "us-0");
    consul.replica(US, "us-1");
    FailoverController leader = cluster.start("ctl-0");
    await().atMost(BOUND).until(() -> consul.table(EU).isPresent() && usWeightIn(EU) == 20);

    long healthTotal = 0;
    for (int round = 0; round < ROUNDS; round++) {
      // Not synchronisation: spaces the rounds past the watch's 100 ms minimum read interval, so
      // each round measures a lone health change rather than one right behind the last.
      await().pollDelay(Duration.ofMillis(300)).atMost(BOUND).until(() -> true);
      long start = System.nanoTime();
      consul.fail(US, "us-1");
      await().atMost(BOUND).pollInterval(Duration.ofMillis(2)).until(() -> usWeightIn(EU) == 10);
      healthTotal += System.nanoTime() - start;
      consul.pass(US, "us-1");
      await().atMost(BOUND).until(() -> usWeightIn(EU) == 20);
    }

    long handoverTotal = 0;
    for (int round = 1; round <= ROUNDS; round++) {
      FailoverController standby = cluster.start("ctl-" + round);
      await().atMost(BOUND).until(() -> consul.table(US).isPresent());
      long start = System.nanoTime();
      cluster.stop(leader);
      String standbyId = "ctl-" + round;
      await()
          .atMost(BOUND)
          .pollInterval(Duration.ofMillis(2))
          .until(() -> consul.table(US).orElseThrow().getComputedBy().equals(standbyId));
      handoverTotal += System.nanoTime() - start;
      leader = standby;
    }
    System.out.printf(
        "health change to table (other region's KV): mean %.1f ms over %d rounds%n",
        healthTotal / 1e6 / ROUNDS, ROUNDS);
    System.out.printf(
        "leader hand-over on close (standby retry 50 ms): mean %.1f ms over %d rounds%n",
        handoverTotal / 1e6 / ROUNDS, ROUNDS);
  }
}
