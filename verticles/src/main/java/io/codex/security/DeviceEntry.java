package io.codex.security;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;

/**
 * One device in the registry, as stored in the compacted topic {@code codex.devices}. Only the
 * hash of the secret is ever stored.
 */
public record DeviceEntry(
    String deviceId, String name, boolean gateway, List<String> devices, String secretHash, String createdAt) {

  public DeviceEntry {
    devices = devices == null ? List.of() : List.copyOf(devices);
  }

  /** The storage form (with the hash), the value of the Kafka record. */
  public JsonObject toStored() {
    return toPublic().put("secretHash", secretHash);
  }

  /** What the API shows: never the secret nor its hash. */
  public JsonObject toPublic() {
    JsonObject o = new JsonObject().put("deviceId", deviceId).put("gateway", gateway);
    if (name != null) o.put("name", name);
    if (gateway) o.put("devices", new JsonArray(devices));
    return o.put("createdAt", createdAt);
  }

  public static DeviceEntry fromStored(JsonObject o) {
    JsonArray ds = o.getJsonArray("devices", new JsonArray());
    return new DeviceEntry(
        o.getString("deviceId"),
        o.getString("name"),
        o.getBoolean("gateway", false),
        ds.stream().map(String::valueOf).toList(),
        o.getString("secretHash"),
        o.getString("createdAt"));
  }
}
