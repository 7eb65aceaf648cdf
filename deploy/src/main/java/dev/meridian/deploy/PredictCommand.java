package dev.meridian.deploy;

import dev.meridian.core.config.ListenAddress;
import dev.meridian.core.tls.TlsPeer;
import dev.meridian.core.tls.TransportSecurity;
import dev.meridian.deploy.bench.GrpcMessageFrame;
import dev.meridian.deploy.bench.InferenceClient;
import dev.meridian.proto.inference.v1.PredictRequest;
import dev.meridian.proto.inference.v1.PredictResponse;
import io.grpc.ManagedChannel;
import io.grpc.Status;
import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.Callable;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine;
import picocli.CommandLine.Command;
import picocli.CommandLine.Mixin;
import picocli.CommandLine.Option;

/**
 * Calls {@code Predict} (or the Open Inference Protocol's {@code ModelInfer}) on a gateway or a
 * replica and prints the outputs and how it was served.
 */
@Command(name = "predict", description = "Call Predict (or OIP ModelInfer) and print the outputs.")
final class PredictCommand implements Callable<Integer> {
  /** Exit code when the call itself failed. */
  static final int EXIT_CALL_FAILED = 1;

  @Option(
      names = "--target",
      defaultValue = ListenAddress.DEFAULT_HOST + ":50051",
      description = "Gateway address (default: ${DEFAULT-VALUE}).")
  String target;

  @Option(names = "--model", required = true, description = "Model name.")
  String model;

  @Option(names = "--version", defaultValue = "", description = "Model version (default: current).")
  String version;

  @Option(
      names = "--input",
      required = true,
      description = "An input tensor: name=v1,v2 (FP32, shape [1,n]) or name:TYPE[d1,d2]=v1,v2,...")
  List<String> inputs;

  @Option(
      names = "--request-id",
      defaultValue = "",
      description = "Request id (default: assigned).")
  String requestId;

  @Option(
      names = "--protocol",
      defaultValue = "predict",
      description =
          "predict (Meridian's Predict) or oip (the Open Inference Protocol's ModelInfer)"
              + " (default: ${DEFAULT-VALUE}).")
  InferenceClient.Protocol protocol;

  @Option(
      names = "--write-request",
      paramLabel = "FILE",
      description =
          "Write the request to FILE as the body of a gRPC call (one length-prefixed message, what"
              + " h2load or curl would send) and print its :path, instead of calling.")
  Path requestFile;

  @Mixin DeadlineOption deadline;
  @Mixin TlsOptions tls;

  @CommandLine.Spec private CommandLine.Model.CommandSpec spec;

  @Override
  public Integer call() throws InterruptedException, IOException {
    PredictRequest.Builder request =
        PredictRequest.newBuilder()
            .setModelName(model)
            .setModelVersion(version)
            .setRequestId(requestId);
    inputs.forEach(input -> request.addInputs(TensorArgument.parse(input)));
    if (requestFile != null) {
      byte[] body = GrpcMessageFrame.of(protocol.message(request.build()));
      Files.write(requestFile, body);
      spec.commandLine()
          .getOut()
          .printf("wrote %d bytes to %s for POST %s%n", body.length, requestFile, protocol.path());
      return 0;
    }
    TransportSecurity security = tls.security();
    ManagedChannel channel = Endpoints.channel("--target", target, security, TlsPeer.GATEWAY);
    try {
      PredictResponse response =
          new InferenceClient(channel, protocol).call(request.build(), deadline.timeout).get();
      spec.commandLine().getOut().println(ResponseFormatter.format(response));
      return 0;
    } catch (ExecutionException e) {
      spec.commandLine()
          .getErr()
          .println(
              "predict failed: "
                  + Endpoints.describe(Status.fromThrowable(e.getCause()).asRuntimeException()));
      return EXIT_CALL_FAILED;
    } finally {
      channel.shutdownNow().awaitTermination(5, TimeUnit.SECONDS);
      security.close();
    }
  }
}
