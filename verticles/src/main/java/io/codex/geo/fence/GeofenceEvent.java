package io.codex.geo.fence;

import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.UUID;

/**
 * A transition as written to {@code codex.geofence-events} (key: the device id) and published on
 * {@code codex.geofences.crossed}:
 *
 * <pre>{@code
 * {"id":"…","transition":"enter","deviceId":"truck-1","geofenceId":"depot","geofenceName":"Depot",
 *  "geofenceVersion":12,"timestamp":"<device time of the position>","receivedAt":"…","evaluatedAt":"…",
 *  "recordId":"<telemetry record id>","lon":2.35,"lat":48.85,"telemetry":{"partition":3,"offset":1041}}
 * }</pre>
 *
 * <p>The {@code id} is derived from the record, the fence version and the transition, so a
 * transition written twice (possible only around a consumer-group rebalance) carries the same id
 * and downstream consumers can drop the copy. {@code telemetry} says which record caused it: the
 * evaluator rebuilds its state from these fields after a restart.
 */
public final class GeofenceEvent {
  private GeofenceEvent() {}

  public static JsonObject toJson(GeofenceTracker.Transition t, GeofencePosition p, int partition, long offset,
      String evaluatedAt) {
    Geofence f = t.fence().fence;
    String idSeed = p.deviceId() + '|' + partition + '|' + offset + '|' + p.recordId() + '|' + f.id() + '|'
        + t.fence().version + '|' + t.name();
    JsonObject o = new JsonObject()
        .put("id", UUID.nameUUIDFromBytes(idSeed.getBytes(StandardCharsets.UTF_8)).toString())
        .put("transition", t.name())
        .put("deviceId", p.deviceId())
        .put("geofenceId", f.id())
        .put("geofenceName", f.name())
        .put("geofenceVersion", t.fence().version);
    if (p.timestamp() != null) o.put("timestamp", p.timestamp());
    if (p.receivedAt() != null) o.put("receivedAt", p.receivedAt());
    o.put("evaluatedAt", evaluatedAt);
    if (p.recordId() != null) o.put("recordId", p.recordId());
    return o.put("lon", p.lon()).put("lat", p.lat())
        .put("telemetry", new JsonObject().put("partition", partition).put("offset", offset));
  }

  /** Feeds one written event into a restore; false when the value is not such an event. */
  public static boolean restoreInto(GeofenceTracker.Restore restore, String value, java.util.Set<Integer> partitions) {
    JsonObject o;
    try {
      o = new JsonObject(value);
    } catch (RuntimeException e) {
      return false;
    }
    JsonObject tel = o.getValue("telemetry") instanceof JsonObject j ? j : null;
    if (tel == null || !(o.getValue("deviceId") instanceof String device) || !(o.getValue("geofenceId") instanceof String fence)
        || !(tel.getValue("partition") instanceof Number part) || !(tel.getValue("offset") instanceof Number off)
        || !(o.getValue("geofenceVersion") instanceof Number version) || !(o.getValue("transition") instanceof String tr)) {
      return false;
    }
    if (!partitions.contains(part.intValue())) return true;
    restore.add(device, part.intValue(), off.longValue(), fence, version.longValue(), "enter".equals(tr));
    return true;
  }
}
