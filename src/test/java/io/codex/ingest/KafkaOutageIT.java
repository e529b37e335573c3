package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.Devices;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.stream.Collectors;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The broker stops in the middle of a load and comes back: every record a client saw
 * acknowledged is in Kafka, the clients saw errors (not acks) for the rest, and ingestion resumes
 * by itself.
 */
class KafkaOutageIT {
  @TempDir Path dir;

  @Test
  void everyAcknowledgedRecordSurvivesABrokerOutageAndIngestResumes() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of(
        "kafka.producer.requestTimeoutMs", 1000, "kafka.producer.deliveryTimeoutMs", 3000,
        "ingest.http.maxWait", "200ms", "ingest.maxInflightRecords", 2000))) {
      Devices devices = new Devices(node);
      String secret = devices.create("bus-1");
      String mqttSecret = devices.create("bus-2");

      Set<String> ackedIds = ConcurrentHashMap.newKeySet();
      Set<String> ackedMarkers = ConcurrentHashMap.newKeySet();
      AtomicInteger httpErrors = new AtomicInteger();
      AtomicInteger retryAfter = new AtomicInteger();
      AtomicInteger mqttErrors = new AtomicInteger();
      AtomicBoolean running = new AtomicBoolean(true);
      List<Thread> load = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        load.add(new Thread(() -> {
          int seq = 0;
          while (running.get()) {
            JsonArray batch = new JsonArray();
            for (int i = 0; i < 10; i++) {
              batch.add(new JsonObject().put("deviceId", "bus-1").put("timestamp", System.currentTimeMillis())
                  .put("sensorType", "gps").put("payload", new JsonObject().put("seq", seq++)));
            }
            try {
              Http.Response r = Http.send("POST", node.url("/api/v1/telemetry"), Http.basic("bus-1", secret),
                  "application/json", batch.encode());
              if (r.status() == 202) {
                r.json().getJsonArray("ids").forEach(id -> ackedIds.add((String) id));
              } else {
                httpErrors.incrementAndGet();
                if (r.status() == 503 && r.header("Retry-After") != null) retryAfter.incrementAndGet();
              }
            } catch (RuntimeException e) {
              httpErrors.incrementAndGet();
            }
          }
        }));
      }
      load.add(new Thread(() -> {
        int seq = 0;
        while (running.get()) {
          try {
            MqttClient c = new MqttClient(node.mqttUrl(), "bus-2-" + System.nanoTime(), new MemoryPersistence());
            MqttConnectOptions o = new MqttConnectOptions();
            o.setUserName("bus-2");
            o.setPassword(mqttSecret.toCharArray());
            c.connect(o);
            c.setTimeToWait(10_000);
            while (running.get()) {
              String marker = "m-" + seq++;
              c.publish("telemetry/bus-2", new JsonObject().put("timestamp", System.currentTimeMillis())
                  .put("sensorType", "gps").put("payload", new JsonObject().put("marker", marker)).encode()
                  .getBytes(StandardCharsets.UTF_8), 1, false);
              ackedMarkers.add(marker);
            }
            c.disconnect();
            c.close();
          } catch (Exception e) {
            mqttErrors.incrementAndGet();
            try {
              Thread.sleep(200);
            } catch (InterruptedException ie) {
              return;
            }
          }
        }
      }));
      load.forEach(Thread::start);
      Thread.sleep(1_500);
      int ackedBefore = ackedIds.size();
      node.platform.embeddedBroker().close();
      Thread.sleep(5_000);
      node.platform.embeddedBroker().start();
      Thread.sleep(6_000);
      running.set(false);
      for (Thread t : load) t.join(30_000);

      assertThat(ackedBefore).as("records acked before the outage").isPositive();
      assertThat(httpErrors.get()).as("HTTP clients were told about the outage").isPositive();
      assertThat(retryAfter.get()).as("503 with Retry-After").isPositive();

      Http.Response after = Http.send("POST", node.url("/api/v1/telemetry"), Http.basic("bus-1", secret), "application/json",
          new JsonObject().put("deviceId", "bus-1").put("timestamp", 1).put("sensorType", "gps").put("payload", new JsonObject()).encode());
      assertThat(after.status()).as("ingest resumed by itself: " + after.body()).isEqualTo(202);
      ackedIds.add(after.json().getJsonArray("ids").getString(0));

      List<JsonObject> inKafka = KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry").stream()
          .map(r -> new JsonObject(r.value())).toList();
      Set<String> ids = inKafka.stream().map(v -> v.getString("id")).collect(Collectors.toSet());
      Set<String> markers = inKafka.stream().map(v -> v.getJsonObject("payload").getString("marker"))
          .filter(m -> m != null).collect(Collectors.toSet());
      // set differences: AssertJ's containsAll compares element by element (quadratic; minutes for 85k ids)
      Set<String> missingIds = new java.util.HashSet<>(ackedIds);
      missingIds.removeAll(ids);
      assertThat(missingIds).as("HTTP records acknowledged but not in Kafka").isEmpty();
      Set<String> missingMarkers = new java.util.HashSet<>(ackedMarkers);
      missingMarkers.removeAll(markers);
      assertThat(missingMarkers).as("MQTT QoS 1 messages acknowledged but not in Kafka").isEmpty();
      System.out.printf("outage: %d HTTP records acked (%d before the stop), %d HTTP errors (%d with Retry-After); "
              + "%d MQTT QoS 1 acked, %d MQTT errors; %d records in Kafka%n", ackedIds.size(), ackedBefore,
          httpErrors.get(), retryAfter.get(), ackedMarkers.size(), mqttErrors.get(), inKafka.size());
    }
  }
}
