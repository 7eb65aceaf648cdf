package dev.meridian.core.oip;

import static org.assertj.core.api.Assertions.assertThat;

import com.google.protobuf.ByteString;
import com.google.protobuf.Descriptors.Descriptor;
import com.google.protobuf.Descriptors.FieldDescriptor;
import com.google.protobuf.Descriptors.FileDescriptor;
import com.google.protobuf.Descriptors.MethodDescriptor;
import com.google.protobuf.Descriptors.ServiceDescriptor;
import dev.meridian.proto.oip.v2.GrpcPredictV2Proto;
import dev.meridian.proto.oip.v2.ModelInferRequest;
import inference.GrpcPredictV2;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

/**
 * Checks Meridian's copy of the Open Inference Protocol against the classes Apache Camel generated
 * from the protocol's published {@code grpc_predict_v2.proto}: every message, field (number, type,
 * label, message type, oneof) and RPC of the published file is in Meridian's, and the bytes one
 * writes the other reads.
 */
class OipWireCompatibilityTest {
  private static final FileDescriptor PUBLISHED = GrpcPredictV2.getDescriptor();
  private static final FileDescriptor MERIDIAN = GrpcPredictV2Proto.getDescriptor();

  @Test
  void packageAndServiceAreThePublishedOnes() {
    assertThat(MERIDIAN.getPackage()).isEqualTo(PUBLISHED.getPackage()).isEqualTo("inference");
    for (ServiceDescriptor service : PUBLISHED.getServices()) {
      ServiceDescriptor ours = MERIDIAN.findServiceByName(service.getName());
      assertThat(ours).as(service.getFullName()).isNotNull();
      for (MethodDescriptor method : service.getMethods()) {
        MethodDescriptor mine = ours.findMethodByName(method.getName());
        assertThat(mine).as(method.getFullName()).isNotNull();
        assertThat(mine.getInputType().getFullName())
            .isEqualTo(method.getInputType().getFullName());
        assertThat(mine.getOutputType().getFullName())
            .isEqualTo(method.getOutputType().getFullName());
        assertThat(mine.isClientStreaming()).isEqualTo(method.isClientStreaming());
        assertThat(mine.isServerStreaming()).isEqualTo(method.isServerStreaming());
      }
    }
  }

  @Test
  void everyPublishedFieldHasItsNumberTypeAndLabel() {
    List<String> checked = new ArrayList<>();
    for (Descriptor message : PUBLISHED.getMessageTypes()) {
      compare(message, MERIDIAN.findMessageTypeByName(message.getName()), checked);
    }
    assertThat(checked).hasSizeGreaterThan(50);
  }

  @Test
  void meridianAddsOnlyTheNewerParameterTypes() {
    List<String> extra = new ArrayList<>();
    for (Descriptor message : MERIDIAN.getMessageTypes()) {
      extras(message, PUBLISHED.findMessageTypeByName(message.getName()), extra);
    }
    // The protocol's newer revision (and Triton's copy) carry double and uint64 parameters.
    assertThat(extra)
        .containsExactlyInAnyOrder(
            "inference.InferParameter.double_param", "inference.InferParameter.uint64_param");
  }

  @Test
  void aRequestWrittenByThePublishedClassesReadsTheSameInMeridians() throws Exception {
    GrpcPredictV2.ModelInferRequest published =
        GrpcPredictV2.ModelInferRequest.newBuilder()
            .setModelName("fraud-score")
            .setModelVersion("1")
            .setId("request-7")
            .putParameters(
                "priority", GrpcPredictV2.InferParameter.newBuilder().setInt64Param(3).build())
            .addInputs(
                GrpcPredictV2.ModelInferRequest.InferInputTensor.newBuilder()
                    .setName("features")
                    .setDatatype("FP32")
                    .addShape(1)
                    .addShape(2)
                    .setContents(
                        GrpcPredictV2.InferTensorContents.newBuilder()
                            .addFp32Contents(0.5f)
                            .addFp32Contents(1.5f)))
            .addOutputs(
                GrpcPredictV2.ModelInferRequest.InferRequestedOutputTensor.newBuilder()
                    .setName("probability"))
            .addRawInputContents(ByteString.copyFromUtf8("raw"))
            .build();

    ModelInferRequest ours = ModelInferRequest.parseFrom(published.toByteString());

    assertThat(ours.getUnknownFields().asMap()).isEmpty();
    assertThat(ours.getModelName()).isEqualTo("fraud-score");
    assertThat(ours.getId()).isEqualTo("request-7");
    assertThat(ours.getParametersMap().get("priority").getInt64Param()).isEqualTo(3);
    assertThat(ours.getInputs(0).getContents().getFp32ContentsList()).containsExactly(0.5f, 1.5f);
    assertThat(ours.getOutputs(0).getName()).isEqualTo("probability");
    assertThat(GrpcPredictV2.ModelInferRequest.parseFrom(ours.toByteString())).isEqualTo(published);
  }

  private static void compare(Descriptor published, Descriptor ours, List<String> checked) {
    assertThat(ours).as(published.getFullName()).isNotNull();
    for (FieldDescriptor field : published.getFields()) {
      FieldDescriptor mine = ours.findFieldByNumber(field.getNumber());
      String name = field.getFullName();
      assertThat(mine).as(name + " (number " + field.getNumber() + ")").isNotNull();
      assertThat(mine.getName()).as(name).isEqualTo(field.getName());
      assertThat(mine.getType()).as(name).isEqualTo(field.getType());
      assertThat(mine.isRepeated()).as(name).isEqualTo(field.isRepeated());
      assertThat(mine.isMapField()).as(name).isEqualTo(field.isMapField());
      if (field.getType() == FieldDescriptor.Type.MESSAGE) {
        assertThat(mine.getMessageType().getFullName())
            .as(name)
            .isEqualTo(field.getMessageType().getFullName());
      }
      assertThat(oneof(mine)).as(name).isEqualTo(oneof(field));
      checked.add(name);
    }
    for (Descriptor nested : published.getNestedTypes()) {
      compare(nested, ours.findNestedTypeByName(nested.getName()), checked);
    }
  }

  private static void extras(Descriptor ours, Descriptor published, List<String> extra) {
    for (FieldDescriptor field : ours.getFields()) {
      if (published == null || published.findFieldByNumber(field.getNumber()) == null) {
        extra.add(field.getFullName());
      }
    }
    for (Descriptor nested : ours.getNestedTypes()) {
      extras(
          nested,
          published == null ? null : published.findNestedTypeByName(nested.getName()),
          extra);
    }
  }

  private static String oneof(FieldDescriptor field) {
    return field.getRealContainingOneof() == null ? "" : field.getRealContainingOneof().getName();
  }
}
