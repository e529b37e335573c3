package io.codex.geo.fence;

import io.codex.api.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.GeometryFactory;
import org.locationtech.jts.geom.LinearRing;
import org.locationtech.jts.geom.Polygon;
import org.locationtech.jts.operation.valid.IsValidOp;
import org.locationtech.jts.operation.valid.TopologyValidationError;

/**
 * Turns the body of {@code POST /api/v1/geofences} into a {@link Geofence}, or a 400 problem whose
 * {@code errors[]} name each bad field the way a client finds it in its own JSON
 * ({@code geometry.coordinates[0][3]}, {@code circle.radiusMeters}).
 *
 * <p>Polygons: rings of at least 4 positions, closed (last = first), longitudes in [-180, 180] and
 * latitudes in [-90, 90], no edge jumping more than 180° of longitude (a polygon across the
 * antimeridian is sent as a MultiPolygon split at ±180, as RFC 7946 asks), and valid as JTS
 * defines it (no self-intersection, holes inside their shell, MultiPolygon parts not overlapping).
 * Ring orientation is not checked. Coordinates are planar longitude/latitude, as GeoJSON is.
 */
public final class GeofenceValidator {
  public static final Pattern ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  public static final int MAX_NAME = 200;
  private static final int MAX_ERRORS = 20;
  private static final GeometryFactory GEOMETRY = new GeometryFactory();

  private final GeofenceConfig cfg;

  public GeofenceValidator(GeofenceConfig cfg) {
    this.cfg = cfg;
  }

  /** The fence the body describes (with a new id unless it names one); throws a 400 {@link Problem}. */
  public Geofence parse(JsonObject body, String newId, String createdBy, String createdAt) {
    Errors errors = new Errors();
    Object id = body.getValue("id");
    if (id != null && !(id instanceof String s && ID.matcher(s).matches())) {
      errors.add("id", "must be 1-128 characters of A-Z a-z 0-9 . _ : - (or left out: Codex makes one)");
    }
    Object name = body.getValue("name");
    if (!(name instanceof String n) || n.isBlank() || n.length() > MAX_NAME) {
      errors.add("name", "is required: a string of 1-" + MAX_NAME + " characters");
    }
    JsonObject properties = new JsonObject();
    Object props = body.getValue("properties");
    if (props != null) {
      if (!(props instanceof JsonObject p)) {
        errors.add("properties", "must be a JSON object");
      } else {
        properties = p;
        for (String k : p.fieldNames()) {
          if (Geofence.RESERVED.contains(k)) errors.add("properties." + k, "is reserved (the fence's own " + k + ")");
        }
        if (p.encode().getBytes(StandardCharsets.UTF_8).length > cfg.maxPropertiesBytes()) {
          errors.add("properties", "must be at most " + cfg.maxPropertiesBytes() + " bytes as JSON (geofences.maxPropertiesSize)");
        }
      }
    }
    Object geometry = body.getValue("geometry");
    boolean topCircle = geometry == null && body.getValue("circle") == null
        && (body.getValue("center") != null || body.getValue("radiusMeters") != null);
    Object circle = topCircle ? body : body.getValue("circle");
    Geofence.Circle c = null;
    JsonObject g = null;
    if (geometry != null && circle != null) {
      errors.add("geometry", "send either geometry (a GeoJSON Polygon or MultiPolygon) or circle, not both");
    } else if (geometry != null) {
      g = geometry(geometry, errors);
    } else if (circle != null) {
      c = circle(circle, topCircle ? "" : "circle.", errors);
    } else {
      errors.add("geometry", "is required: a GeoJSON Polygon or MultiPolygon (or send circle: {center: [lon, lat], radiusMeters})");
    }
    errors.throwIfAny("The geofence is not valid.");
    return new Geofence(id instanceof String s ? s : newId, ((String) name).strip(), g, c, properties, createdAt, createdBy);
  }

  // ---------------------------------------------------------------- circles

  private Geofence.Circle circle(Object v, String prefix, Errors errors) {
    if (!(v instanceof JsonObject c)) {
      errors.add("circle", "must be an object {center: [lon, lat], radiusMeters}");
      return null;
    }
    double[] center = null;
    Object cv = c.getValue("center");
    if (!(cv instanceof JsonArray a) || a.size() != 2 || !(a.getValue(0) instanceof Number) || !(a.getValue(1) instanceof Number)) {
      errors.add(prefix + "center", "is required: [lon, lat]");
    } else {
      double lon = ((Number) a.getValue(0)).doubleValue();
      double lat = ((Number) a.getValue(1)).doubleValue();
      if (!(lon >= -180 && lon <= 180)) errors.add(prefix + "center[0]", "longitude must be in [-180, 180]");
      if (!(lat >= -90 && lat <= 90)) errors.add(prefix + "center[1]", "latitude must be in [-90, 90]");
      center = new double[] {lon, lat};
    }
    Object rv = c.getValue("radiusMeters");
    double r = rv instanceof Number n ? n.doubleValue() : Double.NaN;
    if (!(r > 0) || r > cfg.maxCircleRadiusMeters()) {
      errors.add(prefix + "radiusMeters", "is required: metres, more than 0 and at most " + (long) cfg.maxCircleRadiusMeters()
          + " (geofences.maxCircleRadiusMeters)");
    }
    return errors.any() ? null : new Geofence.Circle(center[0], center[1], r);
  }

  // ---------------------------------------------------------------- polygons

  private JsonObject geometry(Object v, Errors errors) {
    if (!(v instanceof JsonObject g)) {
      errors.add("geometry", "must be a GeoJSON geometry object: {type: Polygon|MultiPolygon, coordinates}");
      return null;
    }
    Object type = g.getValue("type");
    if (!"Polygon".equals(type) && !"MultiPolygon".equals(type)) {
      errors.add("geometry.type", "must be Polygon or MultiPolygon (for a circle send circle: {center, radiusMeters})");
      return null;
    }
    if (!(g.getValue("coordinates") instanceof JsonArray coords) || coords.isEmpty()) {
      errors.add("geometry.coordinates", "is required: " + ("Polygon".equals(type) ? "an array of linear rings" : "an array of polygons"));
      return null;
    }
    int[] vertices = {0};
    List<Polygon> polygons = new ArrayList<>();
    if ("Polygon".equals(type)) {
      Polygon p = polygon(coords, "geometry.coordinates", vertices, errors);
      if (p != null) polygons.add(p);
    } else {
      for (int i = 0; i < coords.size(); i++) {
        String f = "geometry.coordinates[" + i + "]";
        if (!(coords.getValue(i) instanceof JsonArray rings) || rings.isEmpty()) {
          errors.add(f, "must be a polygon: an array of linear rings");
          continue;
        }
        Polygon p = polygon(rings, f, vertices, errors);
        if (p != null) polygons.add(p);
        if (errors.full()) break;
      }
    }
    if (errors.any()) return null;
    Geometry geom = "Polygon".equals(type) ? polygons.get(0) : GEOMETRY.createMultiPolygon(polygons.toArray(Polygon[]::new));
    TopologyValidationError err = new IsValidOp(geom).getValidationError();
    if (err != null) {
      errors.add(locate(err.getCoordinate(), coords, "Polygon".equals(type)), describe(err));
      return null;
    }
    return new JsonObject().put("type", type).put("coordinates", coords.copy());
  }

  private Polygon polygon(JsonArray rings, String field, int[] vertices, Errors errors) {
    LinearRing shell = null;
    List<LinearRing> holes = new ArrayList<>();
    for (int r = 0; r < rings.size(); r++) {
      String rf = field + "[" + r + "]";
      if (!(rings.getValue(r) instanceof JsonArray ring)) {
        errors.add(rf, "must be a linear ring: an array of [lon, lat] positions");
        continue;
      }
      vertices[0] += ring.size();
      if (vertices[0] > cfg.maxVertices()) {
        errors.add("geometry.coordinates", "has more than " + cfg.maxVertices() + " positions (geofences.maxVertices)");
        return null;
      }
      if (ring.size() < 4) {
        errors.add(rf, "a linear ring needs at least 4 positions (the last equal to the first); it has " + ring.size());
        continue;
      }
      Coordinate[] cs = new Coordinate[ring.size()];
      boolean ok = true;
      for (int i = 0; i < ring.size(); i++) {
        String pf = rf + "[" + i + "]";
        Object pv = ring.getValue(i);
        if (!(pv instanceof JsonArray pos) || pos.size() < 2 || pos.size() > 3 || !allNumbers(pos)) {
          errors.add(pf, "must be a position [lon, lat] (or [lon, lat, alt])");
          ok = false;
          continue;
        }
        double lon = ((Number) pos.getValue(0)).doubleValue();
        double lat = ((Number) pos.getValue(1)).doubleValue();
        if (!(lon >= -180 && lon <= 180)) {
          errors.add(pf, "longitude must be in [-180, 180] (got " + pos.getValue(0) + ")");
          ok = false;
        }
        if (!(lat >= -90 && lat <= 90)) {
          errors.add(pf, "latitude must be in [-90, 90] (got " + pos.getValue(1) + ")");
          ok = false;
        }
        cs[i] = new Coordinate(lon, lat);
        if (ok && i > 0 && cs[i - 1] != null && Math.abs(lon - cs[i - 1].x) > 180) {
          errors.add(pf, "the edge from position " + (i - 1) + " jumps across the antimeridian: split the polygon at ±180 "
              + "into a MultiPolygon (RFC 7946, 3.1.9)");
          ok = false;
        }
        if (errors.full()) return null;
      }
      if (!ok) continue;
      if (!cs[0].equals2D(cs[cs.length - 1])) {
        errors.add(rf + "[" + (cs.length - 1) + "]", "the ring is not closed: its last position must equal its first " + xy(cs[0]));
        continue;
      }
      LinearRing lr = GEOMETRY.createLinearRing(cs);
      if (r == 0) {
        shell = lr;
      } else {
        holes.add(lr);
      }
    }
    if (shell == null || errors.any()) return null;
    return GEOMETRY.createPolygon(shell, holes.toArray(LinearRing[]::new));
  }

  private static boolean allNumbers(JsonArray pos) {
    for (Object o : pos) {
      if (!(o instanceof Number n) || !Double.isFinite(n.doubleValue())) return false;
    }
    return true;
  }

  /**
   * The field a validity error points at: the position it names, else the edge through it (by
   * its end position, e.g. the second of two crossing edges), else the geometry.
   */
  static String locate(Coordinate at, JsonArray coords, boolean polygon) {
    if (at == null) return "geometry.coordinates";
    List<String> vertexHits = new ArrayList<>();
    List<String> edgeHits = new ArrayList<>();
    double tol = 1e-9 * Math.max(1, Math.max(Math.abs(at.x), Math.abs(at.y)));
    int parts = polygon ? 1 : coords.size();
    for (int p = 0; p < parts; p++) {
      JsonArray rings = polygon ? coords : coords.getJsonArray(p);
      String pf = polygon ? "geometry.coordinates" : "geometry.coordinates[" + p + "]";
      for (int r = 0; r < rings.size(); r++) {
        JsonArray ring = rings.getJsonArray(r);
        for (int i = 0; i < ring.size(); i++) {
          double x = ring.getJsonArray(i).getDouble(0);
          double y = ring.getJsonArray(i).getDouble(1);
          // the closing position repeats the first: name the first
          if (i < ring.size() - 1 && Math.abs(x - at.x) <= tol && Math.abs(y - at.y) <= tol) {
            vertexHits.add(pf + "[" + r + "][" + i + "]");
          }
          if (i > 0) {
            double px = ring.getJsonArray(i - 1).getDouble(0);
            double py = ring.getJsonArray(i - 1).getDouble(1);
            if (segmentDistance(at.x, at.y, px, py, x, y) <= tol) edgeHits.add(pf + "[" + r + "][" + i + "]");
          }
        }
      }
    }
    if (!vertexHits.isEmpty()) return vertexHits.get(vertexHits.size() - 1);
    if (!edgeHits.isEmpty()) return edgeHits.get(edgeHits.size() - 1);
    return "geometry.coordinates";
  }

  private static String describe(TopologyValidationError err) {
    String what = switch (err.getErrorType()) {
      case TopologyValidationError.SELF_INTERSECTION, TopologyValidationError.RING_SELF_INTERSECTION ->
          "the polygon intersects itself (its edges cross or touch)";
      case TopologyValidationError.HOLE_OUTSIDE_SHELL -> "a hole lies outside its polygon's outer ring";
      case TopologyValidationError.NESTED_HOLES -> "a hole lies inside another hole";
      case TopologyValidationError.DISCONNECTED_INTERIOR -> "the holes split the polygon's interior in parts";
      case TopologyValidationError.NESTED_SHELLS -> "the polygons of the MultiPolygon overlap";
      case TopologyValidationError.DUPLICATE_RINGS -> "a ring is repeated";
      case TopologyValidationError.TOO_FEW_POINTS -> "a ring has fewer than 3 distinct positions";
      default -> err.getMessage();
    };
    return what + (err.getCoordinate() == null ? "" : " at " + xy(err.getCoordinate())) + " (" + err.getMessage() + ")";
  }

  private static String xy(Coordinate c) {
    return "[" + trim(c.x) + ", " + trim(c.y) + "]";
  }

  private static String trim(double d) {
    return d == Math.rint(d) && Math.abs(d) < 1e15 ? Long.toString((long) d) : Double.toString(d);
  }

  private static double segmentDistance(double x, double y, double x1, double y1, double x2, double y2) {
    double dx = x2 - x1;
    double dy = y2 - y1;
    double len2 = dx * dx + dy * dy;
    double t = len2 == 0 ? 0 : Math.max(0, Math.min(1, ((x - x1) * dx + (y - y1) * dy) / len2));
    double ex = x1 + t * dx - x;
    double ey = y1 + t * dy - y;
    return Math.sqrt(ex * ex + ey * ey);
  }

  /** The JTS geometry of a stored (already validated) Polygon or MultiPolygon. */
  public static Geometry toJts(JsonObject geometry) {
    JsonArray coords = geometry.getJsonArray("coordinates");
    if ("Polygon".equals(geometry.getString("type"))) return jtsPolygon(coords);
    Polygon[] ps = new Polygon[coords.size()];
    for (int i = 0; i < ps.length; i++) ps[i] = jtsPolygon(coords.getJsonArray(i));
    return GEOMETRY.createMultiPolygon(ps);
  }

  private static Polygon jtsPolygon(JsonArray rings) {
    LinearRing[] lr = new LinearRing[rings.size()];
    for (int r = 0; r < lr.length; r++) {
      JsonArray ring = rings.getJsonArray(r);
      Coordinate[] cs = new Coordinate[ring.size()];
      for (int i = 0; i < cs.length; i++) {
        JsonArray p = ring.getJsonArray(i);
        cs[i] = new Coordinate(p.getDouble(0), p.getDouble(1));
      }
      lr[r] = GEOMETRY.createLinearRing(cs);
    }
    return GEOMETRY.createPolygon(lr[0], java.util.Arrays.copyOfRange(lr, 1, lr.length));
  }

  /** Collects field errors, at most {@value #MAX_ERRORS}. */
  private static final class Errors {
    private final List<String[]> list = new ArrayList<>();

    void add(String field, String message) {
      if (list.size() < MAX_ERRORS) list.add(new String[] {field, message});
    }

    boolean any() {
      return !list.isEmpty();
    }

    boolean full() {
      return list.size() >= MAX_ERRORS;
    }

    void throwIfAny(String detail) {
      if (list.isEmpty()) return;
      Problem p = Problem.badRequest(detail);
      list.forEach(e -> p.withError(e[0], e[1]));
      throw p;
    }
  }
}
