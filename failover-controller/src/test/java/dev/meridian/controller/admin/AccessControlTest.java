package dev.meridian.controller.admin;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import com.google.gson.JsonObject;
import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.GetRoutingTableRequest;
import dev.meridian.proto.admin.v1.ListRegionsRequest;
import dev.meridian.proto.admin.v1.RegionAdminGrpc.RegionAdminBlockingStub;
import dev.meridian.proto.admin.v1.UndrainRegionRequest;
import dev.meridian.proto.admin.v1.WatchRoutingTablesRequest;
import io.grpc.Status;
import io.grpc.StatusRuntimeException;
import java.io.IOException;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.function.Consumer;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Who may do what over the admin RPC: the role matrix, certificate identities, and the limit on
 * failed authentications, through the interceptors the controller serves.
 */
class AccessControlTest {
  private static final Map<String, String> TOKENS =
      Map.of(
          "viewer", TestOperators.VIEWER_TOKEN,
          "operator", TestOperators.OPERATOR_TOKEN,
          "admin", TestOperators.ADMIN_TOKEN);

  private static final Map<String, Consumer<RegionAdminBlockingStub>> CALLS =
      Map.of(
          "get",
          admin ->
              admin.getRoutingTable(GetRoutingTableRequest.newBuilder().setModelName("m").build()),
          "list",
          admin -> admin.listRegions(ListRegionsRequest.getDefaultInstance()),
          "watch",
          admin ->
              admin
                  .watchRoutingTables(WatchRoutingTablesRequest.getDefaultInstance())
                  .forEachRemaining(table -> {}),
          "drain",
          admin -> admin.drainRegion(drain().build()),
          "dry-run",
          admin -> admin.drainRegion(drain().setDryRun(true).build()),
          "forced-dry-run",
          admin -> admin.drainRegion(drain().setDryRun(true).setForce(true).build()),
          "undrain",
          admin ->
              admin.undrainRegion(
                  UndrainRegionRequest.newBuilder().setRegion("eu-west").setReason("r").build()),
          "forced-drain",
          admin -> admin.drainRegion(drain().setForce(true).build()));

  @TempDir Path directory;
  private AdminServerFixture fixture;
  private final StubControl control = new StubControl();

  @BeforeEach
  void start() throws IOException {
    fixture = new AdminServerFixture(directory, control, control);
  }

  @AfterEach
  void stop() throws IOException {
    fixture.close();
  }

  private static DrainRegionRequest.Builder drain() {
    return DrainRegionRequest.newBuilder().setRegion("eu-west").setReason("r");
  }

  private static Status.Code code(RegionAdminBlockingStub admin, String call) {
    try {
      CALLS.get(call).accept(admin);
      return Status.Code.OK;
    } catch (StatusRuntimeException e) {
      return e.getStatus().getCode();
    }
  }

  @ParameterizedTest(name = "{0} {1}: {2}")
  @CsvSource({
    "viewer, get, OK",
    "viewer, list, OK",
    "viewer, watch, OK",
    "viewer, drain, PERMISSION_DENIED",
    "viewer, dry-run, PERMISSION_DENIED",
    "viewer, undrain, PERMISSION_DENIED",
    "viewer, forced-drain, PERMISSION_DENIED",
    "operator, get, OK",
    "operator, list, OK",
    "operator, watch, OK",
    "operator, drain, OK",
    "operator, dry-run, OK",
    "operator, forced-dry-run, OK",
    "operator, undrain, OK",
    "operator, forced-drain, PERMISSION_DENIED",
    "admin, get, OK",
    "admin, list, OK",
    "admin, watch, OK",
    "admin, drain, OK",
    "admin, dry-run, OK",
    "admin, undrain, OK",
    "admin, forced-drain, OK",
  })
  void roleMatrix(String role, String call, Status.Code expected) {
    assertThat(code(fixture.bearer(TOKENS.get(role)), call)).isEqualTo(expected);
  }

  @Test
  void tooLittlePrivilegeNamesTheRoleNeededAndTheCallersAndIsAudited() {
    assertThatThrownBy(
            () ->
                fixture
                    .bearer(TestOperators.OPERATOR_TOKEN)
                    .drainRegion(drain().setForce(true).build()))
        .hasMessage(
            "PERMISSION_DENIED: a forced DrainRegion needs role admin;"
                + " operator:otto@/10.0.0.1:50000 has role operator");
    assertThatThrownBy(
            () -> fixture.bearer(TestOperators.VIEWER_TOKEN).drainRegion(drain().build()))
        .hasMessage(
            "PERMISSION_DENIED: DrainRegion needs role operator;"
                + " operator:vera@/10.0.0.1:50000 has role viewer");

    assertThat(control.handled).isEmpty();
    List<JsonObject> lines = fixture.auditLines();
    assertThat(lines)
        .extracting(line -> line.get("phase").getAsString())
        .containsExactly("attempt", "result", "attempt", "result");
    assertThat(lines.get(1).get("result").getAsString()).isEqualTo("PERMISSION_DENIED");
    assertThat(fixture.refusals("role")).isEqualTo(2);
  }

  @Test
  void noCredentialsSaysWhatToSend() {
    assertThatThrownBy(
            () ->
                fixture.stub("10.0.0.1", null).listRegions(ListRegionsRequest.getDefaultInstance()))
        .hasMessage(
            "UNAUTHENTICATED: missing credentials: send metadata 'authorization: Bearer <token>'"
                + " (or, over TLS, a client certificate an operator is known by)");
    assertThat(fixture.refusals("missing_credentials")).isEqualTo(1);
  }

  @Test
  void clientCertificateIdentifiesItsOperatorAndATokenWinsOverIt() {
    fixture.stub("10.0.0.1", null, true).listRegions(ListRegionsRequest.getDefaultInstance());
    assertThat(code(fixture.stub("10.0.0.1", null, true), "drain"))
        .isEqualTo(Status.Code.PERMISSION_DENIED);
    fixture
        .stub("10.0.0.1", "Bearer " + TestOperators.OPERATOR_TOKEN, true)
        .drainRegion(drain().build());

    assertThat(fixture.auditLines())
        .extracting(line -> line.get("who").getAsString())
        .containsExactly(
            "operator:ci-bot@/10.0.0.1:50000",
            "operator:ci-bot@/10.0.0.1:50000",
            "operator:ci-bot@/10.0.0.1:50000",
            "operator:ci-bot@/10.0.0.1:50000",
            "operator:otto@/10.0.0.1:50000",
            "operator:otto@/10.0.0.1:50000");
    assertThat(control.handled).containsExactly("drain by operator:otto@/10.0.0.1:50000");
  }

  @Test
  void peerPastItsFailureLimitIsRefusedUnhashedAndSummarisedWhileOthersGetIn() {
    RegionAdminBlockingStub attacker = fixture.stub("10.6.6.6", "Bearer guess");
    for (int i = 0; i < AdminServerFixture.FAILURE_BURST; i++) {
      assertThat(code(attacker, "list")).isEqualTo(Status.Code.UNAUTHENTICATED);
    }
    for (int i = 0; i < 100; i++) {
      assertThat(code(attacker, "list")).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    }
    // Even the right token is refused from there until the bucket refills.
    assertThat(code(fixture.stub("10.6.6.6", "Bearer " + TestOperators.VIEWER_TOKEN), "list"))
        .isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThat(code(fixture.bearer(TestOperators.VIEWER_TOKEN), "list")).isEqualTo(Status.Code.OK);

    List<JsonObject> lines = fixture.auditLines();
    assertThat(lines)
        .extracting(line -> line.get("phase").getAsString())
        .containsExactly("result", "result", "result", "limited", "attempt", "result");
    assertThat(lines.get(3).get("who").getAsString()).isEqualTo("peer:10.6.6.6");
    assertThat(fixture.refusals("unknown_token")).isEqualTo(AdminServerFixture.FAILURE_BURST);
    assertThat(fixture.refusals("rate_limited")).isEqualTo(101);

    fixture.ticker.advance(AdminServerFixture.FAILURE_REFILL);
    assertThat(code(attacker, "list")).isEqualTo(Status.Code.UNAUTHENTICATED);
    assertThat(code(attacker, "list")).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);
    assertThatThrownBy(() -> attacker.listRegions(ListRegionsRequest.getDefaultInstance()))
        .hasMessage(
            "RESOURCE_EXHAUSTED: too many failed authentications from 10.6.6.6;"
                + " one more attempt is allowed every 10s");
  }

  @Test
  void anOperatorVerifiedBeforeAFloodFromItsAddressIsStillServed() {
    RegionAdminBlockingStub operator =
        fixture.stub("10.6.6.6", "Bearer " + TestOperators.VIEWER_TOKEN);
    assertThat(code(operator, "list")).isEqualTo(Status.Code.OK);
    RegionAdminBlockingStub attacker = fixture.stub("10.6.6.6", "Bearer guess");
    for (int i = 0; i <= AdminServerFixture.FAILURE_BURST; i++) {
      code(attacker, "list");
    }
    assertThat(code(attacker, "list")).isEqualTo(Status.Code.RESOURCE_EXHAUSTED);

    assertThat(code(operator, "list"))
        .as("the same address, a token already verified")
        .isEqualTo(Status.Code.OK);
  }
}
