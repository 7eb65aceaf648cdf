package dev.meridian.deploy.topology;

import static org.assertj.core.api.Assertions.assertThat;

import dev.meridian.agent.config.AgentConfig;
import dev.meridian.agent.config.AgentConfigLoader;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The agent configs a topology writes, loaded as its agents load them. */
class TopologyFilesTest {
  @TempDir Path dir;

  private AgentConfig writeAndLoad(boolean faults) throws Exception {
    TopologyPlan plan =
        new TopologyPlan(
            dir,
            List.of("eu-west", "us-east"),
            1,
            1,
            21000,
            21002,
            21003,
            21004,
            Placement.ONE_MACHINE,
            faults);
    TopologyFiles files = new TopologyFiles(plan);
    files.write();
    return AgentConfigLoader.load(files.agentConfig("eu-west"));
  }

  @Test
  void aTestTopologyTurnsFaultsOnWithATokenFileInItsDirectory() throws Exception {
    AgentConfig agent = writeAndLoad(true);
    assertThat(agent.faultsTokenFile()).contains(dir.resolve("faults-token").toAbsolutePath());
    assertThat(Files.readString(dir.resolve("faults-token")).strip()).hasSize(48);
  }

  @Test
  void theDemoLeavesFaultsOffUnlessAsked() throws Exception {
    assertThat(writeAndLoad(false).faultsEnabled()).isFalse();
    assertThat(dir.resolve("faults-token")).doesNotExist();
  }
}
