package dev.meridian.agent.replica;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.features.FeatureLookup;
import dev.meridian.agent.model.Model;
import dev.meridian.core.CallerText;
import dev.meridian.core.PredictRequestValidator;
import dev.meridian.core.Ticker;
import dev.meridian.core.logging.CallLines;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.inference.v1.Tensor;
import io.grpc.Context;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.Collection;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Optional;
import java.util.TreeMap;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The one serving path of a replica, whatever protocol a call arrives in: validates the request,
 * checks it against the answering model's signature, runs the model within the replica's
 * concurrency limit, and answers with the outputs, the name and version of the model that answered
 * (the fallback's, when the fallback serves), and the replica's identity. Records {@link
 * ReplicaMetrics} per served model. Thread-safe.
 */
final class ReplicaServing {
  private static final Logger logger = LoggerFactory.getLogger(ReplicaServing.class);

  private final ReplicaIdentity identity;
  private final Map<String, ServedModel> models = new TreeMap<>();
  private final Map<String, ReplicaMetrics> metrics = new TreeMap<>();
  private final ConcurrencyLimit limit;

  /** Creates the serving path for {@code models}, which it does not close. */
  ReplicaServing(
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

  /** The replica's identity. */
  ReplicaIdentity identity() {
    return identity;
  }

  /** The models served, by name. */
  Collection<ServedModel> models() {
    return models.values();
  }

  /**
   * Answers one call for {@code modelName} with what {@code answer} computes, counted in that
   * model's metrics before the caller hears back (so whoever has the answer sees it counted); a
   * failure that is not a gRPC status becomes {@code INTERNAL}.
   */
  <T> void call(
      String modelName, String requestId, Supplier<T> answer, StreamObserver<T> observer) {
    ReplicaMetrics modelMetrics = metrics.get(modelName);
    long start = modelMetrics == null ? 0 : modelMetrics.start();
    T response = null;
    StatusRuntimeException error = null;
    try {
      response = answer.get();
    } catch (StatusRuntimeException e) {
      error = e;
    } catch (RuntimeException e) {
      // On the call's own thread, in its gRPC context (and trace).
      CallLines.about(logger.atWarn(), Context.current(), requestId, modelName, identity.region())
          .setCause(e)
          .log("model failed");
      error =
          Status.INTERNAL
              .withDescription(
                  "model " + CallerText.quoted(modelName) + " failed on " + identity.replicaId())
              .withCause(e)
              .asRuntimeException();
    }
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

  /**
   * The served model {@code name} at {@code version} (any, when empty).
   *
   * @throws StatusRuntimeException {@code NOT_FOUND} naming what is served instead
   */
  ServedModel served(String name, String version) {
    ServedModel served = models.get(name);
    if (served == null) {
      throw Status.NOT_FOUND
          .withDescription(
              "model "
                  + CallerText.quoted(name)
                  + " is not served by replica "
                  + identity.replicaId()
                  + "; it serves "
                  + models.keySet())
          .asRuntimeException();
    }
    if (!served.serves(name, version)) {
      throw Status.NOT_FOUND
          .withDescription(
              "model '"
                  + served.name()
                  + "' version "
                  + CallerText.quoted(version)
                  + " is not served; the served version is '"
                  + served.version()
                  + "'")
          .asRuntimeException();
    }
    return served;
  }

  /**
   * Runs {@code request} through the model it names: assembles its feature input first when the
   * caller sent entity keys, and hands an answer below the model's confidence threshold to the
   * fallback model, saying so in {@code served_by}.
   *
   * @throws StatusRuntimeException {@code INVALID_ARGUMENT}, {@code NOT_FOUND} or {@code
   *     RESOURCE_EXHAUSTED}, saying why
   */
  PredictResponse predict(PredictRequest request) {
    PredictRequestValidator.validate(request);
    ServedModel served = served(request.getModelName(), request.getModelVersion());
    ServingRules rules = served.rules();
    Optional<FeatureLookup.Assembled> assembled =
        rules
            .features()
            .flatMap(
                lookup ->
                    lookup.assemble(
                        request.getInputsList(),
                        Optional.ofNullable(Context.current().getDeadline())));
    List<Tensor> inputs =
        assembled.map(FeatureLookup.Assembled::inputs).orElse(request.getInputsList());
    Model model = served.answering();
    Map<String, Tensor> bound = model.signature().bind(model.name(), inputs);
    ServedBy.Builder servedBy =
        ServedBy.newBuilder().setRegion(identity.region()).setReplica(identity.replicaId());
    limit.acquire(identity.replicaId());
    try {
      List<Tensor> primaryOutputs = model.predict(bound);
      Optional<Double> shortfall =
          served.onFallback()
              ? Optional.empty()
              : rules.confidence().flatMap(rule -> rule.shortfall(primaryOutputs));
      Model answering = model;
      List<Tensor> outputs = primaryOutputs;
      if (shortfall.isPresent()) {
        answering = rules.fallback().orElseThrow();
        outputs = answering.predict(answering.signature().bind(answering.name(), inputs));
        servedBy
            .setPath(ServingPath.SERVING_PATH_LOW_CONFIDENCE)
            .setReason(
                String.format(
                    Locale.ROOT,
                    "%s confidence %.4f below %s",
                    model.name(),
                    shortfall.get(),
                    rules.confidence().orElseThrow().threshold()));
      }
      PredictResponse.Builder response =
          PredictResponse.newBuilder()
              .setModelName(answering.name())
              .setModelVersion(answering.version())
              .setRequestId(request.getRequestId())
              .addAllOutputs(outputs)
              .setServedBy(servedBy);
      assembled.ifPresent(features -> response.setFeatures(features.sources()));
      PredictResponse answer = response.build();
      ServedSpan.label(answer);
      return answer;
    } finally {
      limit.release();
    }
  }
}
