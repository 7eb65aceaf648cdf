package dev.meridian.core.config;

import java.util.List;
import java.util.Set;
import java.util.TreeSet;

/**
 * Every key of one role's config file, as {@link Setting}s: it rejects keys no setting declares (so
 * a typo never passes silently) and renders the role's rows of the README's reference table.
 *
 * @param role the role the file configures, as the reference table names it ({@code gateway})
 * @param settings every key, in the order the table lists them
 */
public record ConfigSchema(String role, List<Setting<?>> settings) {
  private static final String ITEM = "[]";

  /** Copies the list. */
  public ConfigSchema {
    settings = List.copyOf(settings);
  }

  /**
   * Fails on the first key of {@code root} that no setting declares, naming the keys allowed there.
   *
   * @throws ConfigException naming the file and the full key
   */
  public void checkKnownKeys(ConfigNode root) {
    check(root, "");
  }

  private void check(ConfigNode node, String schemaPath) {
    for (String key : node.keys()) {
      String path = schemaPath.isEmpty() ? key : schemaPath + "." + key;
      if (declares(path)) {
        continue;
      }
      if (hasKeysUnder(path + ".")) {
        check(node.child(key), path);
      } else if (hasKeysUnder(path + ITEM + ".")) {
        for (ConfigNode item : node.children(key)) {
          check(item, path + ITEM);
        }
      } else {
        throw new ConfigException(
            node.source()
                + ": "
                + node.keyPath(key)
                + ": unknown key (expected one of "
                + keysUnder(schemaPath)
                + ")");
      }
    }
  }

  private boolean declares(String path) {
    return settings.stream().anyMatch(setting -> setting.key().equals(path));
  }

  private boolean hasKeysUnder(String prefix) {
    return settings.stream().anyMatch(setting -> setting.key().startsWith(prefix));
  }

  private Set<String> keysUnder(String schemaPath) {
    String prefix = schemaPath.isEmpty() ? "" : schemaPath + ".";
    Set<String> names = new TreeSet<>();
    for (Setting<?> setting : settings) {
      if (setting.key().startsWith(prefix)) {
        String rest = setting.key().substring(prefix.length());
        int end = rest.indexOf('.');
        String name = end < 0 ? rest : rest.substring(0, end);
        names.add(name.endsWith(ITEM) ? name.substring(0, name.length() - ITEM.length()) : name);
      }
    }
    return names;
  }

  /** This role's rows of the README's reference table, one per key. */
  public List<String> referenceRows() {
    return settings.stream()
        .map(
            setting ->
                "| "
                    + role
                    + " | `"
                    + setting.key()
                    + "` | "
                    + setting.defaultDescription()
                    + " | "
                    + setting.expected()
                    + " | "
                    + setting.meaning()
                    + " |")
        .toList();
  }
}
