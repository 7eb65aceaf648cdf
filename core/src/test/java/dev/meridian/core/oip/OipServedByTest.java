package dev.meridian.core.oip;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.proto.inference.v1.ServedBy;
import dev.meridian.proto.inference.v1.ServingPath;
import dev.meridian.proto.oip.v2.ModelInferResponse;
import org.junit.jupiter.api.Test;

class OipServedByTest {
  @Test
  void whatIsWrittenIsReadBack() {
    ServedBy retried =
        ServedBy.newBuilder()
            .setRegion("us-east")
            .setReplica("us-east-fraud-score-1")
            .setPath(ServingPath.SERVING_PATH_RETRY)
            .setAttempts(2)
            .setReason("eu-west: UNAVAILABLE")
            .build();
    ServedBy defaulted =
        ServedBy.newBuilder().setPath(ServingPath.SERVING_PATH_DEFAULT_RESPONSE).build();

    ModelInferResponse answer = OipServedBy.add(ModelInferResponse.newBuilder(), retried).build();
    ModelInferResponse bare = OipServedBy.add(ModelInferResponse.newBuilder(), defaulted).build();

    assertThat(answer.getParametersOrThrow(OipServedBy.PATH).getStringParam()).isEqualTo("RETRY");
    assertThat(OipServedBy.read(answer)).isEqualTo(retried);
    assertThat(bare.getParametersMap()).containsOnlyKeys(OipServedBy.PATH, OipServedBy.ATTEMPTS);
    assertThat(OipServedBy.read(bare)).isEqualTo(defaulted);
    assertThat(OipServedBy.read(ModelInferResponse.getDefaultInstance()))
        .isEqualTo(ServedBy.getDefaultInstance());
  }
}
