package dev.meridian.agent.replica;

import dev.meridian.agent.model.TensorSpec;
import dev.meridian.core.DataTypes;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.core.oip.OipResponses;
import dev.meridian.core.oip.OipServedBy;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.InferParameter;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ModelMetadataRequest;
import dev.meridian.proto.oip.v2.ModelMetadataResponse;
import dev.meridian.proto.oip.v2.ModelMetadataResponse.TensorMetadata;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import dev.meridian.proto.oip.v2.ModelReadyResponse;
import dev.meridian.proto.oip.v2.ServerLiveRequest;
import dev.meridian.proto.oip.v2.ServerLiveResponse;
import dev.meridian.proto.oip.v2.ServerMetadataRequest;
import dev.meridian.proto.oip.v2.ServerMetadataResponse;
import dev.meridian.proto.oip.v2.ServerReadyRequest;
import dev.meridian.proto.oip.v2.ServerReadyResponse;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.List;
import java.util.Objects;
import java.util.function.BooleanSupplier;

/**
 * Serves the Open Inference Protocol ({@code inference.GRPCInferenceService}, "KServe v2") on a
 * replica, on the same port as {@code Predict}: {@code ModelInfer} is translated to a Predict
 * request and runs through the same {@link ReplicaServing} path (concurrency limit, metrics, fault
 * injection, served model), so both protocols answer alike and fail with the same statuses. Who
 * served an answer travels as the response parameters {@link OipServedBy#REGION} and {@link
 * OipServedBy#REPLICA}, the names the gateway uses. Thread-safe.
 */
public final class OipInferenceService
    extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  /** What {@code ServerMetadata} calls the server. */
  public static final String SERVER_NAME = "meridian-replica";

  /** The build's version from the jar's manifest, or {@code dev} when run from classes. */
  private static final String SERVER_VERSION =
      Objects.requireNonNullElse(
          OipInferenceService.class.getPackage().getImplementationVersion(), "dev");

  private final ReplicaServing serving;
  private final BooleanSupplier ready;

  /**
   * Creates the service on {@code serving}.
   *
   * @param ready whether the replica can serve now (it has loaded its models and is not stopping)
   */
  OipInferenceService(ReplicaServing serving, BooleanSupplier ready) {
    this.serving = serving;
    this.ready = ready;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    answer(observer, ServerLiveResponse.newBuilder().setLive(true).build());
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    answer(observer, ServerReadyResponse.newBuilder().setReady(ready.getAsBoolean()).build());
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    boolean served =
        serving.models().stream()
            .anyMatch(model -> model.serves(request.getName(), request.getVersion()));
    answer(
        observer, ModelReadyResponse.newBuilder().setReady(served && ready.getAsBoolean()).build());
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    answer(
        observer,
        ServerMetadataResponse.newBuilder()
            .setName(SERVER_NAME)
            .setVersion(SERVER_VERSION)
            .build());
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    ServedModel served;
    try {
      served = serving.served(request.getName(), request.getVersion());
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    var signature = served.answering().signature();
    answer(
        observer,
        ModelMetadataResponse.newBuilder()
            .setName(served.name())
            .addVersions(served.version())
            .setPlatform(served.type().platform())
            .addAllInputs(metadata(signature.inputs()))
            .addAllOutputs(metadata(signature.outputs()))
            .build());
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    serving.call(request.getModelName(), request.getId(), () -> infer(request), observer);
  }

  private ModelInferResponse infer(ModelInferRequest request) {
    PredictResponse answer = serving.predict(OipRequests.toPredict(request));
    List<String> requested =
        request.getOutputsList().stream()
            .map(ModelInferRequest.InferRequestedOutputTensor::getName)
            .toList();
    return OipResponses.fromPredict(answer, request.getRawInputContentsCount() > 0, requested)
        .putParameters(OipServedBy.REGION, text(answer.getServedBy().getRegion()))
        .putParameters(OipServedBy.REPLICA, text(answer.getServedBy().getReplica()))
        .build();
  }

  private static InferParameter text(String value) {
    return InferParameter.newBuilder().setStringParam(value).build();
  }

  private static List<TensorMetadata> metadata(List<TensorSpec> specs) {
    return specs.stream()
        .map(
            spec ->
                TensorMetadata.newBuilder()
                    .setName(spec.name())
                    .setDatatype(DataTypes.shortName(spec.datatype()))
                    .addAllShape(spec.shape())
                    .build())
        .toList();
  }

  private static <T> void answer(StreamObserver<T> observer, T response) {
    observer.onNext(response);
    observer.onCompleted();
  }
}
