package dev.meridian.agent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.codahale.metrics.MetricRegistry;
import dev.meridian.agent.config.AgentSettings;
import dev.meridian.agent.features.FeatureInputs;
import dev.meridian.agent.features.FeatureSpec;
import dev.meridian.agent.features.FeatureStoreConfig;
import dev.meridian.agent.model.ModelLoadException;
import dev.meridian.agent.model.ModelType;
import dev.meridian.agent.testing.FaultsClient;
import dev.meridian.agent.testing.TestAgentConfig;
import dev.meridian.agent.testing.TestModels;
import dev.meridian.core.Ticker;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.metrics.BucketHistogram;
import dev.meridian.core.metrics.MetricNames;
import dev.meridian.core.testing.ReflectedServices;
import dev.meridian.proto.agent.v1.ClearFaultsRequest;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ReplicaBootstrapTest {
  @TempDir Path dir;

  private ReplicaSpec spec(ModelType type, Path model, String fallback) {
    return spec(type, model, fallback, 0);
  }

  private ReplicaSpec spec(ModelType type, Path model, String fallback, int warmUpRequests) {
    return spec(type, model, fallback, warmUpRequests, 10_000);
  }

  private ReplicaSpec spec(
      ModelType type, Path model, String fallback, int warmUpRequests, long startTimeoutMillis) {
    return spec(type, model, fallback, warmUpRequests, startTimeoutMillis, "");
  }

  private ReplicaSpec spec(
      ModelType type,
      Path model,
      String fallback,
      int warmUpRequests,
      long startTimeoutMillis,
      String faultsTokenFile) {
    return spec(type, model, fallback, warmUpRequests, startTimeoutMillis, faultsTokenFile, false);
  }

  private ReplicaSpec spec(
      ModelType type,
      Path model,
      String fallback,
      int warmUpRequests,
      long startTimeoutMillis,
      String faultsTokenFile,
      boolean reflection) {
    return new ReplicaSpec(
        "eu-west",
        "eu-west-adder-0",
        "adder",
        "1",
        type,
        model.toString(),
        fallback,
        ListenAddress.DEFAULT_HOST,
        ListenAddress.DEFAULT_HOST,
        0,
        4,
        startTimeoutMillis,
        1000,
        "64m",
        faultsTokenFile,
        warmUpRequests,
        AgentSettings.REPLICA_LIMITS.defaults(),
        null,
        null,
        null,
        null,
        null,
        reflection);
  }

  /** Calls the replica's server answered for {@code adder}, as its metrics count them. */
  private static long servedCalls(MetricRegistry registry) {
    return BucketHistogram.latency(
            registry,
            MetricNames.tagged(
                "replica.call.duration.seconds", "model", "adder", "replica", "eu-west-adder-0"))
        .getCount();
  }

  /** The status of a {@code ClearFaults} call with the admin token to {@code port}. */
  private static Status.Code clearFaults(int port) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(ListenAddress.DEFAULT_HOST, port).usePlaintext().build();
    try {
      FaultsClient.withToken(channel, FaultsClient.TOKEN)
          .clearFaults(ClearFaultsRequest.getDefaultInstance());
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    } finally {
      channel.shutdownNow();
    }
  }

  @Test
  void withFaultsOffFaultInjectionIsServedNowhere() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.BUILTIN, adder, ""), new MetricRegistry(), Ticker.SYSTEM, 0, () -> {})) {
      assertThat(replica.ready().faultsPort()).isZero();
      assertThat(clearFaults(replica.ready().port())).isEqualTo(Status.Code.UNIMPLEMENTED);
    }
  }

  @Test
  void withFaultsOnFaultInjectionIsServedOnItsOwnPortOnly() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    Path token = Files.writeString(dir.resolve("token"), FaultsClient.TOKEN);
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.BUILTIN, adder, "", 0, 10_000, token.toString()),
            new MetricRegistry(),
            Ticker.SYSTEM,
            0,
            () -> {})) {
      assertThat(replica.ready().faultsPort()).isPositive().isNotEqualTo(replica.ready().port());
      assertThat(clearFaults(replica.ready().faultsPort())).isEqualTo(Status.Code.OK);
      assertThat(clearFaults(replica.ready().port())).isEqualTo(Status.Code.UNIMPLEMENTED);
    }
  }

  @Test
  void withReflectionOnBothPortsListTheirServicesAndWithoutNeither() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    Path token = Files.writeString(dir.resolve("token"), FaultsClient.TOKEN);
    for (boolean reflection : List.of(true, false)) {
      try (ReplicaBootstrap replica =
          ReplicaBootstrap.start(
              spec(ModelType.BUILTIN, adder, "", 0, 10_000, token.toString(), reflection),
              new MetricRegistry(),
              Ticker.SYSTEM,
              0,
              () -> {})) {
        CompletableFuture<List<String>> inference = services(replica.ready().port());
        CompletableFuture<List<String>> faults = services(replica.ready().faultsPort());
        if (reflection) {
          assertThat(inference.get(10, TimeUnit.SECONDS))
              .contains(
                  "meridian.inference.v1.Inference",
                  "inference.GRPCInferenceService",
                  "grpc.reflection.v1.ServerReflection",
                  "grpc.channelz.v1.Channelz");
          assertThat(faults.get(10, TimeUnit.SECONDS))
              .contains("meridian.agent.v1.FaultInjection", "grpc.reflection.v1.ServerReflection");
        } else {
          for (CompletableFuture<List<String>> none : List.of(inference, faults)) {
            assertThat(none)
                .failsWithin(Duration.ofSeconds(10))
                .withThrowableOfType(ExecutionException.class)
                .havingCause()
                .isInstanceOfSatisfying(
                    StatusRuntimeException.class,
                    e -> assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNIMPLEMENTED));
          }
        }
      }
    }
  }

  /** The services the server on {@code port} lists through reflection; its channel then closes. */
  private static CompletableFuture<List<String>> services(int port) {
    ManagedChannel channel =
        NettyChannelBuilder.forAddress(ListenAddress.DEFAULT_HOST, port).usePlaintext().build();
    return ReflectedServices.of(channel).whenComplete((names, error) -> channel.shutdownNow());
  }

  @Test
  void anEmbeddedFeatureStoreServesEntityKeysUnderTheSameFaultControlsAsRedis() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    Path token = Files.writeString(dir.resolve("token"), FaultsClient.TOKEN);
    Path seed =
        Files.writeString(
            dir.resolve("seed.json"),
            "{\"entity\": \"card_id\", \"entities\": [{\"id\": \"c-1\", \"features\": {\"x0\": 3,"
                + " \"x1\": 4}}]}");
    ReplicaSpec plain = spec(ModelType.BUILTIN, adder, "", 2, 10_000, token.toString());
    FeatureInputs inputs =
        new FeatureInputs(
            "features",
            "card_id",
            List.of(
                new FeatureSpec("x0", -1, Duration.ofHours(1), Duration.ofHours(2)),
                new FeatureSpec("x1", -1, Duration.ofHours(1), Duration.ofHours(2))));
    ReplicaSpec withFeatures =
        ReplicaSpec.fromJson(
            new ReplicaSpec(
                    plain.region(),
                    plain.replicaId(),
                    plain.modelName(),
                    plain.modelVersion(),
                    plain.modelType(),
                    plain.modelPath(),
                    plain.fallbackPath(),
                    plain.host(),
                    plain.advertiseHost(),
                    plain.port(),
                    plain.maxConcurrentCalls(),
                    plain.startTimeoutMillis(),
                    plain.drainTimeoutMillis(),
                    plain.memoryLimit(),
                    plain.faultsTokenFile(),
                    plain.warmUpRequests(),
                    plain.limits(),
                    plain.tls(),
                    new FeatureStoreConfig("", "", seed.toString(), Duration.ofMillis(50), 10, ""),
                    inputs,
                    null,
                    null,
                    false)
                .toJson());
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(withFeatures, new MetricRegistry(), Ticker.SYSTEM, 0, () -> {})) {
      ManagedChannel channel =
          NettyChannelBuilder.forAddress(ListenAddress.DEFAULT_HOST, replica.ready().port())
              .usePlaintext()
              .build();
      ManagedChannel faults =
          NettyChannelBuilder.forAddress(ListenAddress.DEFAULT_HOST, replica.ready().faultsPort())
              .usePlaintext()
              .build();
      try {
        var stub = InferenceGrpc.newBlockingStub(channel);
        PredictRequest byCard = TestModels.byCard("adder", "c-1");
        PredictResponse fromStore = stub.predict(byCard);
        FaultsClient.withToken(faults, FaultsClient.TOKEN)
            .setFaults(SetFaultsRequest.newBuilder().addFailedFeatureStores("primary").build());
        PredictResponse fromCache = stub.predict(byCard);

        assertThat(fromStore.getOutputs(0).getContents().getFp32ContentsList())
            .containsExactly(12f);
        assertThat(fromStore.getFeatures().getPrimary()).isEqualTo(2);
        assertThat(fromCache.getOutputs(0).getContents().getFp32ContentsList())
            .containsExactly(12f);
        assertThat(fromCache.getFeatures().getCache()).isEqualTo(2);
      } finally {
        channel.shutdownNow();
        faults.shutdownNow();
      }
    }
  }

  @Test
  void reportsReadyOnlyOnceItsServerHasAnsweredTheWarmUpCalls() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    MetricRegistry registry = new MetricRegistry();
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.BUILTIN, adder, "", 25), registry, Ticker.SYSTEM, 0, () -> {})) {
      assertThat(replica.ready().answeringModel()).isEqualTo("adder");
      assertThat(servedCalls(registry)).as("answered by its gRPC Predict").isEqualTo(25);
    }
  }

  @Test
  void warmsUpTheFallbackWhenItIsWhatAnswers() throws Exception {
    Path broken = Files.writeString(dir.resolve("adder.onnx"), "not onnx");
    Path fallback =
        Files.writeString(dir.resolve("fallback.json"), TestAgentConfig.ADDER_FALLBACK_JSON);
    MetricRegistry registry = new MetricRegistry();
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.ONNX, broken, fallback.toString(), 10),
            registry,
            Ticker.SYSTEM,
            0,
            () -> {})) {
      assertThat(replica.ready().answeringModel()).isEqualTo("adder-fallback");
      assertThat(servedCalls(registry)).isEqualTo(10);
    }
  }

  @Test
  void failsWhenTheWarmUpOverrunsTheStartTimeout() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    assertThatThrownBy(
            () ->
                ReplicaBootstrap.start(
                    spec(ModelType.BUILTIN, adder, "", 1000, 1),
                    new MetricRegistry(),
                    Ticker.SYSTEM,
                    0,
                    () -> {}))
        .isInstanceOf(IllegalStateException.class)
        .hasMessageContaining("of 1000 failed: DEADLINE_EXCEEDED");
  }

  @Test
  void noWarmUpWhenDisabled() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    MetricRegistry registry = new MetricRegistry();
    ReplicaBootstrap.start(
            spec(ModelType.BUILTIN, adder, "", 0), registry, Ticker.SYSTEM, 0, () -> {})
        .close();

    assertThat(servedCalls(registry)).isZero();
  }

  @Test
  void servesThePrimaryAndReportsItsInputs() throws Exception {
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.BUILTIN, adder, ""), new MetricRegistry(), Ticker.SYSTEM, 0, () -> {})) {
      assertThat(replica.ready().answeringModel()).isEqualTo("adder");
      assertThat(replica.ready().fallback()).isEmpty();
      assertThat(replica.ready().inputs()).hasToString("[features FP32[-1, 2]]");
    }
  }

  @Test
  void servesThePreloadedFallbackWhenThePrimaryFailsToLoad() throws Exception {
    Path broken = Files.writeString(dir.resolve("adder.onnx"), "not onnx");
    Path fallback =
        Files.writeString(dir.resolve("fallback.json"), TestAgentConfig.ADDER_FALLBACK_JSON);
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.ONNX, broken, fallback.toString()),
            new MetricRegistry(),
            Ticker.SYSTEM,
            0,
            () -> {})) {
      assertThat(replica.ready().answeringModel()).isEqualTo("adder-fallback");
      assertThat(replica.ready().answeringVersion()).isEqualTo("7");
      assertThat(replica.ready().fallbackNote())
          .startsWith(
              "running on fallback model adder-fallback version 7: primary failed to load: "
                  + broken
                  + ": not an ONNX model");
    }
  }

  @Test
  void failsWhenThePrimaryFailsAndThereIsNoFallback() throws Exception {
    Path renamed =
        Files.writeString(
            dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON.replace("\"1\"", "\"2\""));
    assertThatThrownBy(
            () ->
                ReplicaBootstrap.start(
                    spec(ModelType.BUILTIN, renamed, ""),
                    new MetricRegistry(),
                    Ticker.SYSTEM,
                    0,
                    () -> {}))
        .isInstanceOf(ModelLoadException.class)
        .hasMessageContaining(
            "describes model 'adder' version '2' but the config serves 'adder' version '1'");
  }

  @Test
  void specAndReadyReportSurviveTheirJsonRoundTrips() throws Exception {
    ReplicaSpec spec = spec(ModelType.ONNX, dir.resolve("m.onnx"), "f.json");
    assertThat(ReplicaSpec.fromJson(spec.toJson())).isEqualTo(spec);
    Path adder = Files.writeString(dir.resolve("adder.json"), TestAgentConfig.ADDER_JSON);
    try (ReplicaBootstrap replica =
        ReplicaBootstrap.start(
            spec(ModelType.BUILTIN, adder, ""), new MetricRegistry(), Ticker.SYSTEM, 0, () -> {})) {
      assertThat(Handshake.parseReady(Handshake.ready(replica.ready()))).contains(replica.ready());
    }
    assertThat(Handshake.parseFailed(Handshake.failed("a\nb"))).contains("a b");
  }
}
