package dev.meridian.devconsul;

/** Handles the requests under one path prefix, such as {@code /v1/kv/}. */
@FunctionalInterface
interface Endpoint {
  /**
   * Answers a request; errors are thrown as {@link ApiException}.
   *
   * @throws InterruptedException when the server stops while the request blocks
   */
  ApiResponse handle(ApiRequest request) throws InterruptedException;
}
