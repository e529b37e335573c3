package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.bridge.TelemetryRecordDeserializer;
import io.codex.codecs.Addresses;
import io.codex.codecs.TelemetryRecord;
import io.codex.security.Role;
import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** HTTP ingest against the real embedded broker, checked by an independent Kafka consumer. */
class HttpIngestIT {
  @TempDir static Path dir;
  static TestNode node;
  static Devices devices;
  static String truck1;
  static String truck2;
  static String gateway;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(),
        Map.of("ingest.http.maxRecords", 50, "ingest.http.maxBytes", "16k"));
    devices = new Devices(node);
    truck1 = devices.create("truck-1");
    truck2 = devices.create("truck-2");
    gateway = devices.createGateway("yard-gw", List.of("sensor-a", "sensor-b"));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static JsonObject record(String device, int seq) {
    return new JsonObject().put("deviceId", device).put("timestamp", Instant.now().toString()).put("sensorType", "gps")
        .put("payload", new JsonObject().put("seq", seq).put("speed", 10.5))
        .put("location", new JsonObject().put("lat", 48.85 + seq * 1e-4).put("lon", 2.35));
  }

  static Http.Response post(String auth, String contentType, String body) {
    return Http.send("POST", node.url("/api/v1/telemetry"), auth, contentType, body);
  }

  static List<ConsumerRecord<String, String>> telemetry() {
    return KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry");
  }

  @Test
  void everyAckedRecordIsInKafkaOnceKeyedByDeviceInPerDeviceOrder() throws Exception {
    List<TelemetryRecord> fed = new CopyOnWriteArrayList<>();
    var feed = node.platform.vertx().eventBus().<TelemetryRecord>localConsumer(Addresses.TELEMETRY_RECEIVED, m -> fed.add(m.body()));
    feed.completion().toCompletionStage().toCompletableFuture().get();
    List<String> acked = new ArrayList<>();
    int seq = 0;
    for (int batch = 0; batch < 5; batch++) {
      JsonArray arr = new JsonArray();
      for (int i = 0; i < 10; i++) arr.add(record("truck-1", seq++));
      Http.Response r = post(Http.basic("truck-1", truck1), "application/json", arr.encode());
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      assertThat(r.json().getValue("accepted")).isEqualTo(10);
      r.json().getJsonArray("ids").forEach(id -> acked.add((String) id));
    }
    StringBuilder nd = new StringBuilder();
    for (int i = 0; i < 5; i++) nd.append(record("truck-1", seq++).encode()).append('\n');
    Http.Response ndr = post(Http.basic("truck-1", truck1), "application/x-ndjson", nd.toString());
    assertThat(ndr.status()).isEqualTo(202);
    ndr.json().getJsonArray("ids").forEach(id -> acked.add((String) id));
    String jwt = new Tokens(node).forDevice("truck-2", Role.DEVICE);
    Http.Response single = post(Http.bearer(jwt), "application/json", record("truck-2", 0).encode());
    assertThat(single.status()).isEqualTo(202);
    acked.add(single.json().getJsonArray("ids").getString(0));

    Map<String, ConsumerRecord<String, String>> byId = new HashMap<>();
    List<Integer> truck1Order = new ArrayList<>();
    for (ConsumerRecord<String, String> rec : telemetry()) {
      JsonObject v = new JsonObject(rec.value());
      assertThat(byId.put(v.getString("id"), rec)).as("duplicate " + v.getString("id")).isNull();
      assertThat(rec.key()).isEqualTo(v.getString("deviceId"));
      if (v.getString("deviceId").equals("truck-1")) truck1Order.add(v.getJsonObject("payload").getInteger("seq"));
    }
    assertThat(byId.keySet()).containsAll(acked);
    assertThat(truck1Order).isSorted().hasSize(55);

    ConsumerRecord<String, String> one = byId.get(acked.get(0));
    JsonObject v = new JsonObject(one.value());
    assertThat(v.getString("timestamp")).matches("\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z");
    assertThat(Instant.parse(v.getString("receivedAt")).toEpochMilli()).isEqualTo(one.timestamp());
    assertThat(new String(one.headers().lastHeader("sensorType").value(), StandardCharsets.UTF_8)).isEqualTo("gps");
    assertThat(new String(one.headers().lastHeader("timestamp").value(), StandardCharsets.UTF_8)).isEqualTo(v.getString("timestamp"));

    Eventually.within(Duration.ofSeconds(10), "the live feed has every record",
        () -> fed.stream().map(TelemetryRecord::id).toList().containsAll(acked));
    List<String> fedIds = fed.stream().map(TelemetryRecord::id).toList();
    assertThat(fedIds).doesNotHaveDuplicates();
    List<Integer> fedOrder = fed.stream().filter(r -> r.deviceId().equals("truck-1"))
        .map(r -> new JsonObject(r.payloadJson()).getInteger("seq")).toList();
    assertThat(fedOrder).isSorted();
    assertThat(fed.get(0).hasLocation()).isTrue();
    // the feed publishes what this node produced at the offsets Kafka acknowledged, built from what
    // ingest wrote (ProducedTelemetry, FeedSequence): each record is what decoding its bytes in
    // Kafka gives, at its partition and offset
    TelemetryRecordDeserializer decoder = new TelemetryRecordDeserializer();
    for (TelemetryRecord r : fed) {
      ConsumerRecord<String, String> inKafka = byId.get(r.id());
      if (inKafka == null) continue;   // an earlier test's record
      assertThat(r).isEqualTo(decoder.deserialize(null, inKafka.value().getBytes(StandardCharsets.UTF_8))
          .at(inKafka.partition(), inKafka.offset()));
    }
    Eventually.within(Duration.ofSeconds(5), "the feed's records are counted",
        () -> node.metric("codex_feed_records_total") >= acked.size());
    assertThat(node.metric("codex_feed_records_total", "read", "produced")).as("records the feed published without reading them back").isPositive();
    feed.unregister();
  }

  @Test
  void invalidRecordsAreRejectedWholeNamingIndexAndField() {
    int before = telemetry().size();
    JsonArray arr = new JsonArray().add(record("truck-1", 1))
        .add(record("truck-1", 2).put("location", new JsonObject().put("lat", 123).put("lon", 2)))
        .add(new JsonObject().put("deviceId", "truck-1").put("sensorType", "gps").put("payload", "hot"));
    Http.Response r = post(Http.basic("truck-1", truck1), "application/json", arr.encode());
    assertThat(r.status()).isEqualTo(400);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    List<String> fields = r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")).toList();
    assertThat(fields).containsExactlyInAnyOrder("/1/location/lat", "/2/timestamp", "/2/payload");
    assertThat(post(Http.basic("truck-1", truck1), "application/json", "{\"deviceId\": ").status()).isEqualTo(400);
    Http.Response empty = post(Http.basic("truck-1", truck1), "application/json", null);
    assertThat(empty.status()).isEqualTo(400);
    assertThat(empty.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(post(Http.basic("truck-1", truck1), "text/plain", record("truck-1", 1).encode()).status()).isEqualTo(415);
    assertThat(telemetry()).hasSize(before);
  }

  @Test
  void overTheLimitsIs413() {
    JsonArray many = new JsonArray();
    for (int i = 0; i < 51; i++) many.add(new JsonObject().put("deviceId", "truck-1").put("timestamp", 1).put("sensorType", "t")
        .put("payload", new JsonObject()));
    assertThat(post(Http.basic("truck-1", truck1), "application/json", many.encode()).status()).isEqualTo(413);
    JsonObject big = record("truck-1", 1).put("payload", new JsonObject().put("blob", "x".repeat(20_000)));
    Http.Response r = post(Http.basic("truck-1", truck1), "application/json", big.encode());
    assertThat(r.status()).isEqualTo(413);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
  }

  @Test
  void gzipAndDeflateBodiesAreReadDecompressedWithinTheLimits() throws Exception {
    int before = telemetry().size();
    String url = node.url("/api/v1/telemetry");
    // a gateway, which batches: its records stay apart from the ordering checks on truck-1
    String auth = Http.basic("yard-gw", gateway);
    JsonArray three = new JsonArray().add(record("sensor-a", 1)).add(record("sensor-a", 2)).add(record("sensor-a", 3));
    Http.Response gzip = Http.sendEncoded(url, auth, "application/json", "gzip", gzip(three.encode().getBytes(StandardCharsets.UTF_8)));
    assertThat(gzip.status()).as(gzip.body()).isEqualTo(202);
    assertThat(gzip.json().getInteger("accepted")).isEqualTo(3);
    java.io.ByteArrayOutputStream zlib = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.DeflaterOutputStream(zlib)) {
      out.write(record("sensor-a", 4).encode().getBytes(StandardCharsets.UTF_8));
    }
    assertThat(Http.sendEncoded(url, auth, "application/json", "deflate", zlib.toByteArray()).status()).isEqualTo(202);

    // 200 KB of JSON in 1 KB of gzip: the limit (16k here) counts what it decompresses to
    byte[] bomb = gzip(("[" + " ".repeat(200_000) + "]").getBytes(StandardCharsets.UTF_8));
    Http.Response tooLarge = Http.sendEncoded(url, auth, "application/json", "gzip", bomb);
    assertThat(tooLarge.status()).as(bomb.length + " bytes sent").isEqualTo(413);

    Http.Response br = Http.sendEncoded(url, auth, "application/json", "br", new byte[] {1, 2, 3});
    assertThat(br.status()).isEqualTo(415);
    assertThat(br.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("Content-Encoding");

    // not gzip at all: the server cannot read it (it closes the connection); nothing is written
    int status;
    try {
      status = Http.sendEncoded(url, auth, "application/json", "gzip", record("sensor-a", 5).encode().getBytes(StandardCharsets.UTF_8)).status();
    } catch (IllegalStateException closed) {
      status = 0;
    }
    assertThat(status).isNotEqualTo(202);
    assertThat(telemetry()).hasSize(before + 4);
  }

  static byte[] gzip(byte[] data) throws java.io.IOException {
    java.io.ByteArrayOutputStream b = new java.io.ByteArrayOutputStream();
    try (var out = new java.util.zip.GZIPOutputStream(b)) {
      out.write(data);
    }
    return b.toByteArray();
  }

  @Test
  void aDevicePublishesOnlyAsItselfAndAGatewayForItsDevices() {
    int before = telemetry().size();
    double forbidden = node.metric("codex_ingest_records_total", "outcome", "forbidden");
    assertThat(post(null, "application/json", record("truck-1", 1).encode()).status()).isEqualTo(401);
    assertThat(post(Http.basic("truck-1", "wrong"), "application/json", record("truck-1", 1).encode()).status()).isEqualTo(401);
    JsonArray mixed = new JsonArray().add(record("truck-1", 1)).add(record("truck-2", 1));
    Http.Response r = post(Http.basic("truck-1", truck1), "application/json", mixed.encode());
    assertThat(r.status()).isEqualTo(403);
    assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo("/1/deviceId");
    String viewer = new Tokens(node).forRole(Role.VIEWER);
    assertThat(post(Http.bearer(viewer), "application/json", record("truck-1", 1).encode()).status()).isEqualTo(403);
    assertThat(post(Http.basic("yard-gw", gateway), "application/json", record("truck-1", 1).encode()).status()).isEqualTo(403);
    assertThat(telemetry()).hasSize(before);
    // the two refused by ingest (the viewer's by its role, before ingest), one count each
    assertThat(node.metric("codex_ingest_records_total", "outcome", "forbidden")).isEqualTo(forbidden + 2);

    JsonArray forChildren = new JsonArray().add(record("sensor-a", 1)).add(record("sensor-b", 1)).add(record("yard-gw", 1));
    assertThat(post(Http.basic("yard-gw", gateway), "application/json", forChildren.encode()).status()).isEqualTo(202);
    assertThat(telemetry()).hasSize(before + 3);
  }
}
