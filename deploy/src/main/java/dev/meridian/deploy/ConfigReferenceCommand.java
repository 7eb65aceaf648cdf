package dev.meridian.deploy;

import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Model.CommandSpec;
import picocli.CommandLine.Spec;

/** {@code meridian config-reference}: prints every config key and option, as the README lists. */
@Command(
    name = "config-reference",
    description = "Print every config key of every role, with defaults and accepted values.")
final class ConfigReferenceCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Override
  public Integer call() {
    ConfigReference.table().forEach(spec.commandLine().getOut()::println);
    return 0;
  }
}
