package dev.meridian.deploy.e2e;

import java.io.IOException;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Sends POSIX signals with kill(1): ProcessHandle can only terminate processes, and stopping and
 * continuing them (a frozen host, a stalled VM) needs SIGSTOP and SIGCONT. All processes get the
 * signal from one kill(1) call, so a region freezes or dies at once, not one process at a time.
 */
final class Signals {
  private Signals() {}

  static void send(String signal, long... pids) {
    List<String> command = new ArrayList<>(List.of("kill", signal));
    for (long pid : pids) {
      command.add(Long.toString(pid));
    }
    try {
      Process kill = new ProcessBuilder(command).inheritIO().start();
      if (!kill.waitFor(5, TimeUnit.SECONDS) || kill.exitValue() != 0) {
        throw new IllegalStateException(String.join(" ", command) + " failed");
      }
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException("interrupted running " + String.join(" ", command), e);
    }
  }
}
