package dev.meridian.deploy.e2e;

import dev.meridian.controller.admin.Role;
import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.TopologyPlan;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.inference.v1.InferenceGrpc;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.CallOptions;
import io.grpc.ClientCall;
import io.grpc.ConnectivityState;
import io.grpc.ManagedChannel;
import io.grpc.Metadata;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import io.grpc.netty.shaded.io.grpc.netty.NettyChannelBuilder;
import io.grpc.stub.MetadataUtils;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.nio.file.Files;
import java.security.SecureRandom;
import java.util.EnumMap;
import java.util.HexFormat;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Consumer;
import org.awaitility.core.ConditionTimeoutException;

/**
 * Issue 12's hostile callers, each on its own connections while good callers keep calling: a
 * rapid-reset flood on one connection to the gateway, oversized names, admin calls without
 * credentials and with too little privilege, an admin call to a forged leader address (the
 * gateway's, whose certificate is the authority's but not a controller's), and a flood of bad
 * tokens; then an operator whose token was verified before the flood, from the same address.
 */
final class HostileCallers {
  /** Start-then-cancel streams on one connection: past the gateway's 1000 per second. */
  static final int RAPID_RESETS = 5000;

  static final int BAD_TOKENS = 200;
  private static final int REPEATS = 20;

  /**
   * What the hostile callers got.
   *
   * @param statuses per kind of caller, how many calls ended with each status
   * @param floodConnectionClosed whether the gateway closed the connection that reset its streams
   */
  record Outcome(Map<String, Map<Status.Code, Integer>> statuses, boolean floodConnectionClosed) {}

  private final LocalTopology topology;
  private final ConsulView consul;

  HostileCallers(LocalTopology topology, ConsulView consul) {
    this.topology = topology;
    this.consul = consul;
  }

  Outcome run() {
    Map<String, Map<Status.Code, Integer>> statuses = new LinkedHashMap<>();
    boolean closed = rapidReset();
    String longName = "m".repeat(10_000);
    count(statuses, "model name of 10000 chars", () -> predict(request(longName, "id")));
    count(
        statuses,
        "request id of 1000 chars",
        () -> predict(request("fraud-score", "r".repeat(1000))));
    String leader = consul.leader().orElseThrow();
    String operator = token(Role.OPERATOR);
    String viewer = token(Role.VIEWER);
    // Operators at work before the floods below: their tokens are verified, as they would be.
    list(leader, operator);
    list(leader, viewer);
    count(statuses, "viewer drains", () -> drain(leader, viewer, false));
    count(statuses, "operator forces a drain", () -> drain(leader, operator, true));
    TopologyPlan plan = topology.plan();
    count(
        statuses,
        "admin call to a forged leader address",
        () -> list(plan.gatewayHost() + ":" + plan.gatewayPort(), operator));
    // Fewer than the failure limit's burst, so each is answered for what it is.
    count(statuses, "admin call without credentials", 5, () -> list(leader, null));
    SecureRandom random = new SecureRandom();
    for (int i = 0; i < BAD_TOKENS; i++) {
      byte[] guess = new byte[16];
      random.nextBytes(guess);
      count(statuses, "bad tokens", 1, () -> list(leader, HexFormat.of().formatHex(guess)));
    }
    count(statuses, "operator during the flood", 1, () -> list(leader, operator));
    return new Outcome(statuses, closed);
  }

  /** Opens and cancels streams on one connection as fast as it can; was the connection closed? */
  private boolean rapidReset() {
    ManagedChannel channel = topology.gatewayChannel();
    try {
      InferenceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .predict(request("fraud-score", "before-the-flood"));
      AtomicInteger leftReady = new AtomicInteger();
      watch(channel, ConnectivityState.READY, leftReady);
      PredictRequest request = request("fraud-score", "reset");
      for (int i = 0; i < RAPID_RESETS && leftReady.get() == 0; i++) {
        ClientCall<PredictRequest, PredictResponse> call =
            channel.newCall(InferenceGrpc.getPredictMethod(), CallOptions.DEFAULT);
        call.start(new ClientCall.Listener<PredictResponse>() {}, new Metadata());
        call.sendMessage(request);
        call.cancel("rapid reset", null);
      }
      try {
        Waits.awaitUntil("the flooding connection closed", () -> leftReady.get() > 0);
        return true;
      } catch (ConditionTimeoutException e) {
        return false;
      }
    } finally {
      channel.shutdownNow();
    }
  }

  private static void watch(ManagedChannel channel, ConnectivityState from, AtomicInteger left) {
    channel.notifyWhenStateChanged(
        from,
        () -> {
          ConnectivityState now = channel.getState(false);
          if (from == ConnectivityState.READY && now != ConnectivityState.READY) {
            left.incrementAndGet();
          }
          if (now != ConnectivityState.SHUTDOWN) {
            watch(channel, now, left);
          }
        });
  }

  private void predict(PredictRequest request) {
    ManagedChannel channel = topology.gatewayChannel();
    try {
      InferenceGrpc.newBlockingStub(channel)
          .withDeadlineAfter(5, TimeUnit.SECONDS)
          .predict(request);
    } finally {
      channel.shutdownNow();
    }
  }

  private void list(String address, String token) {
    withAdmin(address, token, admin -> admin.listRegions(ListRegionsRequest.getDefaultInstance()));
  }

  private void drain(String address, String token, boolean force) {
    withAdmin(
        address,
        token,
        admin ->
            admin.drainRegion(
                DrainRegionRequest.newBuilder()
                    .setRegion(TopologyExtension.REGIONS.get(1))
                    .setReason("hostile caller")
                    .setForce(force)
                    .build()));
  }

  private void withAdmin(
      String address, String token, Consumer<RegionAdminGrpc.RegionAdminBlockingStub> call) {
    NettyChannelBuilder builder = topology.controllerChannel(address);
    if (token != null) {
      Metadata headers = new Metadata();
      headers.put(
          Metadata.Key.of("authorization", Metadata.ASCII_STRING_MARSHALLER), "Bearer " + token);
      builder.intercept(MetadataUtils.newAttachHeadersInterceptor(headers));
    }
    ManagedChannel channel = builder.build();
    try {
      call.accept(RegionAdminGrpc.newBlockingStub(channel).withDeadlineAfter(10, TimeUnit.SECONDS));
    } finally {
      channel.shutdownNow();
    }
  }

  private String token(Role role) {
    try {
      return Files.readString(topology.plan().tokenFile(role)).trim();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
  }

  private static PredictRequest request(String model, String requestId) {
    return DemoModels.request().toBuilder().setModelName(model).setRequestId(requestId).build();
  }

  /** Runs {@code call} {@value #REPEATS} times and counts its statuses. */
  private static void count(
      Map<String, Map<Status.Code, Integer>> statuses, String kind, Runnable call) {
    count(statuses, kind, REPEATS, call);
  }

  private static void count(
      Map<String, Map<Status.Code, Integer>> statuses, String kind, int times, Runnable call) {
    Map<Status.Code, Integer> counts =
        statuses.computeIfAbsent(kind, key -> new EnumMap<>(Status.Code.class));
    for (int i = 0; i < times; i++) {
      Status.Code code;
      try {
        call.run();
        code = Status.Code.OK;
      } catch (StatusRuntimeException e) {
        code = e.getStatus().getCode();
      }
      counts.merge(code, 1, Integer::sum);
    }
  }
}
