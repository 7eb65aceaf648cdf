package dev.meridian.deploy.topology;

import static dev.meridian.deploy.topology.TopologyFiles.FALLBACK_MODEL;
import static dev.meridian.deploy.topology.TopologyFiles.MODEL;
import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.AgentConfigLoader;
import dev.meridian.agent.config.ModelConfig;
import dev.meridian.agent.model.Model;
import dev.meridian.agent.model.ModelType;
import dev.meridian.controller.ControllerConfig;
import dev.meridian.controller.ControllerConfigFile;
import dev.meridian.controller.admin.OperatorDirectory;
import dev.meridian.controller.admin.Role;
import dev.meridian.core.Ticker;
import dev.meridian.core.config.ConfigNode;
import dev.meridian.core.tracing.TracingConfig;
import dev.meridian.gateway.GatewayConfigLoader;
import java.io.IOException;
import java.net.URI;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The files a local topology writes, loaded as its roles load them: the admin RPC's tokens,
 * operators file and controller auth, and the agents' fault-injection settings.
 */
class TopologyFilesTest {
  @TempDir Path directory;

  private TopologyPlan plan() {
    return new TopologyPlan(
        directory,
        List.of("eu-west", "us-east"),
        1,
        TopologyPlan.DEFAULT_REPLICA_CAPACITY,
        1,
        8500,
        7400,
        8443,
        9460,
        Placement.ONE_MACHINE,
        false,
        Optional.empty(),
        false);
  }

  @Test
  void controllersAdmitADemoOperatorPerRoleWhoseTokensSurviveARewrite() throws IOException {
    TopologyPlan plan = plan();
    new TopologyFiles(plan).write();
    String operatorToken = Files.readString(plan.tokenFile(Role.OPERATOR)).trim();
    new TopologyFiles(plan).write();

    assertThat(Files.readString(plan.tokenFile(Role.OPERATOR)).trim()).isEqualTo(operatorToken);
    ControllerConfig controller =
        ControllerConfigFile.load(new TopologyFiles(plan).controllerConfig(0), Map.of());
    assertThat(controller.auth().operatorsFile()).hasValue(plan.operatorsFile().toAbsolutePath());
    OperatorDirectory operators = controller.auth().directory(Ticker.SYSTEM);
    for (Role role : Role.values()) {
      String token = Files.readString(plan.tokenFile(role)).trim();
      assertThat(operators.byToken(token))
          .as(role.label())
          .hasValueSatisfying(
              operator -> {
                assertThat(operator.name()).isEqualTo("demo-" + role.label());
                assertThat(operator.role()).isEqualTo(role);
              });
    }
    assertThat(Files.readString(plan.operatorsFile())).doesNotContain(operatorToken);
  }

  private AgentConfig writeAndLoad(boolean faults) throws Exception {
    TopologyFiles files = new TopologyFiles(plan(faults, Optional.empty()));
    files.write();
    return AgentConfigLoader.load(files.agentConfig("eu-west"));
  }

  private TopologyPlan plan(boolean faults, Optional<TracingConfig> tracing) {
    return new TopologyPlan(
        directory,
        List.of("eu-west", "us-east"),
        1,
        TopologyPlan.DEFAULT_REPLICA_CAPACITY,
        1,
        21000,
        21002,
        21003,
        21004,
        Placement.ONE_MACHINE,
        faults,
        tracing,
        false);
  }

  @Test
  void tracingReachesTheGatewayAndEveryAgentOnlyWhenAsked() throws Exception {
    TracingConfig tracing =
        new TracingConfig(URI.create("http://collector.internal:4318/v1/traces"), 0.25);
    TopologyFiles files = new TopologyFiles(plan(false, Optional.of(tracing)));
    files.write();

    for (String region : List.of("eu-west", "us-east")) {
      assertThat(AgentConfigLoader.load(files.agentConfig(region)).tracing()).contains(tracing);
    }
    assertThat(
            GatewayConfigLoader.load(ConfigNode.load(files.gatewayConfig()), name -> null)
                .tracing())
        .contains(tracing);
    assertThat(writeAndLoad(false).tracing()).isEmpty();
  }

  @Test
  void agentsServeTheOnnxPrimaryWithTheBuiltInModelAsItsFallback() throws Exception {
    List<ModelConfig> models = writeAndLoad(false).models();

    assertThat(models).extracting(ModelConfig::name).containsExactly(MODEL, FALLBACK_MODEL);
    assertThat(models)
        .extracting(ModelConfig::type)
        .containsExactly(ModelType.ONNX, ModelType.BUILTIN);
    ModelConfig primary = models.get(0);
    assertThat(primary.path().orElseThrow().getFileName()).hasToString(MODEL + ".onnx");
    assertThat(primary.fallback()).isEqualTo(models.get(1).path());
    for (ModelConfig model : models) {
      try (Model loaded =
          model.type().load(model.path().orElseThrow(), model.name(), model.version())) {
        assertThat(loaded.signature().inputs()).hasToString("[features FP32[-1, 4]]");
      }
    }
  }

  @Test
  void aTestTopologyTurnsFaultsOnWithATokenFileInItsDirectory() throws Exception {
    AgentConfig agent = writeAndLoad(true);
    assertThat(agent.faultsTokenFile())
        .contains(directory.resolve("faults-token").toAbsolutePath());
    assertThat(Files.readString(directory.resolve("faults-token")).strip()).hasSize(48);
  }

  @Test
  void theDemoLeavesFaultsOffUnlessAsked() throws Exception {
    assertThat(writeAndLoad(false).faultsEnabled()).isFalse();
    assertThat(directory.resolve("faults-token")).doesNotExist();
  }
}
