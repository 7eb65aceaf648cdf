package dev.meridian.devconsul;

/**
 * An HTTP error with Consul's status code and plain-text body; thrown anywhere below the router,
 * which turns it into the response.
 */
final class ApiException extends RuntimeException {
  private static final long serialVersionUID = 1L;

  private final int status;

  ApiException(int status, String message) {
    super(message, null, false, false);
    this.status = status;
  }

  int status() {
    return status;
  }

  static ApiException badRequest(String message) {
    return new ApiException(400, message);
  }

  static ApiException forbidden(String message) {
    return new ApiException(403, message);
  }

  static ApiException notFound(String message) {
    return new ApiException(404, message);
  }

  static ApiException serverError(String message) {
    return new ApiException(500, message);
  }
}
