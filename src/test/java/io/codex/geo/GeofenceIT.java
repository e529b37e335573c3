package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.embedded.EmbeddedKafka;
import io.codex.security.Role;
import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.LiveSocket;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;

/**
 * Geofences on a real node: the API, and a device driven across a polygon and a circle through
 * the real HTTP ingest, with the transitions read from {@code codex.geofence-events} by an
 * independent consumer and from a {@code /ws/live} client; then restarts, one with the evaluator's
 * committed offsets thrown away, after which nothing is written twice.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeofenceIT {
  private static final Duration WAIT = Duration.ofSeconds(30);
  private static final String EVENTS = "codex.geofence-events";

  @TempDir static Path dir;
  static TestNode.Ports ports;
  static TestNode node;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    ports = TestNode.Ports.free();
    node = TestNode.start(dir.resolve("data"), ports, overrides());
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (clients != null) clients.close();
    if (node != null) node.close();
  }

  static String token(Role role) {
    return Http.bearer(new Tokens(node).forRole(role));
  }

  static Http.Response post(JsonObject body) {
    return Http.postJson(node.url("/api/v1/geofences"), token(Role.ADMIN), body);
  }

  static JsonObject square(double w, double s, double e, double n) {
    return new JsonObject().put("type", "Polygon").put("coordinates", new JsonArray().add(new JsonArray()
        .add(new JsonArray().add(w).add(s)).add(new JsonArray().add(e).add(s)).add(new JsonArray().add(e).add(n))
        .add(new JsonArray().add(w).add(n)).add(new JsonArray().add(w).add(s))));
  }

  // ---------------------------------------------------------------- no fence yet

  @Test
  @Order(0)
  void withNoFenceTheEvaluatorReadsNothingAndAFenceCreatedLaterSeesTheNextPosition() throws Exception {
    String device = "truck-before-fences";
    String deviceSecret = new Devices(node).create(device);
    for (int i = 0; i < 20; i++) drive(device, deviceSecret, 30.0 + i * 0.001, 40.0);
    Eventually.within(WAIT, "every telemetry partition paused", () -> node.metric("codex_geofences_partitions_paused") == 6);
    // what arrived while paused is skipped, and committed as such: the group's lag does not grow
    awaitCommittedToTheEnd();
    assertThat(node.metric("codex_geofences_positions_total")).as("positions evaluated with no fence").isZero();

    // a fence around where the device stands, and at once its next position: an enter
    assertThat(post(new JsonObject().put("id", "first-fence").put("name", "First fence")
        .put("circle", new JsonObject().put("center", new JsonArray().add(30.02).add(40.0)).put("radiusMeters", 500))).status())
        .isEqualTo(201);
    drive(device, deviceSecret, 30.0201, 40.0);
    Eventually.within(WAIT, "the enter", () -> KafkaTopics.readAll(node.bootstrapServers(), EVENTS).stream()
        .anyMatch(r -> device.equals(r.key()) && "enter".equals(new JsonObject(r.value()).getString("transition"))));
    assertThat(node.metric("codex_geofences_partitions_paused")).isZero();
    assertThat(node.metric("codex_geofences_positions_total")).as("only what came after the fence").isEqualTo(1.0);

    // the last fence gone and the device's state swept: paused again
    assertThat(Http.delete(node.url("/api/v1/geofences/first-fence"), token(Role.ADMIN)).status()).isEqualTo(204);
    drive(device, deviceSecret, 30.0202, 40.0);
    Eventually.within(WAIT, "paused again", () -> node.metric("codex_geofences_partitions_paused") == 6);
  }

  // ---------------------------------------------------------------- the API

  @Test
  @Order(1)
  void createsListsShowsAndDeletesGeofences() throws Exception {
    Http.Response created = post(new JsonObject().put("id", "api-square").put("name", "API square")
        .put("geometry", square(1, 1, 2, 2)).put("properties", new JsonObject().put("owner", "ops")));
    assertThat(created.status()).as(created.body()).isEqualTo(201);
    assertThat(created.header("Location")).isEqualTo("/api/v1/geofences/api-square");
    JsonObject f = created.json();
    assertThat(f.getString("type")).isEqualTo("Feature");
    assertThat(f.getJsonObject("properties").getString("name")).isEqualTo("API square");
    assertThat(f.getJsonObject("properties").getString("owner")).isEqualTo("ops");
    assertThat(f.getJsonObject("properties").getLong("version")).isNotNull();

    Http.Response circle = post(new JsonObject().put("name", "API circle")
        .put("circle", new JsonObject().put("center", new JsonArray().add(5).add(5)).put("radiusMeters", 1000)));
    assertThat(circle.status()).as(circle.body()).isEqualTo(201);
    String circleId = circle.json().getString("id");
    assertThat(circle.json().getJsonObject("geometry").getString("type")).isEqualTo("Polygon");
    assertThat(circle.json().getJsonObject("properties").getJsonObject("circle").getDouble("radiusMeters")).isEqualTo(1000.0);

    // a viewer reads them, as the map page does
    Http.Response list = Http.get(node.url("/api/v1/geofences"), token(Role.VIEWER));
    assertThat(list.status()).isEqualTo(200);
    assertThat(list.json().getString("type")).isEqualTo("FeatureCollection");
    Set<String> ids = list.json().getJsonArray("features").stream().map(o -> ((JsonObject) o).getString("id")).collect(Collectors.toSet());
    assertThat(ids).contains("api-square", circleId);
    assertThat(Http.get(node.url("/api/v1/geofences/api-square"), token(Role.ANALYST)).json().getJsonObject("geometry"))
        .isEqualTo(square(1, 1, 2, 2));

    // the same id again: 409; a bow tie, an open ring and a bad radius: 400 naming the field
    assertThat(post(new JsonObject().put("id", "api-square").put("name", "again").put("geometry", square(0, 0, 1, 1))).status())
        .isEqualTo(409);
    Http.Response bowTie = post(new JsonObject().put("name", "bow tie").put("geometry", new JsonObject().put("type", "Polygon")
        .put("coordinates", new JsonArray().add(new JsonArray("[[0,0],[1,1],[1,0],[0,1],[0,0]]")))));
    assertThat(bowTie.status()).isEqualTo(400);
    assertThat(bowTie.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(fields(bowTie)).containsExactly("geometry.coordinates[0][3]");
    Http.Response open = post(new JsonObject().put("name", "open").put("geometry", new JsonObject().put("type", "Polygon")
        .put("coordinates", new JsonArray().add(new JsonArray("[[0,0],[1,0],[1,1],[0,1]]")))));
    assertThat(fields(open)).containsExactly("geometry.coordinates[0][3]");
    Http.Response radius = post(new JsonObject().put("name", "c")
        .put("circle", new JsonObject().put("center", new JsonArray().add(0).add(0)).put("radiusMeters", 0)));
    assertThat(fields(radius)).containsExactly("circle.radiusMeters");

    // roles: writes are admin only
    assertThat(Http.postJson(node.url("/api/v1/geofences"), token(Role.ANALYST), new JsonObject()).status()).isEqualTo(403);
    assertThat(Http.delete(node.url("/api/v1/geofences/api-square"), token(Role.VIEWER)).status()).isEqualTo(403);
    new Devices(node).create("fence-api-device");
    String device = Http.bearer(new Tokens(node).forDevice("fence-api-device", Role.DEVICE));
    assertThat(Http.get(node.url("/api/v1/geofences"), device).status()).isEqualTo(403);
    assertThat(Http.get(node.url("/api/v1/geofences"), null).status()).isEqualTo(401);

    // delete: 204, then gone; unknown: 404
    assertThat(Http.delete(node.url("/api/v1/geofences/api-square"), token(Role.ADMIN)).status()).isEqualTo(204);
    assertThat(Http.get(node.url("/api/v1/geofences/api-square"), token(Role.VIEWER)).status()).isEqualTo(404);
    assertThat(Http.delete(node.url("/api/v1/geofences/api-square"), token(Role.ADMIN)).status()).isEqualTo(404);
    assertThat(Http.delete(node.url("/api/v1/geofences/" + circleId), token(Role.ADMIN)).status()).isEqualTo(204);

    // audited
    Eventually.within(WAIT, "geofence writes in codex.audit", () -> {
      List<String> actions = KafkaTopics.readAll(node.bootstrapServers(), "codex.audit").stream()
          .map(r -> new JsonObject(r.value()).getString("action")).toList();
      return actions.contains("geofence.create") && actions.contains("geofence.delete");
    });
  }

  static List<String> fields(Http.Response r) {
    assertThat(r.status()).as(r.body()).isEqualTo(400);
    List<String> out = new ArrayList<>();
    r.json().getJsonArray("errors").forEach(e -> out.add(((JsonObject) e).getString("field")));
    return out;
  }

  // ---------------------------------------------------------------- evaluation

  static final String DEVICE = "truck-fence-1";
  static String secret;
  static final double LAT = 50.05;

  @Test
  @Order(2)
  void aDeviceDrivenAcrossAPolygonAndACircleEntersAndExitsEachOnce() throws Exception {
    assertThat(post(new JsonObject().put("id", "depot").put("name", "Depot").put("geometry", square(10.0, 50.0, 10.1, 50.1)))
        .status()).isEqualTo(201);
    // 3 km around (10.3, 50.05): about 0.042 degrees of longitude either side at this latitude
    assertThat(post(new JsonObject().put("id", "yard").put("name", "Yard")
        .put("circle", new JsonObject().put("center", new JsonArray().add(10.3).add(LAT)).put("radiusMeters", 3000))).status())
        .isEqualTo(201);
    secret = new Devices(node).create(DEVICE);

    try (LiveSocket ws = LiveSocket.connect(clients, node, new Tokens(node).forRole(Role.VIEWER))) {
      ws.subscribe(null, null);
      ws.await("snapshot", WAIT, m -> "positions".equals(m.getString("type")) && m.getBoolean("snapshot", false));
      // west to east along 50.05 N: outside, the depot, outside, the yard, outside
      for (double lon = 9.95; lon <= 10.405; lon += 0.01) drive(lon, LAT);

      List<JsonObject> events = awaitEvents(4);
      assertThat(summary(events)).containsExactly("enter:depot", "exit:depot", "enter:yard", "exit:yard");
      JsonObject enter = events.get(0);
      assertThat(enter.getString("deviceId")).isEqualTo(DEVICE);
      assertThat(enter.getString("geofenceName")).isEqualTo("Depot");
      assertThat(enter.getDouble("lon")).isBetween(10.0, 10.01);
      assertThat(enter.getString("recordId")).isNotBlank();
      assertThat(enter.getString("timestamp")).isNotBlank();

      // every node's live map forwards them: the same events, once each
      for (JsonObject e : events) {
        ws.await("the geofence event " + e.getString("id"), WAIT, m -> "geofence".equals(m.getString("type"))
            && e.getString("id").equals(m.getJsonObject("event").getString("id")));
      }
      Thread.sleep(500);
      List<String> wsIds = ws.messages.stream().filter(m -> "geofence".equals(m.json().getString("type")))
          .map(m -> m.json().getJsonObject("event").getString("id")).toList();
      assertThat(wsIds).containsExactlyElementsOf(events.stream().map(e -> e.getString("id")).toList());
    }
    awaitCommittedToTheEnd();
    Thread.sleep(1_000);
    assertThat(summary(events())).as("nothing more").hasSize(4);
  }

  @Test
  @Order(3)
  void aRestartedNodeWritesNoTransitionTwice() throws Exception {
    restart();
    drive(10.45, LAT); // still outside
    drive(10.30, LAT); // back into the yard
    List<JsonObject> events = awaitEvents(5);
    assertThat(summary(events)).containsExactly("enter:depot", "exit:depot", "enter:yard", "exit:yard", "enter:yard");
    awaitCommittedToTheEnd();
    Thread.sleep(1_000);
    assertThat(events()).hasSize(5);
  }

  @Test
  @Order(4)
  void afterLosingItsCommittedOffsetsTheEvaluatorRereadsEverythingAndWritesNothingTwice() throws Exception {
    node.close();
    node = null;
    // as after a crash before any commit: the group's offsets go back to the start of codex.telemetry
    try (EmbeddedKafka broker = new EmbeddedKafka(dir.resolve("data").resolve("kafka"), ports.kafka(), ports.controller()).start();
         Admin admin = Admin.create(Map.of("bootstrap.servers", broker.bootstrapServers()))) {
      Map<TopicPartition, OffsetAndMetadata> zero = new java.util.HashMap<>();
      admin.listConsumerGroupOffsets("codex-geofences").partitionsToOffsetAndMetadata().get().keySet()
          .forEach(tp -> zero.put(tp, new OffsetAndMetadata(0)));
      assertThat(zero).isNotEmpty();
      admin.alterConsumerGroupOffsets("codex-geofences", zero).all().get();
    }
    restart();
    awaitCommittedToTheEnd();
    drive(10.5, LAT); // out of the yard
    List<JsonObject> events = awaitEvents(6);
    assertThat(summary(events)).containsExactly("enter:depot", "exit:depot", "enter:yard", "exit:yard", "enter:yard", "exit:yard");
    awaitCommittedToTheEnd();
    Thread.sleep(1_000);
    assertThat(events()).hasSize(6);
    assertThat(events.stream().map(e -> e.getString("id")).collect(Collectors.toSet())).hasSize(6);
  }

  @Test
  @Order(5)
  void aDeletedFenceGivesNoExitAndAFenceCreatedAroundADeviceGivesAnEnter() throws Exception {
    drive(10.05, LAT); // into the depot
    awaitEvents(7);
    assertThat(Http.delete(node.url("/api/v1/geofences/depot"), token(Role.ADMIN)).status()).isEqualTo(204);
    drive(10.06, LAT);
    drive(9.5, LAT);
    // a fence created where the device stands: enter on its next position
    assertThat(post(new JsonObject().put("id", "around").put("name", "Around")
        .put("circle", new JsonObject().put("center", new JsonArray().add(9.5).add(LAT)).put("radiusMeters", 500))).status())
        .isEqualTo(201);
    drive(9.5001, LAT);
    List<JsonObject> events = awaitEvents(8);
    assertThat(summary(events).subList(6, 8)).containsExactly("enter:depot", "enter:around");
    awaitCommittedToTheEnd();
    Thread.sleep(1_000);
    assertThat(events()).hasSize(8);
  }

  @Test
  @Order(6)
  void withTwoNodesEachPositionIsEvaluatedOnceAndBothMapsSeeEveryTransition() throws Exception {
    Map<String, Object> cfg = new java.util.HashMap<>(overrides());
    cfg.put("kafka.bootstrapServers", node.bootstrapServers());
    try (TestNode b = TestNode.start(dir.resolve("b"), TestNode.Ports.free(), cfg);
         Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
      // a fence written on one node is listed (and evaluated) on the other within milliseconds
      String auth = token(Role.ADMIN);
      Http.Response created = Http.postJson(b.url("/api/v1/geofences"), auth,
          new JsonObject().put("id", "cluster-zone").put("name", "Cluster zone").put("geometry", square(20.0, 50.0, 20.1, 50.1)));
      assertThat(created.status()).as(created.body()).isEqualTo(201);
      Duration seen = Eventually.within(WAIT, "the fence on the other node",
          () -> Http.get(node.url("/api/v1/geofences/cluster-zone"), auth).status() == 200);
      System.out.printf("a fence created on node b was listed on node a after %d ms%n", seen.toMillis());

      Eventually.within(Duration.ofSeconds(60), "both evaluators in the group", () -> {
        try {
          var g = admin.describeConsumerGroups(List.of("codex-geofences")).all().get().get("codex-geofences");
          return g.members().size() == 2 && g.members().stream().allMatch(m -> !m.assignment().topicPartitions().isEmpty());
        } catch (Exception e) {
          return false;
        }
      });
      try (LiveSocket wsA = LiveSocket.connect(clients, node, new Tokens(node).forRole(Role.VIEWER));
           LiveSocket wsB = LiveSocket.connect(clients, b, new Tokens(node).forRole(Role.VIEWER))) {
        for (LiveSocket ws : List.of(wsA, wsB)) {
          ws.subscribe(null, null);
          ws.await("snapshot", WAIT, m -> "positions".equals(m.getString("type")) && m.getBoolean("snapshot", false));
        }
        List<String> devices = new ArrayList<>();
        for (int i = 0; i < 12; i++) devices.add("cluster-truck-" + i);
        for (double lon : new double[] {19.95, 20.05, 20.15}) {
          JsonArray batch = new JsonArray();
          for (String d : devices) {
            batch.add(new JsonObject().put("deviceId", d).put("timestamp", Instant.now().toString()).put("sensorType", "gps")
                .put("payload", new JsonObject()).put("location", new JsonObject().put("lat", 50.05).put("lon", lon)));
          }
          Http.Response r = Http.send("POST", (lon == 20.05 ? b : node).url("/api/v1/telemetry"), auth, "application/json", batch.encode());
          assertThat(r.status()).as(r.body()).isEqualTo(202);
        }
        Eventually.within(WAIT, "24 transitions", () -> clusterEvents(devices).size() >= 24);
        awaitCommittedToTheEnd();
        Thread.sleep(1_000);
        List<JsonObject> events = clusterEvents(devices);
        assertThat(events).hasSize(24);
        for (String d : devices) {
          assertThat(events.stream().filter(e -> e.getString("deviceId").equals(d)).map(e -> e.getString("transition")).toList())
              .as(d).containsExactly("enter", "exit");
        }
        List<String> ids = events.stream().map(e -> e.getString("id")).sorted().toList();
        for (LiveSocket ws : List.of(wsA, wsB)) {
          within(WAIT, "24 geofence messages on " + (ws == wsA ? "node a" : "node b"), () -> geofenceIds(ws, devices).size() >= 24,
              () -> "got " + geofenceIds(ws, devices).size() + " of them; message types " + new java.util.TreeMap<>(ws.types().stream()
                  .collect(Collectors.groupingBy(t -> t, Collectors.counting()))) + "; livemap metrics a: " + livemapMetrics(node)
                  + ", b: " + livemapMetrics(b));
          Thread.sleep(300);
          assertThat(geofenceIds(ws, devices).stream().sorted().toList()).isEqualTo(ids);
        }
      }
      // both nodes did part of the work
      for (TestNode n : List.of(node, b)) {
        assertThat(n.metric("codex_geofences_positions_total")).as("positions evaluated on " + n.httpPort).isGreaterThan(0);
      }
    }
  }

  /** {@link Eventually#within}, saying what it saw when it gives up. */
  static void within(Duration timeout, String what, java.util.function.Supplier<Boolean> condition,
      java.util.function.Supplier<String> seen) throws InterruptedException {
    try {
      Eventually.within(timeout, what, condition);
    } catch (AssertionError e) {
      throw new AssertionError(e.getMessage() + "; " + seen.get(), e);
    }
  }

  static String livemapMetrics(TestNode n) {
    return Http.get(n.url("/metrics"), null).body().lines()
        .filter(l -> l.startsWith("codex_livemap_messages_total") || l.startsWith("codex_livemap_dropped_total")).toList().toString();
  }

  static List<JsonObject> clusterEvents(List<String> devices) {
    List<JsonObject> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : KafkaTopics.readAll(node.bootstrapServers(), EVENTS)) {
      if (devices.contains(r.key())) out.add(new JsonObject(r.value()));
    }
    out.sort(java.util.Comparator.comparingLong(e -> e.getJsonObject("telemetry").getLong("offset")));
    return out;
  }

  static List<String> geofenceIds(LiveSocket ws, List<String> devices) {
    return ws.messages.stream().filter(m -> "geofence".equals(m.json().getString("type")))
        .map(m -> m.json().getJsonObject("event"))
        .filter(e -> devices.contains(e.getString("deviceId")))
        .map(e -> e.getString("id")).toList();
  }

  // ---------------------------------------------------------------- helpers

  static void restart() throws Exception {
    if (node != null) node.close();
    node = TestNode.start(dir.resolve("data"), ports, overrides());
  }

  /** Every node of this test shares the token key, so a token of one is good on the other. */
  static final String AUTH_KEY = "geofence-it-shared-hs256-key-" + java.util.UUID.randomUUID();

  static Map<String, Object> overrides() {
    return Map.of("livemap.flushInterval", "100ms", "auth.jwt.secret", AUTH_KEY);
  }

  static void drive(double lon, double lat) {
    drive(DEVICE, secret, lon, lat);
  }

  static void drive(String device, String deviceSecret, double lon, double lat) {
    JsonObject rec = new JsonObject().put("deviceId", device).put("timestamp", Instant.now().toString()).put("sensorType", "gps")
        .put("payload", new JsonObject().put("speed", 50)).put("location", new JsonObject().put("lat", lat).put("lon", lon));
    Http.Response r = Http.send("POST", node.url("/api/v1/telemetry"), Http.basic(device, deviceSecret), "application/json", rec.encode());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
  }

  /** This device's events in codex.geofence-events, read by an independent consumer, in order. */
  static List<JsonObject> events() {
    List<JsonObject> out = new ArrayList<>();
    for (ConsumerRecord<String, String> r : KafkaTopics.readAll(node.bootstrapServers(), EVENTS)) {
      if (DEVICE.equals(r.key())) out.add(new JsonObject(r.value()));
    }
    out.sort(java.util.Comparator.comparingLong(e -> e.getJsonObject("telemetry").getLong("offset")));
    return out;
  }

  static List<JsonObject> awaitEvents(int n) throws InterruptedException {
    List<List<JsonObject>> seen = new ArrayList<>();
    Eventually.within(WAIT, n + " geofence events", () -> {
      List<JsonObject> e = events();
      seen.add(0, e);
      return e.size() >= n;
    });
    return seen.get(0);
  }

  static List<String> summary(List<JsonObject> events) {
    return events.stream().map(e -> e.getString("transition") + ":" + e.getString("geofenceId")).toList();
  }

  /** Waits until the evaluator's group has committed every record of codex.telemetry. */
  static void awaitCommittedToTheEnd() throws InterruptedException {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
      Eventually.within(WAIT, "the evaluator committed to the end of codex.telemetry", () -> {
        try {
          Map<TopicPartition, OffsetAndMetadata> committed =
              admin.listConsumerGroupOffsets("codex-geofences").partitionsToOffsetAndMetadata().get();
          Map<TopicPartition, OffsetSpec> latest = new java.util.HashMap<>();
          for (int p = 0; p < 6; p++) latest.put(new TopicPartition("codex.telemetry", p), OffsetSpec.latest());
          var ends = admin.listOffsets(latest).all().get();
          Set<Boolean> done = new HashSet<>();
          ends.forEach((tp, info) -> done.add(info.offset() == 0
              || (committed.get(tp) != null && committed.get(tp).offset() >= info.offset())));
          return !done.contains(false);
        } catch (Exception e) {
          return false;
        }
      });
    }
  }
}
