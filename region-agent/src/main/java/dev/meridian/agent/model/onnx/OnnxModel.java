package dev.meridian.agent.model.onnx;

import ai.onnxruntime.OnnxTensor;
import ai.onnxruntime.OnnxValue;
import ai.onnxruntime.OrtEnvironment;
import ai.onnxruntime.OrtException;
import ai.onnxruntime.OrtSession;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelSignature;
import dev.meridian.agent.model.TensorSpec;
import dev.meridian.proto.inference.v1.Tensor;
import io.grpc.Status;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.locks.ReadWriteLock;
import java.util.concurrent.locks.ReentrantReadWriteLock;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A model run by ONNX Runtime from a {@code .onnx} file, with the signature the file declares. Load
 * one with {@link OnnxModelLoader}.
 *
 * <p>Thread-safe: any number of {@link #predict} calls run the one session concurrently, and {@link
 * #close} waits for those in flight before it frees the session.
 */
public final class OnnxModel implements Model {
  private static final Logger logger = LoggerFactory.getLogger(OnnxModel.class);

  private final String name;
  private final String version;
  private final OrtEnvironment environment;
  private final OrtSession session;
  private final ModelSignature signature;

  // Runs hold the read lock and close() the write lock: freeing the native session while a run
  // is still inside it would crash the process, not just fail the call.
  private final ReadWriteLock lifecycle = new ReentrantReadWriteLock();
  private boolean closed; // guarded by lifecycle

  OnnxModel(
      String name,
      String version,
      OrtEnvironment environment,
      OrtSession session,
      ModelSignature signature) {
    this.name = name;
    this.version = version;
    this.environment = environment;
    this.session = session;
    this.signature = signature;
  }

  @Override
  public String name() {
    return name;
  }

  @Override
  public String version() {
    return version;
  }

  @Override
  public ModelSignature signature() {
    return signature;
  }

  /**
   * {@inheritDoc}
   *
   * @throws io.grpc.StatusRuntimeException with {@code INVALID_ARGUMENT} when ONNX Runtime rejects
   *     the inputs (for example two inputs that disagree on a shared symbolic dimension), or with
   *     {@code UNAVAILABLE} once the model is closed
   * @throws IllegalStateException when ONNX Runtime fails for any other reason
   */
  @Override
  public List<Tensor> predict(Map<String, Tensor> inputs) {
    Map<String, OnnxTensor> onnxInputs = new HashMap<>();
    try {
      for (TensorSpec spec : signature.inputs()) {
        onnxInputs.put(spec.name(), OnnxTensors.toOnnx(environment, inputs.get(spec.name())));
      }
      return run(onnxInputs);
    } catch (OrtException e) {
      if (e.getCode() == OrtException.OrtErrorCode.ORT_INVALID_ARGUMENT) {
        throw Status.INVALID_ARGUMENT
            .withDescription("model '" + name + "' rejected the inputs: " + e.getMessage())
            .asRuntimeException();
      }
      throw new IllegalStateException("model '" + name + "' failed: " + e.getMessage(), e);
    } finally {
      onnxInputs.values().forEach(OnnxTensor::close);
    }
  }

  private List<Tensor> run(Map<String, OnnxTensor> onnxInputs) throws OrtException {
    lifecycle.readLock().lock();
    try {
      if (closed) {
        throw Status.UNAVAILABLE
            .withDescription("model '" + name + "' version '" + version + "' is closed")
            .asRuntimeException();
      }
      try (OrtSession.Result result = session.run(onnxInputs)) {
        List<Tensor> outputs = new ArrayList<>(result.size());
        for (Map.Entry<String, OnnxValue> output : result) {
          // The loader admitted only models whose outputs are all tensors.
          outputs.add(OnnxTensors.fromOnnx(output.getKey(), (OnnxTensor) output.getValue()));
        }
        return outputs;
      }
    } finally {
      lifecycle.readLock().unlock();
    }
  }

  /** Frees the native session once no call is running in it; later calls fail UNAVAILABLE. */
  @Override
  public void close() {
    lifecycle.writeLock().lock();
    try {
      if (closed) {
        return;
      }
      closed = true;
      session.close();
    } catch (OrtException e) {
      // Nothing can use the session any more; a failure to free it only leaks native memory.
      logger
          .atWarn()
          .addKeyValue("model", name)
          .setCause(e)
          .log("cannot release the model's session");
    } finally {
      lifecycle.writeLock().unlock();
    }
  }
}
