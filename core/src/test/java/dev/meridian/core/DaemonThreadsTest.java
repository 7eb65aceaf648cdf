package dev.meridian.core;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.concurrent.ThreadFactory;
import org.junit.jupiter.api.Test;

class DaemonThreadsTest {
  @Test
  void namedThreadsAreDaemonsWithTheName() {
    Thread thread = DaemonThreads.named("worker").newThread(() -> {});

    assertThat(thread.isDaemon()).isTrue();
    assertThat(thread.getName()).isEqualTo("worker");
  }

  @Test
  void numberedThreadsCountFromOne() {
    ThreadFactory factory = DaemonThreads.numbered("pool");

    assertThat(factory.newThread(() -> {}).getName()).isEqualTo("pool-1");
    Thread second = factory.newThread(() -> {});
    assertThat(second.getName()).isEqualTo("pool-2");
    assertThat(second.isDaemon()).isTrue();
  }
}
