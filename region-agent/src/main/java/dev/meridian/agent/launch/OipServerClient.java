package dev.meridian.agent.launch;

import dev.meridian.agent.model.TensorSpec;
import dev.meridian.core.CallerText;
import dev.meridian.core.DataTypes;
import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.proto.inference.v1.DataType;
import dev.meridian.proto.oip.v2.GRPCInferenceServiceGrpc;
import dev.meridian.proto.oip.v2.ModelMetadataRequest;
import dev.meridian.proto.oip.v2.ModelMetadataResponse;
import dev.meridian.proto.oip.v2.ModelMetadataResponse.TensorMetadata;
import dev.meridian.proto.oip.v2.ModelReadyRequest;
import io.grpc.Deadline;
import io.grpc.ManagedChannel;
import io.grpc.StatusRuntimeException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * Waits for an external Open Inference Protocol server to serve a replica's model, then reads the
 * model's inputs from its {@code ModelMetadata}, from which the agent builds the canary it probes
 * the server with: what {@link Handshake} tells the agent about its own replicas.
 */
final class OipServerClient {
  /** The pause between readiness calls that find the server not ready. */
  private static final Duration POLL = Duration.ofMillis(200);

  /** How long one readiness call may take, a TLS handshake included. */
  private static final Duration CALL_TIMEOUT = Duration.ofSeconds(2);

  /** Pauses between readiness calls, or gives up waiting by throwing. */
  @FunctionalInterface
  interface Pause {
    /**
     * Pauses for at most {@code duration}.
     *
     * @throws ReplicaStartException when waiting is pointless, for example the server exited
     * @throws InterruptedException when interrupted while pausing
     */
    void pause(Duration duration) throws ReplicaStartException, InterruptedException;
  }

  private OipServerClient() {}

  /**
   * Waits, within the spec's start timeout, until the server at {@code host:port} says {@code
   * ModelReady} for the spec's model and version, and reports it ready with the model's inputs.
   *
   * @throws ReplicaStartException when it is not ready in time, {@code pause} gives up, or its
   *     metadata names a datatype Meridian does not know
   */
  static ReplicaReady awaitReady(
      TransportSecurity security, String host, int port, ReplicaSpec spec, Pause pause)
      throws ReplicaStartException {
    ManagedChannel channel = security.channel(host, port, TlsPeer.REPLICA).build();
    try {
      var stub = GRPCInferenceServiceGrpc.newBlockingStub(channel);
      Deadline deadline = Deadline.after(spec.startTimeoutMillis(), TimeUnit.MILLISECONDS);
      String where = new ListenAddress(host, port, host).advertised(port);
      awaitModelReady(stub, deadline, spec, where, pause);
      ModelMetadataResponse metadata =
          stub.withDeadline(deadline)
              .modelMetadata(
                  ModelMetadataRequest.newBuilder()
                      .setName(spec.modelName())
                      .setVersion(spec.modelVersion())
                      .build());
      return new ReplicaReady(
          port, 0, 0, spec.modelName(), spec.modelVersion(), "", inputs(metadata));
    } catch (StatusRuntimeException e) {
      throw new ReplicaStartException("ModelMetadata failed: " + e.getStatus(), e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new ReplicaStartException("interrupted while the OIP server started", e);
    } finally {
      channel.shutdownNow();
    }
  }

  private static void awaitModelReady(
      GRPCInferenceServiceGrpc.GRPCInferenceServiceBlockingStub stub,
      Deadline deadline,
      ReplicaSpec spec,
      String where,
      Pause pause)
      throws ReplicaStartException, InterruptedException {
    ModelReadyRequest ready =
        ModelReadyRequest.newBuilder()
            .setName(spec.modelName())
            .setVersion(spec.modelVersion())
            .build();
    String last = "no answer yet";
    while (!deadline.isExpired()) {
      try {
        if (stub.withDeadline(earlier(deadline)).modelReady(ready).getReady()) {
          return;
        }
        last = "ModelReady said not ready";
      } catch (StatusRuntimeException e) {
        last = "ModelReady failed: " + e.getStatus();
      }
      pause.pause(POLL);
    }
    throw new ReplicaStartException(
        "the OIP server at "
            + where
            + " did not serve model "
            + CallerText.quoted(spec.modelName())
            + " version "
            + CallerText.quoted(spec.modelVersion())
            + " within "
            + spec.startTimeoutMillis()
            + "ms; last: "
            + last);
  }

  /** The sooner of {@code deadline} and one call's timeout from now. */
  private static Deadline earlier(Deadline deadline) {
    return deadline.minimum(Deadline.after(CALL_TIMEOUT.toMillis(), TimeUnit.MILLISECONDS));
  }

  private static List<TensorSpec> inputs(ModelMetadataResponse metadata)
      throws ReplicaStartException {
    List<TensorSpec> inputs = new ArrayList<>();
    for (TensorMetadata input : metadata.getInputsList()) {
      DataType type =
          DataTypes.find(input.getDatatype())
              .filter(found -> DataTypes.shortName(found).equals(input.getDatatype()))
              .orElse(null);
      if (type == null) {
        throw new ReplicaStartException(
            "ModelMetadata: input "
                + CallerText.quoted(input.getName())
                + " has datatype "
                + CallerText.quoted(input.getDatatype())
                + ", not one of "
                + DataTypes.NAMES);
      }
      inputs.add(new TensorSpec(input.getName(), type, input.getShapeList()));
    }
    return inputs;
  }
}
