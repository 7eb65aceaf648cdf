package dev.meridian.agent.model;

import dev.meridian.agent.model.onnx.OnnxModelLoader;
import java.nio.file.Path;

/** The kinds of model an agent serves: files a replica loads, or an external server. */
public enum ModelType {
  /** A {@link LinearModel} described in JSON, whose name and version must match the config's. */
  BUILTIN("meridian_builtin") {
    @Override
    public Model load(Path file, String name, String version) throws ModelLoadException {
      LinearModel model = LinearModelLoader.load(file);
      if (!model.name().equals(name) || !model.version().equals(version)) {
        throw new ModelLoadException(
            file
                + ": describes model '"
                + model.name()
                + "' version '"
                + model.version()
                + "' but the config serves '"
                + name
                + "' version '"
                + version
                + "'");
      }
      return model;
    }
  },
  /** An ONNX model run by ONNX Runtime. */
  ONNX("onnxruntime_onnx") {
    @Override
    public Model load(Path file, String name, String version) throws ModelLoadException {
      return OnnxModelLoader.load(file, name, version);
    }
  },
  /**
   * A model served by an external Open Inference Protocol server (Triton, KServe, MLServer...),
   * which the agent starts or attaches to as a replica; no Meridian replica loads it, and its
   * server names its own platform.
   */
  OIP("") {
    @Override
    public Model load(Path file, String name, String version) throws ModelLoadException {
      throw new ModelLoadException(
          "model '" + name + "' is of type oip: its own server serves it, no replica loads it");
    }
  };

  private final String platform;

  ModelType(String platform) {
    this.platform = platform;
  }

  /**
   * The platform a replica's Open Inference Protocol {@code ModelMetadata} names for a model of
   * this type, for example {@code onnxruntime_onnx} as Triton names ONNX Runtime; empty for {@link
   * #OIP}.
   */
  public String platform() {
    return platform;
  }

  /**
   * Loads the model in {@code file} as {@code name} at {@code version}.
   *
   * @throws ModelLoadException naming the file and what is wrong with it
   */
  public abstract Model load(Path file, String name, String version) throws ModelLoadException;
}
