package dev.meridian.controller.consul;

import java.util.Optional;

/** A {@link Leadership} the test sets by hand. Thread-safe. */
final class FakeLeadership implements Leadership {
  private volatile boolean leader;
  private volatile long epoch;

  FakeLeadership(boolean leader, long epoch) {
    this.leader = leader;
    this.epoch = epoch;
  }

  void set(boolean leader) {
    this.leader = leader;
  }

  @Override
  public boolean isLeader() {
    return leader;
  }

  @Override
  public long epoch() {
    return epoch;
  }

  @Override
  public Optional<String> leader() {
    return Optional.empty();
  }
}
