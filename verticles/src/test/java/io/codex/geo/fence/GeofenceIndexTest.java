package io.codex.geo.fence;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.Test;

class GeofenceIndexTest {
  static Geofence polygonFence(String id, JsonObject geometry) {
    return new Geofence(id, id, geometry, null, new JsonObject(), "t", "test");
  }

  static Geofence circleFence(String id, double lon, double lat, double r) {
    return new Geofence(id, id, null, new Geofence.Circle(lon, lat, r), new JsonObject(), "t", "test");
  }

  static GeofenceIndex index(Geofence... fences) {
    List<GeofenceIndex.Entry> entries = new ArrayList<>();
    long v = 1;
    for (Geofence f : fences) entries.add(GeofenceIndex.compile(f, v++));
    return GeofenceIndex.of(entries);
  }

  static Set<String> at(GeofenceIndex idx, double lon, double lat) {
    GeofenceIndex.Hits hits = new GeofenceIndex.Hits();
    idx.locate(lon, lat, hits);
    Set<String> ids = new TreeSet<>();
    for (int i = 0; i < hits.size(); i++) ids.add(hits.get(i).fence.id());
    return ids;
  }

  @Test
  void aPolygonWithAHoleHoldsItsRingButNotItsHole() {
    GeofenceIndex idx = index(polygonFence("donut", new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray()
        .add(new JsonArray("[[0,0],[10,0],[10,10],[0,10],[0,0]]"))
        .add(new JsonArray("[[4,4],[6,4],[6,6],[4,6],[4,4]]")))));
    assertThat(at(idx, 2, 2)).containsExactly("donut");
    assertThat(at(idx, 5, 5)).as("in the hole").isEmpty();
    assertThat(at(idx, 11, 5)).isEmpty();
    assertThat(at(idx, 10, 5)).as("on the outer edge counts as inside").containsExactly("donut");
    assertThat(at(idx, 4, 5)).as("on the hole's edge counts as inside").containsExactly("donut");
  }

  @Test
  void aMultiPolygonHoldsEachOfItsPartsAndNothingBetween() {
    GeofenceIndex idx = index(polygonFence("islands", new JsonObject().put("type", "MultiPolygon").put("coordinates", new JsonArray()
        .add(new JsonArray().add(new JsonArray("[[0,0],[1,0],[1,1],[0,1],[0,0]]")))
        .add(new JsonArray().add(new JsonArray("[[5,5],[6,5],[6,6],[5,6],[5,5]]"))))));
    assertThat(at(idx, 0.5, 0.5)).containsExactly("islands");
    assertThat(at(idx, 5.5, 5.5)).containsExactly("islands");
    assertThat(at(idx, 3, 3)).as("inside the envelope, between the parts").isEmpty();
  }

  @Test
  void aCircleNextToTheAntimeridianHoldsPointsOnBothSides() {
    GeofenceIndex idx = index(circleFence("dateline", 179.9, -17.0, 30_000));
    // 179.9 -> -179.9 is 0.2 degrees of longitude, about 21 km at 17 degrees south
    assertThat(at(idx, -179.9, -17.0)).containsExactly("dateline");
    assertThat(at(idx, 180.0, -17.0)).containsExactly("dateline");
    assertThat(at(idx, -180.0, -17.0)).containsExactly("dateline");
    assertThat(at(idx, -179.5, -17.0)).as("about 64 km away").isEmpty();
    assertThat(at(idx, 179.5, -17.0)).isEmpty();
  }

  @Test
  void aCircleAroundAPoleHoldsEveryLongitudeNearIt() {
    GeofenceIndex idx = index(circleFence("arctic", 0, 89.5, 100_000));
    assertThat(at(idx, 180, 89.8)).containsExactly("arctic");
    assertThat(Spherical.distance(0, 89.5, 180, 89.8)).as("across the pole").isLessThan(80_000);
    assertThat(at(idx, 90, 89.3)).containsExactly("arctic");
    assertThat(at(idx, -135, 89.0)).as("%s m away", Spherical.distance(0, 89.5, -135, 89.0)).isEmpty();
    assertThat(at(idx, 0, 88.0)).isEmpty();
  }

  @Test
  void circleTestsUseGreatCircleDistance() {
    GeofenceIndex idx = index(circleFence("c", 10, 60, 1_000));
    double[] inside = Spherical.destination(10, 60, 77, 999);
    double[] outside = Spherical.destination(10, 60, 77, 1_001);
    assertThat(at(idx, inside[0], inside[1])).containsExactly("c");
    assertThat(at(idx, outside[0], outside[1])).isEmpty();
  }

  @Test
  void agreesWithTestingEveryFenceDirectly() {
    Random rnd = new Random(42);
    List<Geofence> fences = new ArrayList<>();
    for (int i = 0; i < 300; i++) {
      double lon = -5 + rnd.nextDouble() * 10;
      double lat = 40 + rnd.nextDouble() * 10;
      if (i % 2 == 0) {
        fences.add(circleFence("c" + i, lon, lat, 1_000 + rnd.nextDouble() * 30_000));
      } else {
        double w = 0.05 + rnd.nextDouble() * 0.3;
        fences.add(polygonFence("p" + i, new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
            .add(new JsonArray().add(lon).add(lat)).add(new JsonArray().add(lon + w).add(lat + w / 3))
            .add(new JsonArray().add(lon + w / 2).add(lat + w)).add(new JsonArray().add(lon).add(lat))))));
      }
    }
    // a few fences far larger than the typical one (the index keeps those apart)
    fences.add(circleFence("huge-1", 0, 45, 300_000));
    fences.add(circleFence("huge-2", 3, 48, 150_000));
    fences.add(polygonFence("huge-3", GeofenceValidatorTest.polygon(new double[] {-4, 41}, new double[] {4, 42}, new double[] {1, 49},
        new double[] {-4, 41})));
    GeofenceIndex idx = index(fences.toArray(Geofence[]::new));
    org.locationtech.jts.geom.GeometryFactory gf = new org.locationtech.jts.geom.GeometryFactory();
    java.util.Map<String, org.locationtech.jts.geom.Geometry> jts = new java.util.HashMap<>();
    fences.stream().filter(f -> !f.isCircle()).forEach(f -> jts.put(f.id(), GeofenceValidator.toJts(f.geometry())));
    int found = 0;
    for (int n = 0; n < 20_000; n++) {
      double lon = -5 + rnd.nextDouble() * 10;
      double lat = 40 + rnd.nextDouble() * 10;
      Set<String> expected = new TreeSet<>();
      for (Geofence f : fences) {
        boolean in = f.isCircle()
            ? Spherical.distance(lon, lat, f.circle().lon(), f.circle().lat()) <= f.circle().radiusMeters()
            : jts.get(f.id()).covers(gf.createPoint(new org.locationtech.jts.geom.Coordinate(lon, lat)));
        if (in) expected.add(f.id());
      }
      assertThat(at(idx, lon, lat)).as("at %s %s", lon, lat).isEqualTo(expected);
      found += expected.size();
    }
    assertThat(found).as("the sample hits fences").isGreaterThan(1_000);
  }
}
