package dev.meridian.devconsul;

/**
 * Enforces the single configured ACL token (a management token: it may do everything, nobody else
 * may do anything). Immutable, so thread-safe.
 */
final class AclGuard {
  private final String token;

  /**
   * @param token the required token, or null to disable ACLs
   */
  AclGuard(String token) {
    this.token = token;
  }

  /**
   * Lets the request through when it carries the token in {@code X-Consul-Token}, else {@code
   * Authorization: Bearer}, else {@code ?token=}; empty values count as absent.
   *
   * @throws ApiException 403 {@code Permission denied} without a token, {@code ACL not found} with
   *     a wrong one
   */
  void check(ApiRequest request) {
    if (token == null) {
      return;
    }
    String presented = presentedToken(request);
    if (presented == null) {
      throw ApiException.forbidden("Permission denied");
    }
    if (!presented.equals(token)) {
      throw ApiException.forbidden("ACL not found");
    }
  }

  private static String presentedToken(ApiRequest request) {
    String header = request.header("X-Consul-Token");
    if (header != null && !header.isEmpty()) {
      return header;
    }
    String authorization = request.header("Authorization");
    if (authorization != null && authorization.startsWith("Bearer ")) {
      String bearer = authorization.substring("Bearer ".length()).trim();
      if (!bearer.isEmpty()) {
        return bearer;
      }
    }
    String query = request.param("token");
    return query == null || query.isEmpty() ? null : query;
  }
}
