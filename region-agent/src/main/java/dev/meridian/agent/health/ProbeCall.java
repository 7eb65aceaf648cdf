package dev.meridian.agent.health;

import io.grpc.Channel;
import io.grpc.Deadline;
import io.grpc.StatusRuntimeException;

/** The calls of one probe on a replica, in the protocol it speaks; see {@link ReplicaProtocol}. */
@FunctionalInterface
public interface ProbeCall {
  /**
   * Makes the probe's calls on {@code channel}, all by {@code deadline}.
   *
   * @throws StatusRuntimeException when a call fails or the replica says it cannot serve
   */
  void call(Channel channel, Deadline deadline);
}
