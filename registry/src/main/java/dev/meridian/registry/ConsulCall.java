package dev.meridian.registry;

import com.ecwid.consul.ConsulException;
import com.ecwid.consul.transport.TransportException;
import com.ecwid.consul.v1.OperationException;
import com.ecwid.consul.v1.Response;
import java.util.function.Function;
import java.util.function.Supplier;

/**
 * Runs one {@code consul-api} call and turns its failures into the typed {@link
 * RegistryException}s, so no component ever sees the client's own exceptions or a silent null.
 */
final class ConsulCall {
  private ConsulCall() {}

  /** Runs {@code call}; {@code what} describes it in errors, e.g. {@code "kv get meridian/x"}. */
  static <T> Response<T> run(String what, Supplier<Response<T>> call) {
    try {
      return call.get();
    } catch (OperationException e) {
      throw translate(what, e);
    } catch (TransportException e) {
      throw new RegistryUnavailableException(what + ": Consul unreachable: " + rootMessage(e), e);
    } catch (ConsulException e) {
      throw new RegistryUnavailableException(what + ": " + rootMessage(e), e);
    }
  }

  /** Runs {@code call} and maps its value with the Consul read metadata attached. */
  static <T, R> Versioned<R> read(String what, Supplier<Response<T>> call, Function<T, R> map) {
    Response<T> response = run(what, call);
    return new Versioned<>(
        map.apply(response.getValue()),
        response.getConsulIndex() == null ? 0 : response.getConsulIndex(),
        Boolean.TRUE.equals(response.isConsulKnownLeader()),
        response.getConsulLastContact() == null ? 0 : response.getConsulLastContact());
  }

  private static RegistryException translate(String what, OperationException e) {
    String message =
        what + ": HTTP " + e.getStatusCode() + " " + nullToEmpty(e.getStatusContent()).trim();
    int code = e.getStatusCode();
    if (code == 404) {
      return new RegistryNotFoundException(message, e);
    }
    if (code >= 400 && code < 500) {
      return new RegistryRejectedException(message, e);
    }
    // A 500 "does not have associated TTL" is a caller mistake; other 5xx are the server's.
    if (nullToEmpty(e.getStatusContent()).contains("does not have associated TTL")) {
      return new RegistryRejectedException(message, e);
    }
    return new RegistryUnavailableException(message, e);
  }

  private static String rootMessage(Throwable e) {
    Throwable root = e;
    while (root.getCause() != null && root.getCause() != root) {
      root = root.getCause();
    }
    return root.getClass().getSimpleName() + ": " + root.getMessage();
  }

  private static String nullToEmpty(String text) {
    return text == null ? "" : text;
  }
}
