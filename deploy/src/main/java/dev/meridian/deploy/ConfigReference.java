package dev.meridian.deploy;

import dev.meridian.agent.config.AgentSettings;
import dev.meridian.controller.ControllerSettings;
import dev.meridian.controller.admin.OperatorsFile;
import dev.meridian.core.config.ConfigSchema;
import dev.meridian.gateway.GatewaySettings;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import picocli.CommandLine;
import picocli.CommandLine.Model.OptionSpec;

/**
 * The README's configuration reference table, generated from the code: one row per key of every
 * role's {@link ConfigSchema}, then one per option of the commands that start a local topology.
 * {@code meridian config-reference} prints it; a test fails when the README's copy differs.
 */
final class ConfigReference {
  /** Every role's file, in the order the table lists them. */
  static final List<ConfigSchema> SCHEMAS =
      List.of(
          GatewaySettings.SCHEMA,
          ControllerSettings.SCHEMA,
          OperatorsFile.SCHEMA,
          AgentSettings.SCHEMA);

  private static final List<Class<?>> COMMANDS = List.of(DemoCommand.class, DevConsulCommand.class);
  private static final Pattern DEFAULT_SUFFIX = Pattern.compile("\\s*\\(default: [^)]*\\)\\.?$");

  private ConfigReference() {}

  /** The table in Markdown, header included. */
  static List<String> table() {
    List<String> rows = new ArrayList<>();
    rows.add("| file | key | default | accepts | meaning |");
    rows.add("|---|---|---|---|---|");
    SCHEMAS.forEach(schema -> rows.addAll(schema.referenceRows()));
    for (Class<?> command : COMMANDS) {
      CommandLine line = new CommandLine(command);
      for (OptionSpec option : line.getCommandSpec().options()) {
        if (!option.usageHelp() && !option.versionHelp()) {
          rows.add(row(line.getCommandName(), option));
        }
      }
    }
    return rows;
  }

  private static String row(String command, OptionSpec option) {
    String meaning = DEFAULT_SUFFIX.matcher(String.join(" ", option.description())).replaceAll("");
    String defaultValue =
        option.defaultValue() == null ? "none" : "`" + option.defaultValue() + "`";
    return "| "
        + command
        + " | `"
        + option.longestName()
        + "` | "
        + defaultValue
        + " | "
        + option.paramLabel().replaceAll("[<>]", "")
        + " | "
        + meaning
        + " |";
  }
}
