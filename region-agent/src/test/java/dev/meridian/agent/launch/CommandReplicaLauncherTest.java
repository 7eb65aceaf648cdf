package dev.meridian.agent.launch;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.catchThrowableOfType;
import static org.awaitility.Awaitility.await;

import dev.meridian.agent.config.AgentSettings;
import dev.meridian.agent.config.OipServer;
import dev.meridian.agent.model.ModelType;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TransportSecurity;
import java.time.Duration;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.Test;

/** An external OIP server's command that never serves fails to start, saying why. */
class CommandReplicaLauncherTest {
  private static ReplicaSpec spec() {
    return new ReplicaSpec(
        "eu-west",
        "eu-west-resnet-0",
        "resnet",
        "1",
        ModelType.OIP,
        "",
        "",
        ListenAddress.DEFAULT_HOST,
        ListenAddress.DEFAULT_HOST,
        0,
        4,
        1_000,
        1_000,
        "64m",
        "",
        0,
        AgentSettings.REPLICA_LIMITS.defaults(),
        null,
        null,
        null,
        null,
        null,
        false);
  }

  private static ReplicaStartException launchFails(List<String> argv) {
    try (TransportSecurity plaintext = TransportSecurity.of(Optional.empty())) {
      return catchThrowableOfType(
          ReplicaStartException.class,
          () -> new CommandReplicaLauncher(new OipServer.Command(argv), plaintext).launch(spec()));
    }
  }

  @Test
  void aServerThatExitsBeforeItIsReadyIsDescribedByItsExitCodeAlone() {
    ReplicaStartException e = launchFails(List.of("sh", "-c", "exit 3", "{port}"));

    assertThat(e).hasMessage("OIP server exited with code 3 (failed) before it was ready");
  }

  @Test
  void aServerThatNeverServesTimesOutAndIsStopped() {
    ReplicaStartException e = launchFails(List.of("sleep", "600", "{port}"));

    assertThat(e.getMessage())
        .startsWith("the OIP server at 127.0.0.1:")
        .contains(
            "did not serve model 'resnet' version '1' within 1000ms; last: ModelReady failed:");
    // The timed-out server is stopped.
    await()
        .atMost(Duration.ofSeconds(10))
        .until(() -> ProcessHandle.current().children().noneMatch(ProcessHandle::isAlive));
  }
}
