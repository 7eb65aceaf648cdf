package dev.meridian.agent.launch;

import dev.meridian.agent.model.TensorSpec;
import java.util.List;
import java.util.Optional;

/**
 * What a replica reports once it serves, warmed up: where, which model answers, and the inputs that
 * model takes (from which the agent builds its canary probes). Immutable.
 *
 * @param port the port it listens on
 * @param metricsPort the port of its own {@code /metrics}, or 0 when its metrics go to the agent's
 * @param faultsPort the port of its fault-injection listener, or 0 when faults are off
 * @param answeringModel the name of the model that answers, the fallback's when it serves
 * @param answeringVersion that model's version
 * @param fallbackNote why the fallback serves, or empty on the primary
 * @param inputs the answering model's inputs
 */
public record ReplicaReady(
    int port,
    int metricsPort,
    int faultsPort,
    String answeringModel,
    String answeringVersion,
    String fallbackNote,
    List<TensorSpec> inputs) {
  /** Copies the inputs. */
  public ReplicaReady {
    inputs = List.copyOf(inputs);
  }

  /** Why the fallback serves, if it does. */
  public Optional<String> fallback() {
    return fallbackNote.isEmpty() ? Optional.empty() : Optional.of(fallbackNote);
  }
}
