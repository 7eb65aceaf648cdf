package dev.meridian.deploy.e2e;

import java.util.EnumMap;
import java.util.Map;
import java.util.Optional;

/**
 * When the moments of a scenario happened, on {@link System#nanoTime()}'s scale like the calls'
 * times. Written by the scenario's thread only; read after the run.
 */
final class Timeline {
  /** The moments a scenario marks. */
  enum Event {
    /** The fault was injected. */
    FAULT,
    /** A second, worse fault was added (scenario 7: the fallback model fails too). */
    ESCALATE,
    /** The fault was removed, by the test or by the system (e.g. a restarted replica passing). */
    HEAL,
    /** Another kind of fault began (scenario 23: a feature store frozen past the timeout). */
    SLOWED,
    /** Callers see the system as before: traffic is back where it was, or the topology whole. */
    RECOVERED
  }

  private final Map<Event, Long> marks = new EnumMap<>(Event.class);

  /** Marks {@code event} as happening now. */
  void mark(Event event) {
    marks.put(event, System.nanoTime());
  }

  /** The last event marked at or before {@code nanos}, if any was. */
  Optional<Event> latest(long nanos) {
    return marks.entrySet().stream()
        .filter(mark -> mark.getValue() <= nanos)
        .max(Map.Entry.comparingByValue())
        .map(Map.Entry::getKey);
  }

  /** When {@code event} happened. */
  long at(Event event) {
    Long at = marks.get(event);
    if (at == null) {
      throw new IllegalStateException("the scenario never marked " + event);
    }
    return at;
  }
}
