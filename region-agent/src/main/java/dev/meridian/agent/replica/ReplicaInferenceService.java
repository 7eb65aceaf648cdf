package dev.meridian.agent.replica;

import dev.meridian.agent.model.Model;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.Tensor;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Map;
import java.util.TreeMap;
import java.util.logging.Level;
import java.util.logging.Logger;

/**
 * Serves {@code Predict} on one replica: validates the request, checks it against the model's
 * signature, runs the model within the replica's concurrency limit, and answers with the outputs
 * and the replica's identity. Thread-safe.
 */
public final class ReplicaInferenceService extends InferenceGrpc.InferenceImplBase {
  private static final Logger logger = Logger.getLogger(ReplicaInferenceService.class.getName());

  private final ReplicaIdentity identity;
  private final Map<String, Model> models;
  private final ConcurrencyLimit limit;

  /** Creates the service for {@code models}, which it does not close. */
  public ReplicaInferenceService(
      ReplicaIdentity identity, List<Model> models, ConcurrencyLimit limit) {
    this.identity = identity;
    this.models = new TreeMap<>();
    for (Model model : models) {
      this.models.put(model.name(), model);
    }
    this.limit = limit;
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    try {
      observer.onNext(run(request));
      observer.onCompleted();
    } catch (StatusRuntimeException e) {
      observer.onError(e);
    } catch (RuntimeException e) {
      logger.log(Level.WARNING, "model failed on request " + request.getRequestId(), e);
      observer.onError(
          Status.INTERNAL
              .withDescription(
                  "model '" + request.getModelName() + "' failed on " + identity.replicaId())
              .withCause(e)
              .asRuntimeException());
    }
  }

  private PredictResponse run(PredictRequest request) {
    PredictRequestValidator.validate(request);
    Model model = models.get(request.getModelName());
    if (model == null) {
      throw Status.NOT_FOUND
          .withDescription(
              "model '"
                  + request.getModelName()
                  + "' is not served by replica "
                  + identity.replicaId()
                  + "; it serves "
                  + models.keySet())
          .asRuntimeException();
    }
    if (!request.getModelVersion().isEmpty()
        && !request.getModelVersion().equals(model.version())) {
      throw Status.NOT_FOUND
          .withDescription(
              "model '"
                  + model.name()
                  + "' version '"
                  + request.getModelVersion()
                  + "' is not served; the served version is '"
                  + model.version()
                  + "'")
          .asRuntimeException();
    }
    Map<String, Tensor> inputs = model.signature().bind(model.name(), request.getInputsList());
    limit.acquire(identity.replicaId());
    try {
      return PredictResponse.newBuilder()
          .setModelName(model.name())
          .setModelVersion(model.version())
          .setRequestId(request.getRequestId())
          .addAllOutputs(model.predict(inputs))
          .setServedBy(
              ServedBy.newBuilder().setRegion(identity.region()).setReplica(identity.replicaId()))
          .build();
    } finally {
      limit.release();
    }
  }
}
