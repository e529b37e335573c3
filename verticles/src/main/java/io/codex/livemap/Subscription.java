package io.codex.livemap;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Arrays;
import java.util.LinkedHashSet;
import java.util.Objects;
import java.util.Set;

/**
 * What one map client receives: a bounding box, device ids and sensor types (each optional: a
 * missing filter does not restrict), always within the devices its token may see. Clients with
 * equal subscriptions share one serialised message per flush, so equality covers all four.
 */
final class Subscription {
  static final int MAX_IDS = 10_000;

  /** {@code [w, s, e, n]}, or null for the whole world; {@code w > e} crosses the antimeridian. */
  private final double[] bbox;
  private final Set<String> deviceIds;
  private final Set<String> sensorTypes;
  /** The token's {@code devices} claim; null: every device. */
  private final Set<String> visible;
  private final int hash;

  Subscription(double[] bbox, Set<String> deviceIds, Set<String> sensorTypes, Set<String> visible) {
    this.bbox = bbox;
    this.deviceIds = deviceIds == null ? null : Set.copyOf(deviceIds);
    this.sensorTypes = sensorTypes == null ? null : Set.copyOf(sensorTypes);
    this.visible = visible == null ? null : Set.copyOf(visible);
    this.hash = Objects.hash(Arrays.hashCode(bbox), this.deviceIds, this.sensorTypes, this.visible);
  }

  /** Thrown for a subscribe message that cannot be honoured; names the field. */
  static final class Invalid extends RuntimeException {
    final String field;

    Invalid(String field, String message) {
      super(message, null, false, false);
      this.field = field;
    }
  }

  /** Reads {@code {"type":"subscribe","bbox":[w,s,e,n],"deviceIds":[…],"sensorTypes":[…]}}. */
  static Subscription parse(JsonObject msg, Set<String> visible) {
    return new Subscription(bbox(msg.getValue("bbox")), strings(msg, "deviceIds"), strings(msg, "sensorTypes"), visible);
  }

  private static double[] bbox(Object v) {
    if (v == null) return null;
    if (!(v instanceof JsonArray a) || a.size() != 4) throw new Invalid("bbox", "bbox must be [west, south, east, north]");
    double[] b = new double[4];
    for (int i = 0; i < 4; i++) {
      if (!(a.getValue(i) instanceof Number n) || !Double.isFinite(n.doubleValue())) {
        throw new Invalid("bbox", "bbox must be four numbers [west, south, east, north]");
      }
      b[i] = n.doubleValue();
    }
    if (b[0] < -180 || b[0] > 180 || b[2] < -180 || b[2] > 180) throw new Invalid("bbox", "west and east must be in [-180, 180]");
    if (b[1] < -90 || b[1] > 90 || b[3] < -90 || b[3] > 90) throw new Invalid("bbox", "south and north must be in [-90, 90]");
    if (b[1] > b[3]) throw new Invalid("bbox", "south must not be greater than north");
    return b;
  }

  private static Set<String> strings(JsonObject msg, String field) {
    Object v = msg.getValue(field);
    if (v == null) return null;
    if (!(v instanceof JsonArray a)) throw new Invalid(field, field + " must be an array of strings");
    if (a.size() > MAX_IDS) throw new Invalid(field, field + " may list at most " + MAX_IDS + " values");
    Set<String> out = new LinkedHashSet<>();
    for (Object o : a) {
      if (!(o instanceof String s)) throw new Invalid(field, field + " must be an array of strings");
      out.add(s);
    }
    return out;
  }

  boolean matches(Position p) {
    if (visible != null && !visible.contains(p.deviceId)) return false;
    if (deviceIds != null && !deviceIds.contains(p.deviceId)) return false;
    if (sensorTypes != null && (p.sensorType == null || !sensorTypes.contains(p.sensorType))) return false;
    return bbox == null || inBbox(p.lon, p.lat);
  }

  /** Alerts and geofence events: for devices the client may see and asked for, wherever they are. */
  boolean mayReceiveEventOf(String deviceId) {
    if (deviceId == null) return visible == null && deviceIds == null;
    return (visible == null || visible.contains(deviceId)) && (deviceIds == null || deviceIds.contains(deviceId));
  }

  private boolean inBbox(double lon, double lat) {
    if (lat < bbox[1] || lat > bbox[3]) return false;
    return bbox[0] <= bbox[2] ? lon >= bbox[0] && lon <= bbox[2] : lon >= bbox[0] || lon <= bbox[2];
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof Subscription s && hash == s.hash && Arrays.equals(bbox, s.bbox)
        && Objects.equals(deviceIds, s.deviceIds) && Objects.equals(sensorTypes, s.sensorTypes) && Objects.equals(visible, s.visible);
  }

  @Override
  public int hashCode() {
    return hash;
  }
}
