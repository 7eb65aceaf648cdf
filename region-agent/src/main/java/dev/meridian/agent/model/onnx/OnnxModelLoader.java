package dev.meridian.agent.model.onnx;

import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.model.ModelSignature;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Objects;

/**
 * Loads an {@link OnnxModel} from a {@code .onnx} file. Every error names the file and what is
 * wrong with it, and a model with an input or output Meridian cannot carry fails here rather than
 * on its first request.
 */
public final class OnnxModelLoader {
  /**
   * One thread per inference by default: a region runs several replicas side by side, so replicas,
   * not threads inside one run, are what use the cores.
   */
  public static final int DEFAULT_INTRA_OP_THREADS = 1;

  private OnnxModelLoader() {}

  /** Loads a model that runs each inference on {@link #DEFAULT_INTRA_OP_THREADS} thread. */
  public static OnnxModel load(Path file, String name, String version) throws ModelLoadException {
    return load(file, name, version, DEFAULT_INTRA_OP_THREADS);
  }

  /**
   * Loads a model.
   *
   * @param intraOpThreads how many threads one inference may use, at least 1
   */
  public static OnnxModel load(Path file, String name, String version, int intraOpThreads)
      throws ModelLoadException {
    Objects.requireNonNull(name, "name");
    Objects.requireNonNull(version, "version");
    if (intraOpThreads < 1) {
      throw new IllegalArgumentException("intraOpThreads: " + intraOpThreads + " (expected: > 0)");
    }
    if (!Files.exists(file)) {
      throw new ModelLoadException(file + ": no such model file");
    }
    OrtEnvironment environment = OrtEnvironment.getEnvironment();
    OrtSession session = open(environment, file, intraOpThreads);
    try {
      ModelSignature signature = OnnxSignatureReader.read(session, file.toString());
      return new OnnxModel(name, version, environment, session, signature);
    } catch (ModelLoadException | RuntimeException e) {
      closeQuietly(session, e);
      throw e;
    }
  }

  private static OrtSession open(OrtEnvironment environment, Path file, int intraOpThreads)
      throws ModelLoadException {
    try (OrtSession.SessionOptions options = new OrtSession.SessionOptions()) {
      options.setIntraOpNumThreads(intraOpThreads);
      // Idle pool threads would otherwise spin waiting for work, taking cores from the other
      // replicas on the machine.
      options.addConfigEntry("session.intra_op.allow_spinning", "0");
      return environment.createSession(file.toString(), options);
    } catch (OrtException e) {
      String problem =
          e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_PROTOBUF
              ? "not an ONNX model"
              : "ONNX Runtime cannot load the model";
      throw new ModelLoadException(file + ": " + problem + ": " + e.getMessage(), e);
    }
  }

  private static void closeQuietly(OrtSession session, Exception cause) {
    try {
      session.close();
    } catch (OrtException e) {
      cause.addSuppressed(e);
    }
  }
}
