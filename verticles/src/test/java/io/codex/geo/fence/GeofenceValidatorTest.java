package io.codex.geo.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.api.Problem;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class GeofenceValidatorTest {
  private final GeofenceValidator validator = new GeofenceValidator(GeofenceConfig.from(new JsonObject()
      .put("geofences", new JsonObject().put("maxVertices", 100).put("maxCircleRadiusMeters", 50_000))));

  static JsonObject polygon(double[]... ring) {
    JsonArray r = new JsonArray();
    for (double[] p : ring) r.add(new JsonArray().add(p[0]).add(p[1]));
    return new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(r));
  }

  private Geofence parse(JsonObject body) {
    return validator.parse(body, "generated-id", "cli-admin", "2025-01-01T00:00:00.000Z");
  }

  /** The fields the 400 names. */
  private List<String> fields(JsonObject body) {
    Problem p = (Problem) org.assertj.core.api.Assertions.catchThrowable(() -> parse(body));
    assertThat(p).as("a 400 problem").isNotNull();
    assertThat(p.status()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    p.toJson(null).getJsonArray("errors").forEach(e -> out.add(((JsonObject) e).getString("field")));
    return out;
  }

  private String message(JsonObject body, String field) {
    Problem p = (Problem) org.assertj.core.api.Assertions.catchThrowable(() -> parse(body));
    for (Object e : p.toJson(null).getJsonArray("errors")) {
      if (((JsonObject) e).getString("field").equals(field)) return ((JsonObject) e).getString("message");
    }
    throw new AssertionError("no error for " + field + " in " + p.toJson(null));
  }

  @Test
  void acceptsAPolygonWithAHoleAndKeepsItsCoordinates() {
    JsonObject g = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray()
        .add(new JsonArray("[[0,0],[10,0],[10,10],[0,10],[0,0]]"))
        .add(new JsonArray("[[4,4],[6,4],[6,6],[4,6],[4,4]]")));
    Geofence f = parse(new JsonObject().put("name", " Depot ").put("geometry", g).put("properties", new JsonObject().put("zone", "A")));
    assertThat(f.id()).isEqualTo("generated-id");
    assertThat(f.name()).isEqualTo("Depot");
    assertThat(f.geometry().getJsonArray("coordinates")).isEqualTo(g.getJsonArray("coordinates"));
    assertThat(f.properties().getString("zone")).isEqualTo("A");
    assertThat(Geofence.fromStored(f.toStored())).isEqualTo(f);
  }

  @Test
  void rejectsABowTieNamingTheCrossingEdge() {
    JsonObject body = new JsonObject().put("name", "bow tie")
        .put("geometry", polygon(new double[] {0, 0}, new double[] {1, 1}, new double[] {1, 0}, new double[] {0, 1}, new double[] {0, 0}));
    assertThat(fields(body)).containsExactly("geometry.coordinates[0][3]");
    assertThat(message(body, "geometry.coordinates[0][3]")).contains("intersects itself").contains("[0.5, 0.5]");
  }

  @Test
  void rejectsAnUnclosedRingNamingItsLastPosition() {
    JsonObject body = new JsonObject().put("name", "open")
        .put("geometry", polygon(new double[] {0, 0}, new double[] {1, 0}, new double[] {1, 1}, new double[] {0, 1}));
    assertThat(fields(body)).containsExactly("geometry.coordinates[0][3]");
    assertThat(message(body, "geometry.coordinates[0][3]")).contains("not closed");
  }

  @Test
  void rejectsRingsWithTooFewPositions() {
    JsonObject body = new JsonObject().put("name", "line")
        .put("geometry", polygon(new double[] {0, 0}, new double[] {1, 0}, new double[] {0, 0}));
    assertThat(fields(body)).containsExactly("geometry.coordinates[0]");
  }

  @Test
  void rejectsCoordinatesOutOfRangeNamingEachPosition() {
    JsonObject body = new JsonObject().put("name", "far")
        .put("geometry", polygon(new double[] {0, 0}, new double[] {181, 0}, new double[] {1, 91}, new double[] {0, 1}, new double[] {0, 0}));
    assertThat(fields(body)).containsExactly("geometry.coordinates[0][1]", "geometry.coordinates[0][2]");
    assertThat(message(body, "geometry.coordinates[0][1]")).contains("longitude");
    assertThat(message(body, "geometry.coordinates[0][2]")).contains("latitude");
  }

  @Test
  void rejectsAnEdgeAcrossTheAntimeridianAskingForAMultiPolygon() {
    JsonObject body = new JsonObject().put("name", "pacific")
        .put("geometry", polygon(new double[] {179, 0}, new double[] {-179, 0}, new double[] {-179, 1}, new double[] {179, 1},
            new double[] {179, 0}));
    assertThat(fields(body)).containsExactly("geometry.coordinates[0][1]");
    assertThat(message(body, "geometry.coordinates[0][1]")).contains("MultiPolygon");
  }

  @Test
  void rejectsOverlappingPartsOfAMultiPolygonAndAHoleOutsideItsShell() {
    JsonObject overlapping = new JsonObject().put("type", "MultiPolygon").put("coordinates", new JsonArray()
        .add(new JsonArray().add(new JsonArray("[[0,0],[2,0],[2,2],[0,2],[0,0]]")))
        .add(new JsonArray().add(new JsonArray("[[1,1],[3,1],[3,3],[1,3],[1,1]]"))));
    assertThat(fields(new JsonObject().put("name", "m").put("geometry", overlapping))).singleElement().asString()
        .startsWith("geometry.coordinates[");
    JsonObject holeOutside = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray()
        .add(new JsonArray("[[0,0],[1,0],[1,1],[0,1],[0,0]]"))
        .add(new JsonArray("[[5,5],[6,5],[6,6],[5,6],[5,5]]")));
    assertThat(fields(new JsonObject().put("name", "h").put("geometry", holeOutside))).containsExactly("geometry.coordinates[1][0]");
  }

  @Test
  void rejectsOtherGeometryTypesAndTooManyVertices() {
    assertThat(fields(new JsonObject().put("name", "p").put("geometry", new JsonObject().put("type", "Point")
        .put("coordinates", new JsonArray().add(1).add(2))))).containsExactly("geometry.type");
    JsonArray ring = new JsonArray();
    for (int i = 0; i < 120; i++) {
      double a = 2 * Math.PI * i / 120;
      ring.add(new JsonArray().add(Math.cos(a)).add(Math.sin(a)));
    }
    ring.add(ring.getJsonArray(0).copy());
    JsonObject big = new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(ring));
    assertThat(fields(new JsonObject().put("name", "big").put("geometry", big))).containsExactly("geometry.coordinates");
  }

  @Test
  void acceptsACircleNestedOrAtTheTopLevel() {
    Geofence nested = parse(new JsonObject().put("name", "c").put("id", "yard-1")
        .put("circle", new JsonObject().put("center", new JsonArray().add(2.35).add(48.85)).put("radiusMeters", 500)));
    assertThat(nested.id()).isEqualTo("yard-1");
    assertThat(nested.circle()).isEqualTo(new Geofence.Circle(2.35, 48.85, 500));
    Geofence top = parse(new JsonObject().put("name", "c").put("center", new JsonArray().add(2.35).add(48.85)).put("radiusMeters", 500));
    assertThat(top.circle()).isEqualTo(nested.circle());
  }

  @Test
  void rejectsCircleRadiusNotPositiveOrTooLargeAndCentreOutOfRange() {
    for (Object r : new Object[] {0, -5, 50_001, "100", null}) {
      JsonObject c = new JsonObject().put("center", new JsonArray().add(0).add(0)).put("radiusMeters", r);
      assertThat(fields(new JsonObject().put("name", "c").put("circle", c))).as("radius " + r).containsExactly("circle.radiusMeters");
    }
    JsonObject c = new JsonObject().put("center", new JsonArray().add(200).add(-95)).put("radiusMeters", 10);
    assertThat(fields(new JsonObject().put("name", "c").put("circle", c))).containsExactly("circle.center[0]", "circle.center[1]");
  }

  @Test
  void rejectsMissingNameBadIdBothShapesAndReservedProperties() {
    JsonObject circle = new JsonObject().put("center", new JsonArray().add(0).add(0)).put("radiusMeters", 10);
    assertThat(fields(new JsonObject().put("circle", circle))).containsExactly("name");
    assertThat(fields(new JsonObject().put("name", "x").put("id", "bad id").put("circle", circle))).containsExactly("id");
    assertThat(fields(new JsonObject().put("name", "x").put("circle", circle)
        .put("geometry", polygon(new double[] {0, 0}, new double[] {1, 0}, new double[] {1, 1}, new double[] {0, 0}))))
        .containsExactly("geometry");
    assertThat(fields(new JsonObject().put("name", "x"))).containsExactly("geometry");
    assertThat(fields(new JsonObject().put("name", "x").put("circle", circle).put("properties", new JsonObject().put("version", 3))))
        .containsExactly("properties.version");
  }

  @Test
  void aCircleIsDrawnAsAClosedPolygonThroughPointsOnIt() {
    Geofence f = parse(new JsonObject().put("name", "c")
        .put("circle", new JsonObject().put("center", new JsonArray().add(179.99).add(10)).put("radiusMeters", 5_000)));
    JsonObject feature = f.toFeature(7);
    assertThat(feature.getJsonObject("properties").getLong("version")).isEqualTo(7);
    assertThat(feature.getJsonObject("properties").getString("shape")).isEqualTo("circle");
    JsonArray ring = feature.getJsonObject("geometry").getJsonArray("coordinates").getJsonArray(0);
    assertThat(ring).hasSize(Geofence.CIRCLE_SEGMENTS + 1);
    assertThat(ring.getJsonArray(0)).isEqualTo(ring.getJsonArray(ring.size() - 1));
    for (Object o : ring) {
      JsonArray p = (JsonArray) o;
      assertThat(Spherical.distance(179.99, 10, p.getDouble(0), p.getDouble(1))).isCloseTo(5_000, org.assertj.core.data.Offset.offset(1.0));
      assertThat(p.getDouble(0)).as("continuous across the antimeridian").isBetween(179.0, 181.0);
    }
  }

  @Test
  void storedFormRoundTrips() {
    Geofence c = parse(new JsonObject().put("name", "c").put("properties", new JsonObject().put("k", 1))
        .put("circle", new JsonObject().put("center", new JsonArray().add(1).add(2)).put("radiusMeters", 3)));
    assertThat(Geofence.fromStored(new JsonObject(c.toStored().encode()))).isEqualTo(c);
    assertThatThrownBy(() -> Geofence.fromStored(new JsonObject().put("id", "x"))).isInstanceOf(IllegalArgumentException.class);
  }
}
