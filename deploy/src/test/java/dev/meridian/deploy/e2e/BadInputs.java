package dev.meridian.deploy.e2e;

import dev.meridian.deploy.bench.InferenceClient;
import dev.meridian.deploy.bench.LoadGenerator;
import dev.meridian.deploy.gameday.CallLog;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.proto.inference.v1.PredictRequest;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Random;
import java.util.TreeMap;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import java.util.concurrent.TimeUnit;

/**
 * Sends what a gateway must refuse, alongside the good load of a scenario: malformed tensors,
 * unknown models, messages over the 4 MiB limit (each a stream of calls at its own rate), and
 * connections that write garbage bytes instead of HTTP/2. Each kind's calls are counted by status.
 */
final class BadInputs {
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(5);
  private static final int GARBAGE_BYTES = 64 * 1024;
  private static final Duration GARBAGE_EVERY = Duration.ofMillis(500);

  /**
   * One kind of bad call.
   *
   * @param name for the report
   * @param request what is sent
   * @param ratePerSecond how often
   * @param expected the status the gateway must answer with
   */
  record Kind(String name, PredictRequest request, int ratePerSecond, Status.Code expected) {}

  /**
   * What the gateway answered.
   *
   * @param statuses per kind, its calls by status
   * @param garbageConnections connections that wrote garbage
   * @param garbageClosed of those, how many the gateway closed
   */
  record Outcome(
      Map<String, Map<String, Long>> statuses, int garbageConnections, int garbageClosed) {}

  private final LocalTopology topology;

  BadInputs(LocalTopology topology) {
    this.topology = topology;
  }

  /** The kinds of bad call sent. */
  static List<Kind> kinds() {
    PredictRequest valid = DemoModels.request();
    return List.of(
        new Kind(
            "shape and contents disagree",
            valid.toBuilder().setInputs(0, DemoModels.features(4, 3)).build(),
            20,
            Status.Code.INVALID_ARGUMENT),
        new Kind(
            "unknown model",
            valid.toBuilder().setModelName("no-such-model").build(),
            20,
            Status.Code.NOT_FOUND),
        // 1.1 M floats: about 4.4 MB on the wire, over the gateway's 4 MiB limit.
        new Kind(
            "message over 4 MiB",
            valid.toBuilder().setInputs(0, DemoModels.features(1_100_000, 1_100_000)).build(),
            2,
            Status.Code.RESOURCE_EXHAUSTED));
  }

  /** Sends every kind for {@code window} and a garbage connection every half second. */
  Outcome run(Duration window) throws Exception {
    ManagedChannel channel = topology.gatewayChannel();
    List<Kind> kinds = kinds();
    ExecutorService threads = Executors.newFixedThreadPool(kinds.size() + 1);
    try {
      Map<String, CallLog> logs = new TreeMap<>();
      List<Future<?>> running = new ArrayList<>();
      for (Kind kind : kinds) {
        CallLog log = new CallLog();
        logs.put(kind.name(), log);
        LoadGenerator load =
            new LoadGenerator(
                new InferenceClient(channel, InferenceClient.Protocol.PREDICT),
                kind.request(),
                CALL_TIMEOUT,
                log);
        running.add(
            threads.submit(
                () -> {
                  load.openLoop(kind.ratePerSecond(), window);
                  return null;
                }));
      }
      int connections = (int) (window.toMillis() / GARBAGE_EVERY.toMillis());
      Future<Integer> garbage = threads.submit(() -> garbageConnections(connections));
      for (Future<?> load : running) {
        load.get(window.toSeconds() + CALL_TIMEOUT.toSeconds() + 5, TimeUnit.SECONDS);
      }
      int closed = garbage.get(window.toSeconds() + 30, TimeUnit.SECONDS);
      Map<String, Map<String, Long>> statuses = new TreeMap<>();
      logs.forEach((kind, log) -> statuses.put(kind, byStatus(log)));
      return new Outcome(statuses, connections, closed);
    } finally {
      threads.shutdownNow();
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
    }
  }

  private int garbageConnections(int connections) throws IOException, InterruptedException {
    Random random = new Random(7);
    int closed = 0;
    for (int i = 0; i < connections; i++) {
      byte[] garbage = new byte[GARBAGE_BYTES];
      random.nextBytes(garbage);
      if (closedByGateway(garbage)) {
        closed++;
      }
      // Paces the connections over the window; what is counted does not depend on it.
      TimeUnit.MILLISECONDS.sleep(GARBAGE_EVERY.toMillis());
    }
    return closed;
  }

  /** Writes {@code garbage} and reports whether the gateway then closed the connection. */
  private boolean closedByGateway(byte[] garbage) throws IOException {
    try (Socket socket = new Socket(topology.plan().gatewayHost(), topology.plan().gatewayPort())) {
      socket.setSoTimeout((int) CALL_TIMEOUT.toMillis());
      try {
        OutputStream out = socket.getOutputStream();
        out.write(garbage);
        out.flush();
        InputStream in = socket.getInputStream();
        byte[] buffer = new byte[4096];
        while (in.read(buffer) >= 0) {
          // What the gateway answers (e.g. a GOAWAY frame) is read and dropped until it closes.
        }
        return true;
      } catch (SocketTimeoutException e) {
        return false;
      } catch (IOException e) {
        // A reset or a broken pipe: the gateway closed the connection while we wrote.
        return true;
      }
    }
  }

  private static Map<String, Long> byStatus(CallLog log) {
    Map<String, Long> statuses = new TreeMap<>();
    log.calls().forEach(call -> statuses.merge(call.status(), 1L, Long::sum));
    return statuses;
  }
}
