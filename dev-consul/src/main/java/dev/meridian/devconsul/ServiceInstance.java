package dev.meridian.devconsul;

import com.google.gson.JsonObject;
import java.util.TreeMap;

/** A registered service instance with its catalog indexes. Immutable. */
record ServiceInstance(ServiceDefinition definition, long createIndex, long modifyIndex) {

  String id() {
    return definition.id();
  }

  String name() {
    return definition.name();
  }

  /** The {@code Service} object of a health entry. */
  JsonObject toJson() {
    JsonObject weights = new JsonObject();
    weights.addProperty("Passing", definition.weightPassing());
    weights.addProperty("Warning", definition.weightWarning());
    JsonObject meta = new JsonObject();
    new TreeMap<>(definition.meta()).forEach(meta::addProperty);
    JsonObject json = new JsonObject();
    json.addProperty("ID", definition.id());
    json.addProperty("Service", definition.name());
    json.add("Tags", Json.strings(definition.tags()));
    json.addProperty("Address", definition.address());
    json.add("Meta", meta);
    json.addProperty("Port", definition.port());
    json.add("Weights", weights);
    json.addProperty("EnableTagOverride", definition.enableTagOverride());
    json.addProperty("CreateIndex", createIndex);
    json.addProperty("ModifyIndex", modifyIndex);
    return json;
  }
}
