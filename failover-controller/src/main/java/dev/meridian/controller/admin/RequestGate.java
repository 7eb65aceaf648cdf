package dev.meridian.controller.admin;

import io.grpc.ForwardingServerCallListener;
import io.grpc.Metadata;
import io.grpc.ServerCall;
import io.grpc.Status;
import java.util.Optional;
import java.util.function.Function;

/**
 * A call listener that lets each request through only when a check passes: a request the check
 * refuses closes the call with the check's status and reaches no handler, nor does the call's
 * half-close. Called serially by gRPC, like every listener.
 *
 * @param <ReqT> the request type
 */
final class RequestGate<ReqT>
    extends ForwardingServerCallListener.SimpleForwardingServerCallListener<ReqT> {
  private final ServerCall<ReqT, ?> call;
  private final Function<ReqT, Optional<Status>> check;
  private boolean refused;

  /**
   * Guards {@code delegate}.
   *
   * @param call the call to close on a refusal
   * @param check the refusal status for a request, or empty to let it through
   */
  RequestGate(
      ServerCall.Listener<ReqT> delegate,
      ServerCall<ReqT, ?> call,
      Function<ReqT, Optional<Status>> check) {
    super(delegate);
    this.call = call;
    this.check = check;
  }

  @Override
  public void onMessage(ReqT message) {
    Optional<Status> refusal = check.apply(message);
    if (refusal.isPresent()) {
      refused = true;
      call.close(refusal.get(), new Metadata());
      return;
    }
    super.onMessage(message);
  }

  @Override
  public void onHalfClose() {
    if (!refused) {
      super.onHalfClose();
    }
  }
}
