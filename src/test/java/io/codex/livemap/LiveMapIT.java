package io.codex.livemap;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.Addresses;
import io.codex.security.Role;
import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.LiveSocket;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Collections;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** {@code /ws/live} against a real node, with real WebSocket clients and telemetry through HTTP ingest and Kafka. */
class LiveMapIT {
  private static final double[] PARIS = {2.0, 48.5, 3.0, 49.2};
  private static final double[] TOKYO = {139.0, 35.0, 140.5, 36.2};
  private static final Duration WAIT = Duration.ofSeconds(20);

  @TempDir static Path dir;
  static TestNode node;
  static Tokens tokens;
  static String admin;
  static String viewer;
  static Vertx clients;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of(
        "livemap.flushInterval", "100ms",
        "livemap.maxQueuedBytes", "64k",
        "livemap.stallTimeout", "2s",
        "livemap.authTimeout", "2s"));
    tokens = new Tokens(node);
    admin = tokens.forRole(Role.ADMIN);
    viewer = tokens.forRole(Role.VIEWER);
    clients = Vertx.vertx();
  }

  @AfterAll
  static void stop() {
    if (clients != null) clients.close();
    if (node != null) node.close();
  }

  @Test
  void aClientSeesPositionsInItsBboxOnlyAndASnapshotOnResubscribe() throws Exception {
    try (LiveSocket paris = LiveSocket.connect(clients, node, viewer);
         LiveSocket tokyo = LiveSocket.connect(clients, node, viewer)) {
      paris.await("ready", WAIT, m -> m.getString("type").equals("ready"));
      tokyo.await("ready", WAIT, m -> m.getString("type").equals("ready"));
      paris.subscribe(PARIS, null);
      tokyo.subscribe(TOKYO, null);
      paris.await("the (empty) snapshot", WAIT, LiveMapIT::isSnapshot);
      for (int i = 0; i < 5; i++) {
        report(List.of(record("bbox-paris", 48.85 + i * 0.001, 2.35), record("bbox-tokyo", 35.68, 139.65 + i * 0.001)));
      }
      paris.await("a Paris position", WAIT, m -> hasDevice(m, "bbox-paris"));
      tokyo.await("a Tokyo position", WAIT, m -> hasDevice(m, "bbox-tokyo"));
      Thread.sleep(500); // a few more flushes
      assertThat(paris.deviceIds()).containsExactly("bbox-paris");
      assertThat(tokyo.deviceIds()).containsExactly("bbox-tokyo");
      JsonObject feature = paris.features().get(paris.features().size() - 1);
      assertThat(feature.getString("type")).isEqualTo("Feature");
      assertThat(feature.getJsonObject("geometry").getString("type")).isEqualTo("Point");
      assertThat(feature.getJsonObject("geometry").getJsonArray("coordinates").getDouble(0)).isEqualTo(2.35);
      assertThat(feature.getJsonObject("properties").fieldNames()).contains("deviceId", "sensorType", "timestamp", "payload");
      assertThat(feature.getJsonObject("properties").getJsonObject("payload").getInteger("seq")).isNotNull();

      // a new subscription starts with the current position of every device in it, and nothing else
      int before = paris.messages.size();
      paris.subscribe(TOKYO, null);
      JsonObject snapshot = paris.awaitAfter(before, "the Tokyo snapshot", WAIT, LiveMapIT::isSnapshot);
      assertThat(ids(snapshot)).containsExactly("bbox-tokyo");
    }
  }

  @Test
  void positionsAreCoalescedToTheLatestPerDevice() throws Exception {
    try (LiveSocket s = LiveSocket.connect(clients, node, viewer)) {
      s.subscribe(null, List.of("coalesce-1"));
      s.await("snapshot", WAIT, LiveMapIT::isSnapshot);
      List<JsonObject> burst = new ArrayList<>();
      for (int i = 0; i < 200; i++) burst.add(record("coalesce-1", 10 + i * 0.0001, 10));
      report(burst);
      s.await("the last of the burst", WAIT, m -> m.getString("type").equals("positions")
          && m.getJsonArray("features").stream().anyMatch(f -> ((JsonObject) f).getJsonObject("properties")
              .getJsonObject("payload").getInteger("seq").equals(burst.get(199).getJsonObject("payload").getInteger("seq"))));
      for (LiveSocket.Received r : s.messages) {
        if (r.json().getString("type").equals("positions")) assertThat(r.json().getJsonArray("features")).hasSizeLessThanOrEqualTo(1);
      }
      assertThat(s.features().size()).as("features for 200 updates of one device").isLessThan(200);
    }
  }

  @Test
  void aViewerNarrowedByItsDevicesClaimNeverReceivesOtherDevices() throws Exception {
    String narrowed = tokens.issue("cli-narrow", EnumSet.of(Role.VIEWER), List.of("claim-seen"), Duration.ofMinutes(10));
    report(List.of(record("claim-seen", 1, 1), record("claim-hidden", 1.001, 1.001)));
    try (LiveSocket s = LiveSocket.connect(clients, node, narrowed);
         LiveSocket explicit = LiveSocket.connect(clients, node, narrowed)) {
      s.subscribe(null, null);
      explicit.subscribe(null, List.of("claim-seen", "claim-hidden"));
      for (int i = 0; i < 5; i++) report(List.of(record("claim-seen", 1 + i * 0.001, 1), record("claim-hidden", 1.001, 1 + i * 0.001)));
      s.await("claim-seen", WAIT, m -> hasDevice(m, "claim-seen"));
      explicit.await("claim-seen", WAIT, m -> hasDevice(m, "claim-seen"));
      node.platform.vertx().eventBus().publish(Addresses.ALERTS_RAISED,
          new JsonObject().put("deviceId", "claim-hidden").put("rule", "threshold").put("field", "speed").put("value", 99));
      node.platform.vertx().eventBus().publish(Addresses.ALERTS_RAISED,
          new JsonObject().put("deviceId", "claim-seen").put("rule", "zscore").put("field", "speed").put("value", 42));
      JsonObject alert = s.await("the alert of claim-seen", WAIT, m -> m.getString("type").equals("alert"));
      assertThat(alert.getJsonObject("alert").getString("deviceId")).isEqualTo("claim-seen");
      Thread.sleep(500);
      assertThat(s.deviceIds()).containsExactly("claim-seen");
      assertThat(explicit.deviceIds()).containsExactly("claim-seen");
      assertThat(s.messages).noneMatch(r -> r.json().encode().contains("claim-hidden"));
      assertThat(explicit.messages).noneMatch(r -> r.json().encode().contains("claim-hidden"));
    }
  }

  @Test
  void authenticatesWithTheFirstMessageAndRefusesBadTokens() throws Exception {
    try (LiveSocket s = LiveSocket.connect(clients, node, null)) {
      s.auth(viewer).subscribe(null, List.of("auth-1"));
      JsonObject ready = s.await("ready", WAIT, m -> m.getString("type").equals("ready"));
      assertThat(ready.getString("subject")).isEqualTo("cli-viewer");
      s.await("the snapshot of the subscription sent right after auth", WAIT, LiveMapIT::isSnapshot);
    }
    try (LiveSocket bad = LiveSocket.connect(clients, node, null)) {
      bad.auth("not.a.jwt");
      Eventually.within(WAIT, "closed 4401", () -> bad.closed() && Short.valueOf((short) 4401).equals(bad.closeCode()));
    }
    try (LiveSocket device = LiveSocket.connect(clients, node, null)) {
      new Devices(node).create("ws-device");
      device.auth(tokens.forDevice("ws-device", Role.DEVICE));
      Eventually.within(WAIT, "closed 4403", () -> device.closed() && Short.valueOf((short) 4403).equals(device.closeCode()));
    }
    try (LiveSocket silent = LiveSocket.connect(clients, node, null)) {
      Eventually.within(WAIT, "closed 4401 after livemap.authTimeout", () -> silent.closed()
          && Short.valueOf((short) 4401).equals(silent.closeCode()));
    }
    assertThat(LiveSocket.rejectedStatus(clients, node, "not.a.jwt")).isEqualTo(401);
    assertThat(LiveSocket.rejectedStatus(clients, node, tokens.forRole(Role.ANALYST))).isEqualTo(-1);
    assertThat(Http.get(node.url("/ws/live"), Http.bearer(viewer)).status()).isEqualTo(400);
  }

  @Test
  void aStalledClientIsDroppedWhileAnotherKeepsItsLatency() throws Exception {
    try (LiveSocket stalled = LiveSocket.connect(clients, node, viewer, new WebSocketClientOptions().setReceiveBufferSize(4096));
         LiveSocket healthy = LiveSocket.connect(clients, node, viewer)) {
      stalled.subscribe(null, null);
      healthy.subscribe(null, null);
      stalled.await("snapshot", WAIT, LiveMapIT::isSnapshot);
      healthy.await("snapshot", WAIT, LiveMapIT::isSnapshot);
      stalled.pause();
      String padding = "x".repeat(1500);
      long t0 = System.currentTimeMillis();
      long measureFrom = t0 + 1_000;
      int round = 0;
      // ~1,500 updates/s of ~1.7 kB features, until the server gives up on the stalled client
      while (System.currentTimeMillis() - t0 < 20_000 && !disconnectedTooSlow()) {
        List<JsonObject> batch = new ArrayList<>();
        for (int d = 0; d < 150; d++) {
          batch.add(record("stall-" + d, -30 + d * 0.1, round * 0.001).put("payload",
              new JsonObject().put("seq", round).put("pad", padding)));
        }
        report(batch);
        round++;
        Thread.sleep(100);
      }
      assertThat(disconnectedTooSlow()).as("the server closed the stalled client as too slow").isTrue();
      // the healthy client kept receiving all along, promptly
      for (int i = 0; i < 10; i++) {
        List<JsonObject> batch = new ArrayList<>();
        for (int d = 0; d < 150; d++) batch.add(record("stall-" + d, -30 + d * 0.1, 1 + i * 0.001));
        report(batch);
        Thread.sleep(100);
      }
      List<Long> lat = healthy.latenciesSince(measureFrom);
      Collections.sort(lat);
      assertThat(lat).hasSizeGreaterThan(1000);
      long p50 = lat.get(lat.size() / 2);
      long p99 = lat.get((int) (lat.size() * 0.99));
      System.out.printf("healthy client: %d features, ingest->client p50 %d ms, p99 %d ms%n", lat.size(), p50, p99);
      assertThat(p99).as("p99 ingest->client latency of the healthy client, ms").isLessThan(1_500);
      assertThat(healthy.closed()).isFalse();
      stalled.resume();
      Eventually.within(WAIT, "the stalled client sees its connection closed", stalled::closed);
    }
  }

  @Test
  void servesTheMapPageAndItsAssets() {
    Http.Response page = Http.get(node.url("/map"), null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.body()).contains("/map/assets/mapbox-gl/mapbox-gl.js").contains("\"mapboxToken\":\"\"");
    assertThat(Http.get(node.url("/map/assets/mapbox-gl/mapbox-gl.js"), null).status()).isEqualTo(200);
    assertThat(Http.get(node.url("/map/assets/map.js"), null).status()).isEqualTo(200);
    Http.Response countries = Http.get(node.url("/map/assets/countries-110m.geojson"), null);
    assertThat(countries.status()).isEqualTo(200);
    assertThat(new JsonObject(countries.body()).getJsonArray("features")).hasSizeGreaterThan(150);
  }

  // ---------------------------------------------------------------- helpers

  private static final java.util.concurrent.atomic.AtomicInteger SEQ = new java.util.concurrent.atomic.AtomicInteger();

  static JsonObject record(String deviceId, double lat, double lon) {
    return new JsonObject().put("deviceId", deviceId).put("timestamp", Instant.now().toString()).put("sensorType", "gps")
        .put("payload", new JsonObject().put("seq", SEQ.incrementAndGet()))
        .put("location", new JsonObject().put("lat", lat).put("lon", lon));
  }

  static void report(List<JsonObject> records) {
    Http.Response r = Http.send("POST", node.url("/api/v1/telemetry"), Http.bearer(admin), "application/json",
        new JsonArray(new ArrayList<>(records)).encode());
    assertThat(r.status()).as(r.body()).isEqualTo(202);
  }

  static boolean isSnapshot(JsonObject m) {
    return m.getString("type").equals("positions") && m.getBoolean("snapshot", false);
  }

  static boolean hasDevice(JsonObject m, String deviceId) {
    return m.getString("type").equals("positions") && ids(m).contains(deviceId);
  }

  static List<String> ids(JsonObject positions) {
    List<String> ids = new ArrayList<>();
    positions.getJsonArray("features").forEach(f -> ids.add(((JsonObject) f).getJsonObject("properties").getString("deviceId")));
    return ids;
  }

  private static final Pattern TOO_SLOW = Pattern.compile("codex_livemap_disconnects_total\\{[^}]*reason=\"too_slow\"[^}]*} ([0-9.]+)");

  static boolean disconnectedTooSlow() {
    Matcher m = TOO_SLOW.matcher(Http.get(node.url("/metrics"), null).body());
    return m.find() && Double.parseDouble(m.group(1)) >= 1;
  }
}
