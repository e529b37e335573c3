package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.MarkedRecords;
import io.codex.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import org.eclipse.paho.client.mqttv3.IMqttDeliveryToken;
import org.eclipse.paho.client.mqttv3.MqttAsyncClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The node's bound on records handed to Kafka and not yet acknowledged, while Kafka's
 * acknowledgements are slow (the producer holds records for {@link #SLOW_ACK_MS} before sending
 * them, as if the broker answered that late; with no early send, which would let the bound's
 * records leave before the linger): the request holding the bound waits for its acks, an
 * MQTT QoS 1 message waits with its PUBACK held, another HTTP request gets 503 with Retry-After
 * after the bounded wait, QoS 0 messages beyond the bound are dropped and counted, and nothing
 * refused reaches Kafka. (With the broker down instead, records fail at once: KafkaOutageIT.)
 */
class IngestBackPressureIT {
  static final int BOUND = 100;
  static final int SLOW_ACK_MS = 8000;
  @TempDir Path dir;

  static String records(String marker, int n) {
    return MarkedRecords.array("pump-1", marker, n);
  }

  static byte[] mqttRecord(String marker) {
    return new JsonObject().put("timestamp", System.currentTimeMillis()).put("sensorType", "flow")
        .put("payload", new JsonObject().put("marker", marker)).encode().getBytes(StandardCharsets.UTF_8);
  }

  @Test
  void overTheBoundHttpGets503WithRetryAfterQos1WaitsAndQos0IsDroppedAndCounted() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of(
        "ingest.maxInflightRecords", BOUND, "ingest.http.maxRecords", BOUND, "ingest.http.maxWait", "300ms",
        "kafka.producer.lingerMs", SLOW_ACK_MS, "kafka.producer.earlySendRecords", 0))) {
      String secret = new Devices(node).create("pump-1");
      String auth = Http.basic("pump-1", secret);
      String url = node.url("/api/v1/telemetry");
      MqttAsyncClient device = new MqttAsyncClient(node.mqttUrl(), "pump-1-" + System.nanoTime(), new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName("pump-1");
      o.setPassword(secret.toCharArray());
      o.setAutomaticReconnect(false);
      device.connect(o).waitForCompletion(10_000);
      try {
        // these records take the whole bound until Kafka acknowledges them
        CompletableFuture<Http.Response> holding = CompletableFuture.supplyAsync(
            () -> Http.send("POST", url, auth, "application/json", records("holding", BOUND)));
        Eventually.within(Duration.ofSeconds(5), "the bound taken", () -> node.metric("codex_ingest_inflight_records") == BOUND);

        IMqttDeliveryToken qos1 = device.publish("telemetry/pump-1", mqttRecord("qos1-held"), 1, false);

        Http.Response refused = Http.send("POST", url, auth, "application/json", records("at-capacity", 1));
        assertThat(refused.status()).as(refused.body()).isEqualTo(503);
        assertThat(refused.header("Retry-After")).isNotNull();
        assertThat(refused.header("Content-Type")).startsWith("application/problem+json");
        assertThat(new JsonObject(refused.body()).getString("detail")).contains("capacity").contains("Nothing was written");

        double overload = node.metric("codex_ingest_records_total", "outcome", "overload");
        for (int i = 0; i < 20; i++) device.publish("telemetry/pump-1", mqttRecord("qos0-dropped-" + i), 0, false);
        Eventually.within(Duration.ofSeconds(5), "20 QoS 0 messages counted as dropped",
            () -> node.metric("codex_ingest_records_total", "outcome", "overload") == overload + 20);
        assertThat(device.isConnected()).as("a QoS 0 device is not disconnected for it").isTrue();

        assertThat(holding).as("the records holding the bound still wait for Kafka").isNotDone();
        assertThat(qos1.isComplete()).as("the QoS 1 PUBACK is held while the bound is taken").isFalse();

        Http.Response held = holding.get();
        assertThat(held.status()).as(held.body()).isEqualTo(202);
        qos1.waitForCompletion(2L * SLOW_ACK_MS + 10_000);
        assertThat(qos1.getException()).isNull();
      } finally {
        device.disconnect().waitForCompletion(10_000);
        device.close();
      }
      List<String> inKafka = KafkaTopics.telemetryMarkers(node);
      assertThat(inKafka).contains("holding-0", "holding-99", "qos1-held").doesNotContain("at-capacity-0");
      assertThat(inKafka).noneMatch(m -> m.startsWith("qos0-dropped-"));
      assertThat(node.metric("codex_ingest_inflight_records")).isZero();
    }
  }
}
