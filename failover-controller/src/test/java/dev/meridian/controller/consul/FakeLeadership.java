package dev.meridian.controller.consul;

import java.util.Optional;

/** A {@link Leadership} the test sets by hand. Thread-safe. */
public final class FakeLeadership implements Leadership {
  private volatile boolean leader;
  private volatile boolean confirmed;

  /** Leading (by lease and by Consul) or not. */
  public FakeLeadership(boolean leader) {
    this.leader = leader;
    this.confirmed = leader;
  }

  /** Sets whether it leads, by lease and by Consul. */
  public void set(boolean leader) {
    this.leader = leader;
    this.confirmed = leader;
  }

  /** A leader whose session Consul has already ended: the lease still says it leads. */
  public void loseLockUnknowingly() {
    this.confirmed = false;
  }

  @Override
  public boolean isLeader() {
    return leader;
  }

  @Override
  public boolean confirm() {
    return leader && confirmed;
  }

  @Override
  public Optional<String> leader() {
    return Optional.empty();
  }
}
