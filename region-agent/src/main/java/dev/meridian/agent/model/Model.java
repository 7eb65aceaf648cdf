package dev.meridian.agent.model;

import dev.meridian.proto.inference.v1.Tensor;
import java.util.List;
import java.util.Map;

/**
 * A loaded model that can run inference. Implementations must be thread-safe: a replica calls
 * {@link #predict} from many threads at once.
 */
public interface Model extends AutoCloseable {
  /** The model's name, as clients request it. */
  String name();

  /** The model's version. */
  String version();

  /** The inputs the model takes and the outputs it produces. */
  ModelSignature signature();

  /**
   * Runs the model.
   *
   * @param inputs the inputs keyed by name, already checked against {@link #signature()}
   * @return the outputs, one per declared output
   */
  List<Tensor> predict(Map<String, Tensor> inputs);

  /** Releases native resources, if any. */
  @Override
  default void close() {}
}
