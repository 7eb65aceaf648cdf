package dev.meridian.agent.launch;

/** Says in words what a replica process's exit code means, for logs and health checks. */
public final class ExitCodes {
  /** The code a replica exits with when its models cannot be loaded. */
  public static final int MODEL_LOAD_FAILED = 2;

  /** The code a replica halts with when fault injection crashes it (as SIGABRT would). */
  public static final int CRASHED = 134;

  // -XX:+ExitOnOutOfMemoryError exits with this code.
  private static final int OUT_OF_MEMORY = 3;
  private static final int SIGNALLED = 128;

  private ExitCodes() {}

  /**
   * For a Meridian replica process, for example {@code exited with code 137 (killed by SIGKILL)}.
   */
  public static String describe(int code) {
    String meaning =
        switch (code) {
          case MODEL_LOAD_FAILED -> "its models failed to load";
          case OUT_OF_MEMORY -> "out of memory: over its memory-limit";
          case CRASHED -> "crashed by fault injection";
          default -> posixMeaning(code);
        };
    return "exited with code " + code + " (" + meaning + ")";
  }

  /**
   * For another program, such as an external model server, whose codes mean only what POSIX says:
   * for example {@code exited with code 3 (failed)}.
   */
  public static String describeExternal(int code) {
    return "exited with code " + code + " (" + posixMeaning(code) + ")";
  }

  private static String posixMeaning(int code) {
    return switch (code) {
      case 0 -> "stopped cleanly";
      case SIGNALLED + 9 -> "killed by SIGKILL";
      case SIGNALLED + 15 -> "terminated by SIGTERM";
      default -> code > SIGNALLED ? "killed by signal " + (code - SIGNALLED) : "failed";
    };
  }
}
