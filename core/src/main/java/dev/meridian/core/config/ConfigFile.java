package dev.meridian.core.config;

import java.nio.file.Path;
import java.util.function.Function;

/**
 * The one way every role reads its config: parse the YAML, reject keys its schema does not declare,
 * then build the role's immutable config tree. A rule that spans keys and fails while the tree is
 * built ({@link IllegalArgumentException} from a record, naming the key) is reported with the
 * file's name, like every other config error.
 */
public final class ConfigFile {
  private ConfigFile() {}

  /**
   * Reads {@code file} with {@code build}.
   *
   * @throws ConfigException naming the file and the offending key
   */
  public static <T> T read(Path file, ConfigSchema schema, Function<ConfigNode, T> build) {
    return read(ConfigNode.load(file), schema, build);
  }

  /**
   * Reads an already parsed file with {@code build}.
   *
   * @throws ConfigException naming the file and the offending key
   */
  public static <T> T read(ConfigNode root, ConfigSchema schema, Function<ConfigNode, T> build) {
    schema.checkKnownKeys(root);
    try {
      return build.apply(root);
    } catch (IllegalArgumentException e) {
      throw new ConfigException(root.source() + ": " + e.getMessage(), e);
    }
  }
}
