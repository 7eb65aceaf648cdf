package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.meridian.controller.consul.Leadership;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.DrainRegionResponse;
import dev.meridian.proto.admin.v1.GetRoutingTableRequest;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.ListRegionsResponse;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.UndrainRegionResponse;
import dev.meridian.proto.routing.v1.RoutingTable;
import io.grpc.Status;
import io.grpc.StatusException;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.ServerCallStreamObserver;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Optional;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The admin service behind authentication and auditing, over in-process gRPC. */
class RegionAdminServiceTest {
  private static final String TOKEN = TestOperators.OPERATOR_TOKEN;

  @TempDir Path directory;
  private AdminServerFixture fixture;
  private volatile boolean leading = true;
  private volatile Optional<String> leader = Optional.of("10.0.0.7:7400");
  private final List<String> calls = new ArrayList<>();

  /** Records calls, and what the audit log held when each arrived. */
  private final RegionControl control =
      new RegionControl() {
        @Override
        public DrainRegionResponse drain(DrainRegionRequest request, String who)
            throws StatusException {
          calls.add("drain " + request.getRegion() + " by " + who + " audited=" + auditLines());
          if (request.getRegion().equals("nowhere")) {
            throw Status.NOT_FOUND.withDescription("region 'nowhere' is unknown").asException();
          }
          return DrainRegionResponse.newBuilder().setDryRun(request.getDryRun()).build();
        }

        @Override
        public UndrainRegionResponse undrain(UndrainRegionRequest request, String who) {
          calls.add("undrain " + request.getRegion());
          return UndrainRegionResponse.getDefaultInstance();
        }

        @Override
        public RoutingTable table(String model) {
          return RoutingTable.newBuilder().setModelName(model).build();
        }

        @Override
        public ListRegionsResponse regions() {
          return ListRegionsResponse.getDefaultInstance();
        }

        @Override
        public void watch(String model, ServerCallStreamObserver<RoutingTable> observer) {
          observer.onCompleted();
        }
      };

  private final Leadership leadership =
      new Leadership() {
        @Override
        public boolean isLeader() {
          return leading;
        }

        @Override
        public boolean confirm() {
          return leading;
        }

        @Override
        public Optional<String> leader() {
          return leader;
        }
      };

  @BeforeEach
  void start() throws IOException {
    fixture = new AdminServerFixture(directory, control, leadership);
  }

  @AfterEach
  void stop() throws IOException {
    fixture.close();
  }

  private RegionAdminGrpc.RegionAdminBlockingStub stub(String authorization) {
    return fixture.stub("10.0.0.1", authorization);
  }

  private List<JsonObject> auditLines() {
    return fixture.auditLines();
  }

  private static DrainRegionRequest drain(String region, String reason) {
    return DrainRegionRequest.newBuilder().setRegion(region).setReason(reason).build();
  }

  private static Status.Code code(Runnable call) {
    try {
      call.run();
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @Test
  void callWithoutTokenIsUnauthenticatedAndAudited() {
    assertThatThrownBy(() -> stub(null).drainRegion(drain("eu-west", "x")))
        .isInstanceOfSatisfying(
            StatusRuntimeException.class,
            e -> {
              assertThat(e.getStatus().getCode()).isEqualTo(Status.Code.UNAUTHENTICATED);
              assertThat(e.getStatus().getDescription()).contains("authorization: Bearer");
            });
    assertThat(code(() -> stub("Basic abc").drainRegion(drain("eu-west", "x"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    assertThat(calls).isEmpty();
    JsonObject line = auditLines().get(0);
    assertThat(line.get("who").getAsString()).startsWith("peer:");
    assertThat(line.get("action").getAsString())
        .isEqualTo("meridian.admin.v1.RegionAdmin/DrainRegion");
    assertThat(line.get("result").getAsString()).isEqualTo("UNAUTHENTICATED");
    assertThat(line.get("time").getAsString()).isEqualTo("2026-01-02T03:04:05Z");
  }

  @Test
  void wrongTokenIsUnauthenticatedAndAuditedWithoutTheToken() throws IOException {
    assertThat(code(() -> stub("Bearer wrong").drainRegion(drain("eu-west", "x"))))
        .isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(
            code(
                () ->
                    stub("Bearer " + TOKEN + "x")
                        .listRegions(ListRegionsRequest.getDefaultInstance())))
        .isEqualTo(Status.Code.UNAUTHENTICATED);

    assertThat(calls).isEmpty();
    assertThat(auditLines())
        .extracting(line -> line.get("result").getAsString())
        .containsExactly("UNAUTHENTICATED", "UNAUTHENTICATED");
    assertThat(Files.readString(fixture.auditFile)).doesNotContain("wrong").doesNotContain(TOKEN);
  }

  @Test
  void admittedCallIsAuditedBeforeItTakesEffectAndItsResultAfter() {
    DrainRegionResponse response =
        stub("Bearer " + TOKEN)
            .drainRegion(drain("eu-west", "kernel upgrade").toBuilder().setDryRun(true).build());

    assertThat(response.getDryRun()).isTrue();
    assertThat(calls)
        .singleElement()
        .asString()
        .startsWith("drain eu-west by operator:otto@/10.0.0.1:50000");
    assertThat(calls.get(0)).as("attempt line written first").contains("\"phase\":\"attempt\"");
    List<JsonObject> lines = auditLines();
    assertThat(lines).hasSize(2);
    assertThat(lines.get(0).get("phase").getAsString()).isEqualTo("attempt");
    assertThat(lines.get(0).getAsJsonObject("request").get("reason").getAsString())
        .isEqualTo("kernel upgrade");
    assertThat(lines.get(0).get("who").getAsString()).isEqualTo("operator:otto@/10.0.0.1:50000");
    assertThat(lines.get(1).get("phase").getAsString()).isEqualTo("result");
    assertThat(lines.get(1).get("call")).isEqualTo(lines.get(0).get("call"));
    assertThat(lines.get(1).get("result").getAsString()).isEqualTo("OK");
  }

  @Test
  void failuresAreAuditedWithTheirStatus() {
    assertThat(code(() -> stub("Bearer " + TOKEN).drainRegion(drain("nowhere", "x"))))
        .isEqualTo(Status.Code.NOT_FOUND);

    JsonObject result = auditLines().get(1);
    assertThat(result.get("result").getAsString()).isEqualTo("NOT_FOUND");
    assertThat(result.get("detail").getAsString()).contains("nowhere");
  }

  @Test
  void missingRegionOrReasonIsInvalidArgument() {
    RegionAdminGrpc.RegionAdminBlockingStub admin = stub("Bearer " + TOKEN);

    assertThatThrownBy(() -> admin.drainRegion(drain("", "x")))
        .hasMessage("INVALID_ARGUMENT: region: missing (expected: a non-empty value)");
    assertThatThrownBy(() -> admin.drainRegion(drain("eu-west", " ")))
        .hasMessage("INVALID_ARGUMENT: reason: missing (expected: a non-empty value)");
    assertThatThrownBy(
            () -> admin.undrainRegion(UndrainRegionRequest.newBuilder().setRegion("x").build()))
        .hasMessageContaining("reason: missing");
    assertThatThrownBy(() -> admin.getRoutingTable(GetRoutingTableRequest.getDefaultInstance()))
        .hasMessageContaining("model_name: missing");
    assertThat(calls).isEmpty();
  }

  @Test
  void standbyAnswersUnavailableAndNamesTheLeaderInTextAndTrailer() {
    leading = false;

    assertThatThrownBy(() -> stub("Bearer " + TOKEN).drainRegion(drain("eu-west", "x")))
        .hasMessage(
            "UNAVAILABLE: this controller is a standby: the leader is 10.0.0.7:7400; call it"
                + " instead")
        .satisfies(
            failure ->
                assertThat(RegionAdminService.leaderOf((StatusRuntimeException) failure))
                    .contains("10.0.0.7:7400"));
    assertThat(calls).isEmpty();
  }

  @Test
  void standbyDuringAnElectionSaysSoAndGivesNoLeader() {
    leading = false;
    leader = Optional.empty();

    assertThatThrownBy(
            () -> stub("Bearer " + TOKEN).listRegions(ListRegionsRequest.getDefaultInstance()))
        .hasMessageContaining("no controller leads right now")
        .satisfies(
            failure ->
                assertThat(RegionAdminService.leaderOf((StatusRuntimeException) failure))
                    .isEmpty());
  }

  @Test
  void otherFailuresGiveNoLeader() {
    assertThat(
            RegionAdminService.leaderOf(
                Status.PERMISSION_DENIED.withDescription("x").asRuntimeException()))
        .isEmpty();
  }

  @Test
  void callIsRefusedWhenTheAuditLogCannotBeWritten() throws IOException {
    fixture.audit.close();

    assertThatThrownBy(() -> stub("Bearer " + TOKEN).drainRegion(drain("eu-west", "x")))
        .hasMessageContaining("UNAVAILABLE: the audit log cannot be written")
        .hasMessageContaining("nothing was done");
    assertThat(calls).isEmpty();
  }
}
