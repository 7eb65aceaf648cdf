package dev.meridian.devconsul;

import com.google.gson.JsonObject;

/** The one catalog node of a datacenter: the dev agent itself. Immutable. */
record NodeInfo(String id, String name, String address, String datacenter, long createIndex) {

  JsonObject toJson() {
    JsonObject tagged = new JsonObject();
    tagged.addProperty("lan", address);
    tagged.addProperty("lan_ipv4", address);
    tagged.addProperty("wan", address);
    tagged.addProperty("wan_ipv4", address);
    JsonObject meta = new JsonObject();
    meta.addProperty("consul-network-segment", "");
    JsonObject json = new JsonObject();
    json.addProperty("ID", id);
    json.addProperty("Node", name);
    json.addProperty("Address", address);
    json.addProperty("Datacenter", datacenter);
    json.add("TaggedAddresses", tagged);
    json.add("Meta", meta);
    json.addProperty("CreateIndex", createIndex);
    json.addProperty("ModifyIndex", createIndex);
    return json;
  }
}
