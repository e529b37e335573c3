package io.codex.launcher;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.Devices;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.io.TempDir;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;

/**
 * Every network transport {@code node.transport} offers carries the node's traffic: a device posts
 * over HTTP and publishes over MQTT (Eclipse Paho, QoS 1) and an independent Kafka consumer finds
 * both records. Every other test runs on the default, NIO.
 */
class EventLoopTransportIT {
  @TempDir Path dir;

  @ParameterizedTest(name = "node.transport={0}")
  @CsvSource({"auto, epoll", "epoll, epoll", "io_uring, io_uring", "nio, nio"})
  void ingestsOverHttpAndMqttOnTheTransportAskedFor(String setting, String expected) throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of("node.transport", setting))) {
      assertThat(node.platform.transport()).isEqualTo(expected);
      String secret = new Devices(node).create("van-1");

      Http.Response posted = Http.send("POST", node.url("/api/v1/telemetry"), Http.basic("van-1", secret), "application/json",
          record("over-http").encode());
      assertThat(posted.status()).as(posted.body()).isEqualTo(202);

      MqttClient mqtt = new MqttClient(node.mqttUrl(), "van-1-" + setting, new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setUserName("van-1");
      o.setPassword(secret.toCharArray());
      mqtt.connect(o);
      mqtt.publish("telemetry/van-1", record("over-mqtt").encode().getBytes(StandardCharsets.UTF_8), 1, false);
      mqtt.disconnect();
      mqtt.close();

      assertThat(KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry"))
          .extracting(r -> r.key() + ":" + new JsonObject(r.value()).getJsonObject("payload").getString("via"))
          .containsExactlyInAnyOrder("van-1:over-http", "van-1:over-mqtt");
    }
  }

  private static JsonObject record(String via) {
    return new JsonObject().put("deviceId", "van-1").put("timestamp", System.currentTimeMillis()).put("sensorType", "gps")
        .put("payload", new JsonObject().put("via", via));
  }
}
