package dev.meridian.agent.faults;

import dev.meridian.core.LogValue;
import dev.meridian.proto.agent.v1.ClearFaultsRequest;
import dev.meridian.proto.agent.v1.CrashRequest;
import dev.meridian.proto.agent.v1.CrashResponse;
import dev.meridian.proto.agent.v1.FaultInjectionGrpc;
import dev.meridian.proto.agent.v1.FaultState;
import dev.meridian.proto.agent.v1.SetFaultsRequest;
import io.grpc.StatusRuntimeException;
import io.grpc.stub.StreamObserver;
import java.util.function.Supplier;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Serves {@code meridian.agent.v1.FaultInjection} on one replica, on its {@link FaultsListener}
 * (which exists only when the agent config turns faults on). Thread-safe.
 */
public final class FaultInjectionService extends FaultInjectionGrpc.FaultInjectionImplBase {
  private static final Logger logger = LoggerFactory.getLogger(FaultInjectionService.class);

  private final String replica;
  private final FaultInjector faults;
  private final Runnable crash;

  /**
   * Creates the service.
   *
   * @param crash crashes the replica; run after the response to {@code Crash} is sent
   */
  public FaultInjectionService(String replica, FaultInjector faults, Runnable crash) {
    this.replica = replica;
    this.faults = faults;
    this.crash = crash;
  }

  @Override
  public void setFaults(SetFaultsRequest request, StreamObserver<FaultState> observer) {
    answer(
        observer,
        () -> {
          faults.set(FaultSettings.from(request));
          logger
              .atWarn()
              .addKeyValue("replica", replica)
              .addKeyValue("faults", String.valueOf(faults.settings()))
              .log("faults set");
          return faults.settings().toState(replica);
        });
  }

  @Override
  public void clearFaults(ClearFaultsRequest request, StreamObserver<FaultState> observer) {
    answer(
        observer,
        () -> {
          faults.set(FaultSettings.NONE);
          logger.atWarn().addKeyValue("replica", replica).log("faults cleared");
          return FaultSettings.NONE.toState(replica);
        });
  }

  @Override
  public void crash(CrashRequest request, StreamObserver<CrashResponse> observer) {
    if (answer(observer, CrashResponse::getDefaultInstance)) {
      logger
          .atError()
          .addKeyValue("replica", replica)
          .addKeyValue("reason", LogValue.bounded(request.getReason()))
          .log("crashing on request");
      crash.run();
    }
  }

  /** Answers with {@code response}'s value, or its error; returns whether it answered. */
  private static <T> boolean answer(StreamObserver<T> observer, Supplier<T> response) {
    try {
      observer.onNext(response.get());
      observer.onCompleted();
      return true;
    } catch (StatusRuntimeException e) {
      observer.onError(e);
      return false;
    }
  }
}
