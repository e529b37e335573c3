package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.Role;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code /api/v1/devices/nearest} and {@code /within} on a real node, with positions sent through
 * HTTP ingest: devices at known offsets from a point, the expected order and distances computed
 * here independently (haversine on a sphere of the mean Earth radius).
 */
class SpatialQueryIT {
  private static final double LON = 12.4964;
  private static final double LAT = 41.9028;
  /** deviceId → [lon, lat]. */
  private static final Map<String, double[]> AT = new LinkedHashMap<>();

  static {
    AT.put("sq-north-1k", new double[] {LON, LAT + 0.009});
    AT.put("sq-east-1.5k", new double[] {LON + 0.018, LAT});
    AT.put("sq-sw-2k", new double[] {LON - 0.013, LAT - 0.013});
    AT.put("sq-south-5k", new double[] {LON, LAT - 0.045});
    AT.put("sq-milan", new double[] {9.19, 45.46});
  }

  @TempDir static Path dir;
  static TestNode node;
  static Tokens tokens;
  static String viewer;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"));
    tokens = new Tokens(node);
    viewer = Http.bearer(tokens.forRole(Role.VIEWER));
    JsonArray records = new JsonArray();
    AT.forEach((id, p) -> records.add(new JsonObject().put("deviceId", id).put("timestamp", Instant.now().toString())
        .put("sensorType", "gps").put("payload", new JsonObject()).put("location", new JsonObject().put("lon", p[0]).put("lat", p[1]))));
    Http.Response r = Http.send("POST", node.url("/api/v1/telemetry"), Http.bearer(tokens.forRole(Role.ADMIN)), "application/json",
        records.encode());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    Eventually.within(Duration.ofSeconds(30), "every device in the latest positions", () ->
        ids(get("/api/v1/devices/nearest?lat=" + LAT + "&lon=" + LON + "&k=10", viewer)).size() == AT.size());
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static double haversine(double lon1, double lat1, double lon2, double lat2) {
    double r = 6_371_008.8;
    double dLat = Math.toRadians(lat2 - lat1);
    double dLon = Math.toRadians(lon2 - lon1);
    double a = Math.pow(Math.sin(dLat / 2), 2)
        + Math.cos(Math.toRadians(lat1)) * Math.cos(Math.toRadians(lat2)) * Math.pow(Math.sin(dLon / 2), 2);
    return 2 * r * Math.atan2(Math.sqrt(a), Math.sqrt(1 - a));
  }

  /** Device ids by distance from the query point, with their distances. */
  static List<Map.Entry<String, Double>> expected() {
    List<Map.Entry<String, Double>> out = new ArrayList<>();
    AT.forEach((id, p) -> out.add(Map.entry(id, haversine(LON, LAT, p[0], p[1]))));
    out.sort(Map.Entry.comparingByValue(Comparator.naturalOrder()));
    return out;
  }

  static JsonObject get(String pathAndQuery, String auth) {
    Http.Response r = Http.get(node.url(pathAndQuery), auth);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    return r.json();
  }

  static List<String> ids(JsonObject fc) {
    List<String> ids = new ArrayList<>();
    fc.getJsonArray("features").forEach(f -> ids.add(((JsonObject) f).getJsonObject("properties").getString("deviceId")));
    return ids;
  }

  @Test
  void nearestAnswersTheKNearestInOrderWithTheirDistances() {
    JsonObject fc = get("/api/v1/devices/nearest?lat=" + LAT + "&lon=" + LON + "&k=3", viewer);
    assertThat(fc.getString("type")).isEqualTo("FeatureCollection");
    List<Map.Entry<String, Double>> exp = expected();
    assertThat(ids(fc)).containsExactly(exp.get(0).getKey(), exp.get(1).getKey(), exp.get(2).getKey());
    for (int i = 0; i < 3; i++) {
      JsonObject f = fc.getJsonArray("features").getJsonObject(i);
      assertThat(f.getJsonObject("geometry").getString("type")).isEqualTo("Point");
      JsonObject props = f.getJsonObject("properties");
      assertThat(props.getDouble("distanceMeters")).isCloseTo(exp.get(i).getValue(), org.assertj.core.data.Offset.offset(0.5));
      assertThat(props.getString("sensorType")).isEqualTo("gps");
      assertThat(props.getString("timestamp")).isNotBlank();
    }
    // default k is 10: all five, Milan last
    assertThat(ids(get("/api/v1/devices/nearest?lat=" + LAT + "&lon=" + LON, viewer)))
        .containsExactlyElementsOf(exp.stream().map(Map.Entry::getKey).toList());
  }

  @Test
  void withinAnswersEveryDeviceInsideTheRadiusNearestFirst() {
    JsonObject fc = get("/api/v1/devices/within?lat=" + LAT + "&lon=" + LON + "&radiusMeters=2500", tokenFor(Role.ANALYST));
    List<String> inside = expected().stream().filter(e -> e.getValue() <= 2500).map(Map.Entry::getKey).toList();
    assertThat(inside).hasSize(3);
    assertThat(ids(fc)).containsExactlyElementsOf(inside);
    assertThat(fc.getInteger("matched")).isEqualTo(3);
    assertThat(fc.getBoolean("truncated")).isFalse();
    JsonObject limited = get("/api/v1/devices/within?lat=" + LAT + "&lon=" + LON + "&radiusMeters=2500&limit=2", viewer);
    assertThat(ids(limited)).containsExactlyElementsOf(inside.subList(0, 2));
    assertThat(limited.getBoolean("truncated")).isTrue();
    assertThat(ids(get("/api/v1/devices/within?lat=" + LAT + "&lon=" + LON + "&radiusMeters=600000", viewer))).hasSize(5);
  }

  @Test
  void aNarrowedTokenFindsOnlyItsDevices() {
    String narrowed = Http.bearer(tokens.issue("cli-narrow", EnumSet.of(Role.VIEWER), List.of("sq-south-5k", "sq-milan"),
        Duration.ofMinutes(5)));
    assertThat(ids(get("/api/v1/devices/nearest?lat=" + LAT + "&lon=" + LON + "&k=1", narrowed))).containsExactly("sq-south-5k");
    assertThat(ids(get("/api/v1/devices/within?lat=" + LAT + "&lon=" + LON + "&radiusMeters=3000", narrowed))).isEmpty();
  }

  @Test
  void badOrMissingParametersAreA400NamingThem() {
    Map<String, String> cases = new LinkedHashMap<>();
    cases.put("/api/v1/devices/nearest?lon=1", "lat");
    cases.put("/api/v1/devices/nearest?lat=91&lon=1", "lat");
    cases.put("/api/v1/devices/nearest?lat=1&lon=abc", "lon");
    cases.put("/api/v1/devices/nearest?lat=1&lon=1&k=0", "k");
    cases.put("/api/v1/devices/nearest?lat=1&lon=1&k=1001", "k");
    cases.put("/api/v1/devices/within?lat=1&lon=1", "radiusMeters");
    cases.put("/api/v1/devices/within?lat=1&lon=1&radiusMeters=0", "radiusMeters");
    cases.put("/api/v1/devices/within?lat=1&lon=1&radiusMeters=2000000", "radiusMeters");
    cases.put("/api/v1/devices/within?lat=1&lon=1&radiusMeters=10&limit=-1", "limit");
    cases.forEach((url, field) -> {
      Http.Response r = Http.get(node.url(url), viewer);
      assertThat(r.status()).as(url).isEqualTo(400);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.json().getJsonArray("errors").stream().map(e -> ((JsonObject) e).getString("field")).toList())
          .as(url).containsExactly(field);
    });
  }

  @Test
  void theQueriesAreNotTakenForDeviceIds() {
    // GET /api/v1/devices/{deviceId} is admin only: a viewer reaching nearest proves the route order
    assertThat(Http.get(node.url("/api/v1/devices/nearest?lat=0&lon=0"), viewer).status()).isEqualTo(200);
    assertThat(Http.get(node.url("/api/v1/devices/within?lat=0&lon=0&radiusMeters=1"), viewer).status()).isEqualTo(200);
    assertThat(Http.get(node.url("/api/v1/devices/sq-milan"), viewer).status()).isEqualTo(403);
  }

  static String tokenFor(Role role) {
    return Http.bearer(tokens.forRole(role));
  }
}
