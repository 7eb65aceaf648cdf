package dev.meridian.controller.admin;

import dev.meridian.proto.admin.v1.DrainRegionRequest;
import dev.meridian.proto.admin.v1.RegionAdminGrpc;
import io.grpc.MethodDescriptor;
import java.util.Map;

/**
 * The role each admin call needs: reading and watching need {@link Role#VIEWER}; drains, undrains
 * and dry runs {@link Role#OPERATOR}; a forced drain {@link Role#ADMIN}. Only a forced drain may
 * leave a model with no serving region (the controller refuses an unforced one, see {@code
 * DrainImpact}), so that needs {@code admin} too. A forced dry run changes nothing and needs {@code
 * operator}. A method missing here needs {@code admin}. Stateless.
 */
final class AccessPolicy {
  private static final Map<String, Role> BY_METHOD =
      Map.of(
          RegionAdminGrpc.getGetRoutingTableMethod().getFullMethodName(), Role.VIEWER,
          RegionAdminGrpc.getListRegionsMethod().getFullMethodName(), Role.VIEWER,
          RegionAdminGrpc.getWatchRoutingTablesMethod().getFullMethodName(), Role.VIEWER,
          RegionAdminGrpc.getDrainRegionMethod().getFullMethodName(), Role.OPERATOR,
          RegionAdminGrpc.getUndrainRegionMethod().getFullMethodName(), Role.OPERATOR);

  /**
   * What a request needs.
   *
   * @param role the least role allowed
   * @param action the request as messages name it, e.g. {@code a forced DrainRegion}
   */
  record Requirement(Role role, String action) {}

  private AccessPolicy() {}

  /** What calling {@code method} with {@code request} needs. */
  static Requirement required(MethodDescriptor<?, ?> method, Object request) {
    String name = method.getBareMethodName();
    if (request instanceof DrainRegionRequest drain && drain.getForce() && !drain.getDryRun()) {
      return new Requirement(Role.ADMIN, "a forced " + name);
    }
    return new Requirement(BY_METHOD.getOrDefault(method.getFullMethodName(), Role.ADMIN), name);
  }
}
