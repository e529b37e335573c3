package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.Addresses;
import io.codex.codecs.TelemetryRecord;
import io.codex.security.Role;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator deletes {@code codex.telemetry} and creates it again under a running node: the new
 * topic's offsets start from 0 again, below the ones the live feed and the live map have seen.
 * Records sent afterwards must still reach the feed, once each, move the devices on the map and
 * cross geofences.
 */
class TopicRecreatedIT {
  @TempDir
  static Path dir;

  private static List<String> send(TestNode node, String auth, int from, int n) {
    JsonArray batch = new JsonArray();
    for (int i = from; i < from + n; i++) {
      batch.add(new JsonObject().put("deviceId", "rt-" + i % 4).put("timestamp", Instant.now().toString()).put("sensorType", "gps")
          .put("payload", new JsonObject().put("seq", i)).put("location", new JsonObject().put("lat", 45 + i * 1e-4).put("lon", 4.8)));
    }
    Http.Response r = Http.send("POST", node.url("/api/v1/telemetry"), auth, "application/json", batch.encode());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
    return r.json().getJsonArray("ids").stream().map(String.class::cast).toList();
  }

  private static double mapLat(TestNode node, String viewer, String device) {
    Http.Response r = Http.send("GET", node.url("/api/v1/devices/nearest?lat=45&lon=4.8&k=10"), viewer, null, null);
    for (Object f : r.json().getJsonArray("features")) {
      JsonObject feature = (JsonObject) f;
      if (device.equals(feature.getJsonObject("properties").getString("deviceId"))) {
        return feature.getJsonObject("geometry").getJsonArray("coordinates").getDouble(1);
      }
    }
    return Double.NaN;
  }

  private static List<String> transitions(String device, TestNode node) {
    return KafkaTopics.readAll(node.bootstrapServers(), "codex.geofence-events").stream().filter(r -> device.equals(r.key()))
        .map(r -> new JsonObject(r.value()).getString("transition")).toList();
  }

  @Test
  void afterTheTopicIsRecreatedTheFeedTheMapAndTheGeofencesGoOn() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("n"))) {
      Tokens tokens = new Tokens(node);
      String admin = Http.bearer(tokens.forRole(Role.ADMIN));
      String viewer = Http.bearer(tokens.forRole(Role.VIEWER));
      List<TelemetryRecord> fed = new CopyOnWriteArrayList<>();
      MessageConsumer<TelemetryRecord> c = node.platform.vertx().eventBus()
          .<TelemetryRecord>localConsumer(Addresses.TELEMETRY_RECEIVED, m -> fed.add(m.body()));
      c.completion().toCompletionStage().toCompletableFuture().get();

      // a fence around the end of the route: rt-1 enters it before the topic is deleted
      assertThat(Http.postJson(node.url("/api/v1/geofences"), admin, new JsonObject().put("id", "depot").put("name", "Depot")
          .put("circle", new JsonObject().put("center", new JsonArray().add(4.8).add(45.035)).put("radiusMeters", 600))).status())
          .isEqualTo(201);
      List<String> before = new java.util.ArrayList<>();
      for (int k = 0; k < 10; k++) before.addAll(send(node, admin, k * 40, 40));
      Eventually.within(Duration.ofSeconds(20), "the feed has the first records",
          () -> fed.stream().map(TelemetryRecord::id).toList().containsAll(before));
      // the map takes the feed's records on its own event loop: it may be a moment behind this consumer
      Eventually.within(Duration.ofSeconds(10), "the map shows rt-1 where it was last sent before the topic was deleted",
          () -> mapLat(node, viewer, "rt-1") > 45.03);
      Eventually.within(Duration.ofSeconds(20), "rt-1 entered the depot", () -> transitions("rt-1", node).contains("enter"));

      try (Admin kafka = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
        kafka.deleteTopics(List.of("codex.telemetry")).all().get();
        for (int i = 0; i < 200 && kafka.listTopics().names().get().contains("codex.telemetry"); i++) Thread.sleep(100);
        kafka.createTopics(List.of(new NewTopic("codex.telemetry", 6, (short) 1))).all().get();
      }
      fed.clear();
      // back at the start of the route: lower latitudes, at offsets below the ones seen before
      List<String> after = new java.util.ArrayList<>();
      long deadline = System.nanoTime() + Duration.ofSeconds(60).toNanos();
      while (after.isEmpty()) {
        try {
          after.addAll(send(node, admin, 0, 8));
        } catch (AssertionError notYet) {
          if (System.nanoTime() > deadline) throw notYet;
          Thread.sleep(500);
        }
      }
      for (int k = 1; k < 3; k++) after.addAll(send(node, admin, k * 8, 8));
      Eventually.within(Duration.ofSeconds(30), "the feed has the records sent after the topic came back",
          () -> fed.stream().map(TelemetryRecord::id).toList().containsAll(after));
      assertThat(fed.stream().map(TelemetryRecord::id).filter(Set.copyOf(after)::contains).toList()).doesNotHaveDuplicates();
      Eventually.within(Duration.ofSeconds(10), "the map shows rt-1 where it was last sent",
          () -> mapLat(node, viewer, "rt-1") < 45.003);
      Eventually.within(Duration.ofSeconds(20), "rt-1, back at the start of the route, left the depot",
          () -> transitions("rt-1", node).equals(List.of("enter", "exit")));
      c.unregister();
    }
  }
}
