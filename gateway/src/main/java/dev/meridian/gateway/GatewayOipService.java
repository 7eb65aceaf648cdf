package dev.meridian.gateway;

import dev.meridian.core.PredictRequestValidator;
import dev.meridian.core.oip.OipRequests;
import dev.meridian.core.oip.OipResponses;
import dev.meridian.core.oip.OipServedBy;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import dev.meridian.proto.oip.v2.ModelMetadataRequest;
import dev.meridian.proto.oip.v2.ModelMetadataResponse;
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
import java.util.Optional;

/**
 * The gateway's Open Inference Protocol service ({@code inference.GRPCInferenceService}), beside
 * {@code Predict}: {@code ModelInfer} runs through the same routing, policies and degradation (it
 * is translated to a {@code Predict} call and back, answering in the representation the caller
 * used, raw or typed), and says how it was served in its parameters ({@link OipServedBy}).
 * Readiness and metadata come from the {@link ModelCatalog}. Thread-safe.
 */
final class GatewayOipService extends GRPCInferenceServiceGrpc.GRPCInferenceServiceImplBase {
  /** The name {@code ServerMetadata} reports. */
  static final String SERVER_NAME = "meridian-gateway";

  private final GatewayCalls calls;
  private final ModelCatalog catalog;

  GatewayOipService(GatewayCalls calls, ModelCatalog catalog) {
    this.calls = calls;
    this.catalog = catalog;
  }

  @Override
  public void serverLive(ServerLiveRequest request, StreamObserver<ServerLiveResponse> observer) {
    observer.onNext(ServerLiveResponse.newBuilder().setLive(true).build());
    observer.onCompleted();
  }

  @Override
  public void serverReady(
      ServerReadyRequest request, StreamObserver<ServerReadyResponse> observer) {
    observer.onNext(ServerReadyResponse.newBuilder().setReady(catalog.serverReady()).build());
    observer.onCompleted();
  }

  @Override
  public void modelReady(ModelReadyRequest request, StreamObserver<ModelReadyResponse> observer) {
    Optional<StatusRuntimeException> invalid = checkName(request.getName());
    if (invalid.isPresent()) {
      observer.onError(invalid.get());
      return;
    }
    observer.onNext(
        ModelReadyResponse.newBuilder().setReady(catalog.ready(request.getName())).build());
    observer.onCompleted();
  }

  @Override
  public void serverMetadata(
      ServerMetadataRequest request, StreamObserver<ServerMetadataResponse> observer) {
    observer.onNext(
        ServerMetadataResponse.newBuilder().setName(SERVER_NAME).setVersion(version()).build());
    observer.onCompleted();
  }

  @Override
  public void modelMetadata(
      ModelMetadataRequest request, StreamObserver<ModelMetadataResponse> observer) {
    Optional<StatusRuntimeException> invalid = checkName(request.getName());
    if (invalid.isPresent()) {
      observer.onError(invalid.get());
      return;
    }
    if (!catalog.routes(request.getName())) {
      observer.onError(calls.unknownModel(request.getName()));
      return;
    }
    AsyncReply.send(observer, catalog.metadata(request, calls.deadline()), answer -> answer);
  }

  @Override
  public void modelInfer(ModelInferRequest request, StreamObserver<ModelInferResponse> observer) {
    PredictRequest predict;
    try {
      predict = OipRequests.toPredict(request);
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return;
    }
    boolean raw = request.getRawInputContentsCount() > 0;
    List<String> outputs =
        request.getOutputsList().stream()
            .map(ModelInferRequest.InferRequestedOutputTensor::getName)
            .toList();
    AsyncReply.send(
        observer,
        calls.answer(predict),
        response ->
            OipServedBy.add(
                    OipResponses.fromPredict(response, raw, outputs), response.getServedBy())
                .build());
  }

  private static Optional<StatusRuntimeException> checkName(String name) {
    try {
      PredictRequestValidator.validateModelName("name", name);
      return Optional.empty();
    } catch (StatusRuntimeException invalid) {
      return Optional.of(invalid);
    }
  }

  private static String version() {
    String version = GatewayOipService.class.getPackage().getImplementationVersion();
    return version == null ? "development" : version;
  }
}
