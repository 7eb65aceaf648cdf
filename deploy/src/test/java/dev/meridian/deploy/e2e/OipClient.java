package dev.meridian.deploy.e2e;

import com.google.protobuf.ByteString;
import inference.GRPCInferenceServiceGrpc;
import inference.GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub;
import inference.GrpcPredictV2.InferTensorContents;
import inference.GrpcPredictV2.ModelInferRequest;
import inference.GrpcPredictV2.ModelInferRequest.InferInputTensor;
import inference.GrpcPredictV2.ModelInferResponse;
import inference.GrpcPredictV2.ModelMetadataRequest;
import inference.GrpcPredictV2.ModelMetadataResponse;
import inference.GrpcPredictV2.ModelReadyRequest;
import inference.GrpcPredictV2.ServerReadyRequest;
import io.grpc.ManagedChannel;
import java.nio.ByteBuffer;
import java.nio.ByteOrder;
import java.util.concurrent.TimeUnit;

/**
 * An Open Inference Protocol client of the topology's gateway, built on the classes Apache Camel
 * generated from the protocol's published proto (not Meridian's), as a third-party caller would.
 */
final class OipClient implements AutoCloseable {
  private final ManagedChannel channel;

  OipClient(ManagedChannel channel) {
    this.channel = channel;
  }

  private GRPCInferenceServiceBlockingStub stub() {
    return GRPCInferenceServiceGrpc.newBlockingStub(channel).withDeadlineAfter(2, TimeUnit.SECONDS);
  }

  boolean serverReady() {
    return stub().serverReady(ServerReadyRequest.getDefaultInstance()).getReady();
  }

  boolean modelReady(String model) {
    return stub().modelReady(ModelReadyRequest.newBuilder().setName(model).build()).getReady();
  }

  ModelMetadataResponse metadata(String model) {
    return stub().modelMetadata(ModelMetadataRequest.newBuilder().setName(model).build());
  }

  /** One row of {@code features} for {@code model}, in typed or in raw contents. */
  ModelInferResponse infer(String model, boolean raw, float... features) {
    InferInputTensor.Builder input =
        InferInputTensor.newBuilder()
            .setName("features")
            .setDatatype("FP32")
            .addShape(1)
            .addShape(features.length);
    ModelInferRequest.Builder request = ModelInferRequest.newBuilder().setModelName(model);
    if (raw) {
      ByteBuffer bytes =
          ByteBuffer.allocate(features.length * Float.BYTES).order(ByteOrder.LITTLE_ENDIAN);
      for (float value : features) {
        bytes.putFloat(value);
      }
      bytes.flip();
      request.addInputs(input).addRawInputContents(ByteString.copyFrom(bytes));
    } else {
      InferTensorContents.Builder contents = InferTensorContents.newBuilder();
      for (float value : features) {
        contents.addFp32Contents(value);
      }
      request.addInputs(input.setContents(contents));
    }
    return stub().modelInfer(request.build());
  }

  /** The first output's first element, read from typed or raw contents as the answer has it. */
  static float firstValue(ModelInferResponse response) {
    if (response.getRawOutputContentsCount() > 0) {
      return response
          .getRawOutputContents(0)
          .asReadOnlyByteBuffer()
          .order(ByteOrder.LITTLE_ENDIAN)
          .getFloat();
    }
    return response.getOutputs(0).getContents().getFp32Contents(0);
  }

  /** A string parameter of the answer, empty when absent. */
  static String parameter(ModelInferResponse response, String name) {
    return response.getParametersMap().containsKey(name)
        ? response.getParametersOrThrow(name).getStringParam()
        : "";
  }

  @Override
  public void close() {
    channel.shutdownNow();
  }
}
