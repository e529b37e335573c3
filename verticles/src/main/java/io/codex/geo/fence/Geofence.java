package io.codex.geo.fence;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.Set;

/**
 * One geofence as stored in the compacted topic {@code codex.geofences} (keyed by id): a GeoJSON
 * Polygon or MultiPolygon, or a circle (centre and radius in metres, measured on the sphere).
 * Immutable once written: changing a fence means deleting it and creating it again, which gives it
 * a new {@code version} (the Kafka offset of its record).
 *
 * @param geometry   {@code {type, coordinates}} of a Polygon or MultiPolygon; null for a circle
 * @param circle     null for a polygon
 * @param properties the client's own properties (never null; may be empty)
 */
public record Geofence(String id, String name, JsonObject geometry, Circle circle, JsonObject properties,
    String createdAt, String createdBy) {

  /** Names a fence's JSON reserves in its properties; client properties may not use them. */
  public static final Set<String> RESERVED = Set.of("id", "name", "shape", "circle", "version", "createdAt", "createdBy");
  /** Segments of the polygon that approximates a circle in the GeoJSON answer (evaluation is exact). */
  static final int CIRCLE_SEGMENTS = 64;

  /** A spherical circle: every point within {@code radiusMeters} (great-circle) of the centre. */
  public record Circle(double lon, double lat, double radiusMeters) {
    public JsonObject toJson() {
      return new JsonObject().put("center", new JsonArray().add(lon).add(lat)).put("radiusMeters", radiusMeters);
    }
  }

  public boolean isCircle() {
    return circle != null;
  }

  public String shape() {
    return isCircle() ? "circle" : "polygon";
  }

  public JsonObject toStored() {
    JsonObject o = new JsonObject().put("id", id).put("name", name);
    if (isCircle()) {
      o.put("circle", circle.toJson());
    } else {
      o.put("geometry", geometry);
    }
    if (!properties.isEmpty()) o.put("properties", properties);
    return o.put("createdAt", createdAt).put("createdBy", createdBy);
  }

  /** Reads a stored record (written by {@link #toStored}); throws on anything else. */
  public static Geofence fromStored(JsonObject o) {
    JsonObject c = o.getJsonObject("circle");
    Circle circle = null;
    if (c != null) {
      JsonArray center = c.getJsonArray("center");
      circle = new Circle(center.getDouble(0), center.getDouble(1), c.getDouble("radiusMeters"));
    } else if (o.getJsonObject("geometry") == null) {
      throw new IllegalArgumentException("a stored geofence has either geometry or circle");
    }
    JsonObject props = o.getJsonObject("properties");
    return new Geofence(o.getString("id"), o.getString("name"), o.getJsonObject("geometry"), circle,
        props == null ? new JsonObject() : props, o.getString("createdAt"), o.getString("createdBy"));
  }

  /**
   * The fence as a GeoJSON Feature: {@code id}, the geometry (for a circle, a 64-sided polygon
   * through points exactly on the circle, so that any GeoJSON client can draw it; evaluation uses
   * the exact circle), and {@code properties} with id, name, shape, circle (centre, radius),
   * version, createdAt, createdBy and the client's own properties.
   */
  public JsonObject toFeature(long version) {
    JsonObject props = new JsonObject();
    properties.forEach(e -> props.put(e.getKey(), e.getValue()));
    props.put("id", id).put("name", name).put("shape", shape());
    if (isCircle()) props.put("circle", circle.toJson());
    props.put("version", version).put("createdAt", createdAt).put("createdBy", createdBy);
    return new JsonObject().put("type", "Feature").put("id", id)
        .put("geometry", isCircle() ? circlePolygon(circle) : geometry)
        .put("properties", props);
  }

  /**
   * A closed ring of {@link #CIRCLE_SEGMENTS} points on the circle. Near the antimeridian the ring
   * stays continuous (longitudes may pass ±180), which map libraries draw as one shape.
   */
  static JsonObject circlePolygon(Circle c) {
    JsonArray ring = new JsonArray();
    double first = Double.NaN;
    for (int i = 0; i <= CIRCLE_SEGMENTS; i++) {
      double[] p = Spherical.destination(c.lon(), c.lat(), 360.0 * (i % CIRCLE_SEGMENTS) / CIRCLE_SEGMENTS, c.radiusMeters());
      double lon = p[0];
      // keep the ring continuous around the centre
      while (lon - c.lon() > 180) lon -= 360;
      while (lon - c.lon() < -180) lon += 360;
      if (i == 0) first = lon;
      if (i == CIRCLE_SEGMENTS) lon = first;
      ring.add(new JsonArray().add(round(lon)).add(round(p[1])));
    }
    return new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring));
  }

  private static double round(double deg) {
    return Math.round(deg * 1e7) / 1e7;
  }
}
