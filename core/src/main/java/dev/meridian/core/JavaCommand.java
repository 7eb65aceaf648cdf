package dev.meridian.core;

import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;

/**
 * The command line that starts another JVM running a main class from this process's own classpath,
 * with the same {@code java} binary: how Meridian starts replica and role processes.
 */
public final class JavaCommand {
  private JavaCommand() {}

  /**
   * Builds {@code java -Xmx<heap> <jvmOptions> -cp <this classpath> <mainClass> <arguments>}.
   *
   * @param heap the child's maximum heap, e.g. {@code 256m}
   */
  public static List<String> sameClasspath(
      String heap, List<String> jvmOptions, String mainClass, List<String> arguments) {
    List<String> command = new ArrayList<>();
    command.add(javaBinary());
    command.add("-Xmx" + heap);
    command.addAll(jvmOptions);
    command.add("-cp");
    command.add(System.getProperty("java.class.path"));
    command.add(mainClass);
    command.addAll(arguments);
    return command;
  }

  private static String javaBinary() {
    return ProcessHandle.current()
        .info()
        .command()
        .orElse(Path.of(System.getProperty("java.home"), "bin", "java").toString());
  }
}
