package dev.meridian.agent.replica;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.core.CallerText;
import dev.meridian.core.LogValue;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.core.Ticker;
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
 * Serves {@code Predict} on one replica: validates the request, checks it against the answering
 * model's signature, runs the model within the replica's concurrency limit, and answers with the
 * outputs, the name and version of the model that answered (the fallback's, when the fallback
 * serves), and the replica's identity. Records {@link ReplicaMetrics} per served model.
 * Thread-safe.
 */
public final class ReplicaInferenceService extends InferenceGrpc.InferenceImplBase {
  private static final Logger logger = Logger.getLogger(ReplicaInferenceService.class.getName());

  private final ReplicaIdentity identity;
  private final Map<String, ServedModel> models = new TreeMap<>();
  private final Map<String, ReplicaMetrics> metrics = new TreeMap<>();
  private final ConcurrencyLimit limit;

  /** Creates the service for {@code models}, which it does not close. */
  public ReplicaInferenceService(
      ReplicaIdentity identity,
      List<ServedModel> models,
      ConcurrencyLimit limit,
      MetricRegistry registry,
      Ticker ticker) {
    this.identity = identity;
    this.limit = limit;
    for (ServedModel model : models) {
      this.models.put(model.name(), model);
      this.metrics.put(
          model.name(),
          new ReplicaMetrics(
              registry, model.name(), identity.replicaId(), ticker, limit::inFlight));
    }
  }

  @Override
  public void predict(PredictRequest request, StreamObserver<PredictResponse> observer) {
    ReplicaMetrics modelMetrics = metrics.get(request.getModelName());
    long start = modelMetrics == null ? 0 : modelMetrics.start();
    PredictResponse response = null;
    StatusRuntimeException error = null;
    try {
      response = run(request);
    } catch (StatusRuntimeException e) {
      error = e;
    } catch (RuntimeException e) {
      logger.log(
          Level.WARNING,
          "model failed on request_id=" + LogValue.quoted(request.getRequestId()),
          e);
      error =
          Status.INTERNAL
              .withDescription(
                  "model "
                      + CallerText.quoted(request.getModelName())
                      + " failed on "
                      + identity.replicaId())
              .withCause(e)
              .asRuntimeException();
    }
    // Recorded before the caller hears back, so that whoever has its answer sees it counted.
    if (modelMetrics != null) {
      modelMetrics.record(start, error == null ? Status.OK : error.getStatus());
    }
    if (error == null) {
      observer.onNext(response);
      observer.onCompleted();
    } else {
      observer.onError(error);
    }
  }

  private PredictResponse run(PredictRequest request) {
    PredictRequestValidator.validate(request);
    ServedModel served = models.get(request.getModelName());
    if (served == null) {
      throw Status.NOT_FOUND
          .withDescription(
              "model "
                  + CallerText.quoted(request.getModelName())
                  + " is not served by replica "
                  + identity.replicaId()
                  + "; it serves "
                  + models.keySet())
          .asRuntimeException();
    }
    if (!request.getModelVersion().isEmpty()
        && !request.getModelVersion().equals(served.version())) {
      throw Status.NOT_FOUND
          .withDescription(
              "model '"
                  + served.name()
                  + "' version "
                  + CallerText.quoted(request.getModelVersion())
                  + " is not served; the served version is '"
                  + served.version()
                  + "'")
          .asRuntimeException();
    }
    var model = served.answering();
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
