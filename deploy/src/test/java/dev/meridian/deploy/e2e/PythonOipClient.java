package dev.meridian.deploy.e2e;

import dev.meridian.deploy.topology.LocalTopology;
import dev.meridian.deploy.topology.TopologyCertificates;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.concurrent.TimeUnit;

/**
 * The README's Python client of the Open Inference Protocol ({@code examples/oip_client.py}, on
 * {@code grpcio}), run as the README says: stubs generated from the repository's proto with {@code
 * grpc_tools}, then the script against the topology's gateway with the topology's client
 * certificate.
 */
final class PythonOipClient {
  private static final Path ROOT = Path.of("..");
  private static final Path PYTHON =
      Files.isExecutable(Path.of("/usr/bin/python3"))
          ? Path.of("/usr/bin/python3")
          : Path.of("python3");

  private PythonOipClient() {}

  /**
   * Whether python3 with grpcio and grpc_tools (Debian: python3-grpcio, python3-grpc-tools) is
   * here.
   */
  static boolean available() throws IOException, InterruptedException {
    return run(List.of(PYTHON.toString(), "-c", "import grpc, grpc_tools"), null).exitCode() == 0;
  }

  /** Generates the stubs into {@code stubs} and runs the client; its output and exit code. */
  static Result call(LocalTopology topology, Path stubs) throws IOException, InterruptedException {
    Files.createDirectories(stubs);
    Path protos = ROOT.resolve("proto/src/main/proto");
    Result generated =
        run(
            List.of(
                PYTHON.toString(),
                "-m",
                "grpc_tools.protoc",
                "-I",
                protos.toString(),
                "--python_out=" + stubs,
                "--grpc_python_out=" + stubs,
                protos.resolve("inference/grpc_predict_v2.proto").toString()),
            null);
    if (generated.exitCode() != 0) {
      return generated;
    }
    return run(
        List.of(
            PYTHON.toString(),
            ROOT.resolve("examples/oip_client.py").toString(),
            "--target",
            topology.plan().gatewayHost() + ":" + topology.plan().gatewayPort(),
            "--tls-dir",
            topology.plan().directory().resolve(TopologyCertificates.DIRECTORY).toString()),
        stubs);
  }

  /** What a process printed (standard output and error together) and how it exited. */
  record Result(int exitCode, String output) {}

  private static Result run(List<String> command, Path stubs)
      throws IOException, InterruptedException {
    ProcessBuilder builder = new ProcessBuilder(command).redirectErrorStream(true);
    if (stubs != null) {
      builder.environment().put("OIP_STUBS", stubs.toAbsolutePath().toString());
    }
    Process process;
    try {
      process = builder.start();
    } catch (IOException missing) {
      return new Result(-1, missing.getMessage());
    }
    byte[] output = process.getInputStream().readAllBytes();
    if (!process.waitFor(60, TimeUnit.SECONDS)) {
      process.destroyForcibly();
      return new Result(-1, "timed out");
    }
    return new Result(process.exitValue(), new String(output, StandardCharsets.UTF_8));
  }
}
