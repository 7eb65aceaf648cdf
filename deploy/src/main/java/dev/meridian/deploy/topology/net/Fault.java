package dev.meridian.deploy.topology.net;

import java.util.List;
import java.util.Set;

/**
 * One network fault a {@link NetworkLab} applied: a few {@code DROP} rules in the lab's fault chain
 * of the namespaces involved. {@link #heal()} removes exactly those rules.
 */
public final class Fault {
  /** One rule: its namespace and its match, as in {@code iptables -A CHAIN <spec>}. */
  record Rule(String namespace, List<String> spec) {}

  private final NetworkLab lab;
  private final String description;
  private final Set<Host> endpoints;
  private final List<Rule> rules;
  private boolean active = true; // guarded by lab

  Fault(NetworkLab lab, String description, Set<Host> endpoints, List<Rule> rules) {
    this.lab = lab;
    this.description = description;
    this.endpoints = Set.copyOf(endpoints);
    this.rules = List.copyOf(rules);
  }

  /** What it does, e.g. {@code blackhole eu-west <-> us-east}. */
  public String description() {
    return description;
  }

  /** Whether it is still in force: not healed, and the lab not closed. */
  public boolean isActive() {
    synchronized (lab) {
      return active;
    }
  }

  /** Removes this fault's rules; nothing if it is no longer active. */
  public void heal() {
    lab.heal(this);
  }

  Set<Host> endpoints() {
    return endpoints;
  }

  List<Rule> rules() {
    return rules;
  }

  void deactivate() {
    active = false;
  }

  @Override
  public String toString() {
    return description;
  }
}
