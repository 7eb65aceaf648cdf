package dev.meridian.agent.replica;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.features.ConfidenceRule;
import dev.meridian.agent.features.FeatureCache;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureKeys;
import dev.meridian.agent.features.FeatureLookup;
import dev.meridian.agent.features.FeatureMetrics;
import dev.meridian.agent.features.FeatureSpec;
import dev.meridian.agent.features.MemoryFeatureStore;
import dev.meridian.agent.model.LinearModel;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.Ticker;
import dev.meridian.proto.inference.v1.FeatureSources;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import dev.meridian.proto.inference.v1.ServingPath;
import io.grpc.ManagedChannel;
import io.grpc.Server;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.inprocess.InProcessChannelBuilder;
import io.grpc.inprocess.InProcessServerBuilder;
import java.time.Clock;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.concurrent.TimeUnit;
import org.assertj.core.data.Offset;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** A replica's serving path with a feature input and a confidence rule, over in-process gRPC. */
class ReplicaFeatureServingTest {
  private static final FeatureInputs INPUTS =
      new FeatureInputs(
          "features",
          "card_id",
          List.of(
              new FeatureSpec("a", 0, Duration.ofHours(1), Duration.ofHours(2)),
              new FeatureSpec("b", 0, Duration.ofHours(1), Duration.ofHours(2))));

  private final MemoryFeatureStore store = new MemoryFeatureStore("primary");
  private Server server;
  private ManagedChannel channel;
  private InferenceGrpc.InferenceBlockingStub stub;

  private static LinearModel scorer(String name, float weight, float bias) {
    return new LinearModel(
        name,
        "1",
        LinearModel.Activation.SIGMOID,
        "features",
        "probability",
        new float[][] {{weight, weight}},
        new float[] {bias});
  }

  @BeforeEach
  void start() throws Exception {
    Clock clock = Clock.systemUTC();
    for (var entity : Map.of("sure", "3", "unsure", "0").entrySet()) {
      store.put(
          FeatureKeys.key("card_id", entity.getKey()),
          Map.of(
              "a",
              entity.getValue(),
              "b",
              entity.getValue(),
              FeatureKeys.EVENT_TIME,
              String.valueOf(clock.millis())));
    }
    MetricRegistry metrics = new MetricRegistry();
    FeatureLookup lookup =
        new FeatureLookup(
            "scorer",
            INPUTS,
            List.of(store),
            new FeatureCache(10),
            Duration.ofMillis(50),
            clock,
            Ticker.SYSTEM,
            new FeatureMetrics(metrics, "scorer", INPUTS));
    ServedModel scorer =
        ServedModel.primary(ModelType.BUILTIN, scorer("scorer", 1, 0))
            .withRules(
                new ServingRules(
                    Optional.of(lookup),
                    Optional.of(new ConfidenceRule("probability", 0.6)),
                    Optional.of(scorer("scorer-lite", 0, 1))));
    String name = InProcessServerBuilder.generateName();
    server =
        InProcessServerBuilder.forName(name)
            .directExecutor()
            .addService(
                new ReplicaInferenceService(
                    new ReplicaServing(
                        new ReplicaIdentity("eu-west", "eu-west-0"),
                        List.of(scorer, ServedModel.primary(ModelType.BUILTIN, TestModels.adder())),
                        new ConcurrencyLimit(4),
                        metrics,
                        Ticker.SYSTEM)))
            .build()
            .start();
    channel = InProcessChannelBuilder.forName(name).directExecutor().build();
    stub = InferenceGrpc.newBlockingStub(channel);
  }

  @AfterEach
  void stop() throws Exception {
    channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    server.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
  }

  private Status failure(PredictRequest request) {
    StatusRuntimeException e =
        catchThrowableOfType(StatusRuntimeException.class, () -> stub.predict(request));
    assertThat(e).as("expected the call to fail").isNotNull();
    return e.getStatus();
  }

  private static float probability(PredictResponse response) {
    return response.getOutputs(0).getContents().getFp32Contents(0);
  }

  @Test
  void anEntityKeyIsAnsweredFromItsFeaturesAndTheResponseSaysWhereTheyCameFrom() {
    PredictResponse response = stub.predict(TestModels.byCard("scorer", "sure"));

    assertThat(probability(response)).isCloseTo(0.9975f, Offset.offset(1e-4f));
    assertThat(response.getModelName()).isEqualTo("scorer");
    assertThat(response.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_UNSPECIFIED);
    assertThat(response.getFeatures().getPrimary()).isEqualTo(2);
    assertThat(response.getFeatures().getDefaults()).isZero();
  }

  @Test
  void aTensorSentByTheCallerIsUsedAsItIsWithNoFeatureSources() {
    PredictRequest request =
        TestModels.adderRequest(3, 3).toBuilder().setModelName("scorer").build();

    PredictResponse response = stub.predict(request);

    assertThat(probability(response)).isCloseTo(0.9975f, Offset.offset(1e-4f));
    assertThat(response.hasFeatures()).isFalse();
    assertThat(response.getFeatures()).isEqualTo(FeatureSources.getDefaultInstance());
  }

  @Test
  void anUnconfidentPrimaryAnswerIsGivenByTheFallbackModelLabelledWithTheConfidence() {
    PredictResponse response = stub.predict(TestModels.byCard("scorer", "unsure"));

    assertThat(response.getModelName()).isEqualTo("scorer-lite");
    assertThat(probability(response)).isCloseTo(0.7311f, Offset.offset(1e-4f));
    assertThat(response.getServedBy().getPath()).isEqualTo(ServingPath.SERVING_PATH_LOW_CONFIDENCE);
    assertThat(response.getServedBy().getReason()).isEqualTo("scorer confidence 0.5000 below 0.6");
    assertThat(response.getFeatures().getPrimary()).isEqualTo(2);
  }

  @Test
  void anUnknownEntityIsNotFoundAndAModelWithoutFeaturesRejectsAnEntityKey() {
    Status unknown = failure(TestModels.byCard("scorer", "nobody"));
    Status noFeatures = failure(TestModels.byCard("adder", "sure"));

    assertThat(unknown.getCode()).isEqualTo(Status.Code.NOT_FOUND);
    assertThat(unknown.getDescription())
        .isEqualTo("entity card_id 'nobody' is not in the feature store");
    assertThat(noFeatures.getCode()).isEqualTo(Status.Code.INVALID_ARGUMENT);
    assertThat(noFeatures.getDescription())
        .startsWith("model 'adder' has no input named 'card_id'; its inputs are [features");
  }
}
