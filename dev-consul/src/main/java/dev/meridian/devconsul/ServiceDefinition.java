package dev.meridian.devconsul;

import java.util.List;
import java.util.Map;

/**
 * A service instance as registered through the agent, without indexes; equality tells whether a
 * re-registration changed anything. Immutable.
 */
record ServiceDefinition(
    String id,
    String name,
    List<String> tags,
    String address,
    int port,
    Map<String, String> meta,
    int weightPassing,
    int weightWarning,
    boolean enableTagOverride) {

  ServiceDefinition {
    tags = List.copyOf(tags);
    meta = Map.copyOf(meta);
  }
}
