package dev.meridian.deploy.topology.net;

import dev.meridian.core.JavaCommand;
import java.io.BufferedReader;
import java.io.IOException;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.UncheckedIOException;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.BlockingQueue;
import java.util.concurrent.LinkedBlockingQueue;
import java.util.concurrent.TimeUnit;

/** A {@link NetProbe} JVM running inside one lab host's namespace, and the test's line to it. */
final class ProbeAgent implements AutoCloseable {
  private static final Duration START_TIMEOUT = Duration.ofSeconds(30);
  private static final Duration ANSWER_MARGIN = Duration.ofSeconds(5);

  private final Host host;
  private final Process process;
  private final Writer commands;
  private final BlockingQueue<String> answers = new LinkedBlockingQueue<>();

  private ProbeAgent(Host host, Process process) {
    this.host = host;
    this.process = process;
    this.commands = new OutputStreamWriter(process.getOutputStream(), StandardCharsets.UTF_8);
    Thread reader =
        new Thread(
            () -> {
              try (BufferedReader lines =
                  new BufferedReader(
                      new InputStreamReader(process.getInputStream(), StandardCharsets.UTF_8))) {
                for (String line = lines.readLine(); line != null; line = lines.readLine()) {
                  answers.add(line);
                }
              } catch (IOException e) {
                answers.add("error reading the probe: " + e);
              }
              answers.add("exited");
            },
            "probe-" + host.name());
    reader.setDaemon(true);
    reader.start();
  }

  /** Starts a probe in {@code host}'s namespace; {@link #awaitReady()} waits for it. */
  static ProbeAgent start(Host host) {
    List<String> java =
        JavaCommand.sameClasspath(
            "32m",
            List.of("-XX:+UseSerialGC", "-XX:TieredStopAtLevel=1", "-Xshare:auto"),
            NetProbe.class.getName(),
            List.of());
    try {
      Process process =
          new ProcessBuilder(host.command(java))
              .redirectError(ProcessBuilder.Redirect.INHERIT)
              .start();
      return new ProbeAgent(host, process);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot start a probe in " + host, e);
    }
  }

  ProbeAgent awaitReady() {
    String first = next(START_TIMEOUT, "start");
    if (!first.equals("ready")) {
      throw new AssertionError("probe in " + host + " said " + first + " instead of ready");
    }
    return this;
  }

  long pid() {
    return process.pid();
  }

  /** Listens for TCP on the host's lab address; returns the port. */
  int tcpListen() {
    return listeningPort(ask("tcp-listen " + host.ip(), Duration.ZERO));
  }

  /** Listens for UDP on the host's lab address; returns the port. */
  int udpListen() {
    return listeningPort(ask("udp-listen " + host.ip(), Duration.ZERO));
  }

  /** Connects from this host to {@code to}; the answer as {@link NetProbe#tcpConnect} gives it. */
  String tcpConnect(Host to, int port, Duration timeout) {
    return ask("tcp-connect " + to.ip() + " " + port + " " + timeout.toMillis(), timeout);
  }

  String udpSend(Host to, int port, String text) {
    return ask("udp-send " + to.ip() + " " + port + " " + text, Duration.ZERO);
  }

  /** Waits up to {@code timeout} for the datagram {@code text} on {@link #udpListen()}'s socket. */
  String udpReceive(String text, Duration timeout) {
    return ask("udp-receive " + text + " " + timeout.toMillis(), timeout);
  }

  private String ask(String command, Duration takes) {
    try {
      commands.write(command + "\n");
      commands.flush();
    } catch (IOException e) {
      throw new UncheckedIOException("probe in " + host + " is gone", e);
    }
    return next(takes.plus(ANSWER_MARGIN), command);
  }

  private String next(Duration timeout, String what) {
    try {
      String answer = answers.poll(timeout.toMillis(), TimeUnit.MILLISECONDS);
      if (answer == null) {
        throw new AssertionError(
            "probe in " + host + " gave no answer to " + what + " in " + timeout);
      }
      return answer;
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new AssertionError("interrupted waiting for the probe in " + host, e);
    }
  }

  private int listeningPort(String answer) {
    if (!answer.startsWith("listening ")) {
      throw new AssertionError("probe in " + host + " could not listen: " + answer);
    }
    return Integer.parseInt(answer.substring("listening ".length()));
  }

  @Override
  public void close() {
    try {
      commands.close(); // end of input: the probe exits
      if (!process.waitFor(5, TimeUnit.SECONDS)) {
        process.destroyForcibly().waitFor(5, TimeUnit.SECONDS);
      }
    } catch (IOException e) {
      process.destroyForcibly();
    } catch (InterruptedException e) {
      process.destroyForcibly();
      Thread.currentThread().interrupt();
    }
  }
}
