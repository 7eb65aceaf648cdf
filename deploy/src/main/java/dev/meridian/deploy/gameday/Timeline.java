package dev.meridian.deploy.gameday;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * When the moments of a scenario happened, on {@link System#nanoTime()}'s scale like the calls'
 * times. Written by the scenario's thread only; read after the run.
 */
public final class Timeline {
  /** The moments a scenario marks. */
  public enum Event {
    /** The fault was injected. */
    FAULT,
    /** A second, worse fault was added (the fallback model fails too, say). */
    ESCALATE,
    /** The fault was removed, by the test or by the system (e.g. a restarted replica passing). */
    HEAL,
    /** Another kind of fault began (a feature store frozen past the timeout, say). */
    SLOWED,
    /** Callers see the system as before: traffic is back where it was, or the topology whole. */
    RECOVERED
  }

  private final Map<Event, Long> marks = new EnumMap<>(Event.class);

  /** A timeline with nothing marked yet. */
  public Timeline() {}

  /** Marks {@code event} as happening now. */
  public void mark(Event event) {
    markAt(event, System.nanoTime());
  }

  /** Marks {@code event} as happening at {@code nanos}. */
  void markAt(Event event, long nanos) {
    marks.put(event, nanos);
  }

  /** The last event marked at or before {@code nanos}, if any was. */
  public Optional<Event> latest(long nanos) {
    return marks.entrySet().stream()
        .filter(mark -> mark.getValue() <= nanos)
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }

  /** When {@code event} happened. */
  public long at(Event event) {
    Long at = marks.get(event);
    if (at == null) {
      throw new IllegalStateException("the scenario never marked " + event);
    }
    return at;
  }
}
