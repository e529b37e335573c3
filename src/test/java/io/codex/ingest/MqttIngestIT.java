package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.security.Role;
import io.codex.testing.Devices;
import io.codex.testing.KafkaTopics;
import io.codex.testing.Paho;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** MQTT ingest through third-party clients: Eclipse Paho (3.1.1) and mosquitto_pub (3.1.1 and 5). */
class MqttIngestIT {
  static final int RECEIVE_MAXIMUM = 20;
  @TempDir static Path dir;
  static TestNode node;
  static String meter1;
  static String meter2;

  @BeforeAll
  static void start() throws Exception {
    // a small receive window, so that a pipelining client fills it at once
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of("mqtt.receiveMaximum", RECEIVE_MAXIMUM));
    Devices devices = new Devices(node);
    meter1 = devices.create("meter-1");
    meter2 = devices.create("meter-2");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static MqttClient connect(String user, String password) throws MqttException {
    return Paho.connect(node, user, password);
  }

  static byte[] record(String marker) {
    return new JsonObject().put("timestamp", System.currentTimeMillis()).put("sensorType", "power")
        .put("payload", new JsonObject().put("marker", marker).put("kw", 3.2)).encode().getBytes(StandardCharsets.UTF_8);
  }

  static List<String> markersInKafka() {
    return KafkaTopics.telemetryMarkers(node);
  }

  @Test
  void qos1PubackArrivesOnlyOnceTheRecordIsInKafka() throws Exception {
    MqttClient c = connect("meter-1", meter1);
    try {
      for (int i = 0; i < 20; i++) {
        String marker = "paho-" + i;
        c.publish("telemetry/meter-1", record(marker), 1, false); // returns when PUBACK arrived
        // acked means durable: an independent consumer finds it right now, without waiting
        assertThat(markersInKafka()).contains(marker);
      }
    } finally {
      c.disconnect();
      c.close();
    }
    ConsumerRecord<String, String> r = KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry").stream()
        .filter(x -> x.value().contains("paho-0")).findFirst().orElseThrow();
    assertThat(r.key()).isEqualTo("meter-1");
    assertThat(new JsonObject(r.value()).getString("deviceId")).isEqualTo("meter-1");
  }

  @Test
  void aDeviceJwtWorksAsPassword() throws Exception {
    MqttClient c = connect("meter-2", new Tokens(node).forDevice("meter-2", Role.DEVICE));
    c.publish("telemetry/meter-2", record("jwt-1"), 1, false);
    c.disconnect();
    c.close();
    assertThat(markersInKafka()).contains("jwt-1");
  }

  @Test
  void refusesBadCredentials() {
    assertThatThrownBy(() -> connect("meter-1", "not-the-secret")).isInstanceOfSatisfying(MqttException.class,
        e -> assertThat(e.getReasonCode()).isEqualTo(MqttException.REASON_CODE_FAILED_AUTHENTICATION));
    assertThatThrownBy(() -> connect("meter-1", new Tokens(node).forDevice("meter-2", Role.DEVICE)))
        .isInstanceOf(MqttException.class);
  }

  @Test
  void publishingToAnotherDevicesTopicIsRefusedAndNothingIsWritten() throws Exception {
    double forbidden = node.metric("codex_ingest_records_total", "outcome", "forbidden");
    MqttClient intruder = connect("meter-1", meter1);
    MqttClient bystander = connect("meter-2", meter2);
    try {
      assertThatThrownBy(() -> intruder.publish("telemetry/meter-2", record("spoofed"), 1, false))
          .isInstanceOf(MqttException.class);
      assertThat(intruder.isConnected()).isFalse();
      bystander.publish("telemetry/meter-2", record("bystander-ok"), 1, false);
    } finally {
      bystander.disconnect();
      bystander.close();
      intruder.close();
    }
    List<String> markers = markersInKafka();
    assertThat(markers).contains("bystander-ok").doesNotContain("spoofed");
    assertThat(node.metric("codex_ingest_records_total", "outcome", "forbidden")).as("counted").isEqualTo(forbidden + 1);
  }

  @Test
  void aBadPayloadIsRefusedWithoutDisturbingOtherDevices() throws Exception {
    double invalid = node.metric("codex_ingest_records_total", "outcome", "invalid");
    MqttClient broken = connect("meter-1", meter1);
    MqttClient healthy = connect("meter-2", meter2);
    try {
      assertThatThrownBy(() -> broken.publish("telemetry/meter-1", "{not json".getBytes(StandardCharsets.UTF_8), 1, false))
          .isInstanceOf(MqttException.class);
      for (int i = 0; i < 5; i++) healthy.publish("telemetry/meter-2", record("healthy-" + i), 1, false);
    } finally {
      healthy.disconnect();
      healthy.close();
      broken.close();
    }
    assertThat(markersInKafka()).contains("healthy-4");
    assertThat(node.metric("codex_ingest_records_total", "outcome", "invalid")).as("counted").isEqualTo(invalid + 1);
  }

  @Test
  void mosquittoPubDeliversQos1AndMqtt5GetsReasonCodes() throws Exception {
    Process ok = mosquittoPub("meter-1", meter1, "telemetry/meter-1", new String(record("mosquitto-1"), StandardCharsets.UTF_8), "mqttv311");
    assertThat(ok.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String out = new String(ok.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(ok.exitValue()).as(out).isZero();
    assertThat(out).contains("received PUBACK");
    assertThat(markersInKafka()).contains("mosquitto-1");

    Process refused = mosquittoPub("meter-1", meter1, "telemetry/meter-2", new String(record("v5-spoof"), StandardCharsets.UTF_8), "mqttv5");
    assertThat(refused.waitFor(20, TimeUnit.SECONDS)).isTrue();
    String v5 = new String(refused.getInputStream().readAllBytes(), StandardCharsets.UTF_8);
    assertThat(v5).contains("received PUBACK").contains("RC:135"); // 0x87 Not authorized
    assertThat(markersInKafka()).doesNotContain("v5-spoof");
  }

  @Test
  void pipelinedMqtt5MessagesEachGetTheirOwnPubackAndRefusalsDoNotStopTheRest() throws Exception {
    org.eclipse.paho.mqttv5.client.MqttAsyncClient c = new org.eclipse.paho.mqttv5.client.MqttAsyncClient(node.mqttUrl(),
        "meter-2-v5-" + System.nanoTime(), new org.eclipse.paho.mqttv5.client.persist.MemoryPersistence());
    org.eclipse.paho.mqttv5.client.MqttConnectionOptions o = new org.eclipse.paho.mqttv5.client.MqttConnectionOptions();
    o.setUserName("meter-2");
    o.setPassword(meter2.getBytes(StandardCharsets.UTF_8));
    o.setAutomaticReconnect(false);
    o.setReceiveMaximum(100);
    c.connect(o).waitForCompletion(10_000);
    List<org.eclipse.paho.mqttv5.client.IMqttToken> tokens = new java.util.ArrayList<>();
    try {
      // a full receive window at a time, sent back to back: many PUBACKs of one Kafka answer leave together
      for (int i = 0; i < 60; i++) {
        String topic = i % 10 == 7 ? "telemetry/meter-1" : "telemetry/meter-2"; // every tenth is not this device's
        tokens.add(c.publish(topic, new org.eclipse.paho.mqttv5.common.MqttMessage(record("burst-" + i), 1, false, null)));
        if (tokens.size() % RECEIVE_MAXIMUM == 0) {
          for (int k = tokens.size() - RECEIVE_MAXIMUM; k < tokens.size(); k++) assertPubackReason(tokens.get(k), k);
          // Paho completes a token before it counts the message out of flight; a publish in between
          // is refused by Paho itself ("Too many publishes in progress", the server's window counted full)
          long deadline = System.nanoTime() + 10_000_000_000L;
          while (c.getInFlightMessageCount() > 0 && System.nanoTime() < deadline) Thread.sleep(1);
        }
      }
      assertThat(c.isConnected()).isTrue();
    } finally {
      c.disconnect().waitForCompletion(10_000);
      c.close();
    }
    List<String> burst = markersInKafka().stream().filter(m -> m.startsWith("burst-")).toList();
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < 60; i++) if (i % 10 != 7) expected.add("burst-" + i);
    assertThat(burst).containsExactlyElementsOf(expected); // each once, in the order sent, none refused
  }

  private static void assertPubackReason(org.eclipse.paho.mqttv5.client.IMqttToken token, int i) {
    int reason;
    try {
      token.waitForCompletion(20_000);
      reason = token.getReasonCodes() == null ? 0 : token.getReasonCodes()[0];
    } catch (org.eclipse.paho.mqttv5.common.MqttException e) {
      reason = e.getReasonCode();
    }
    assertThat(reason).as("PUBACK reason of message " + i).isEqualTo(i % 10 == 7 ? 0x87 : 0);
  }

  @Test
  void anMqtt311ClientPipeliningPastTheReceiveWindowIsSlowedDownNotDisconnected() throws Exception {
    org.eclipse.paho.client.mqttv3.MqttAsyncClient c = new org.eclipse.paho.client.mqttv3.MqttAsyncClient(node.mqttUrl(),
        "meter-1-flood-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName("meter-1");
    o.setPassword(meter1.toCharArray());
    o.setAutomaticReconnect(false);
    o.setMaxInflight(1000); // 3.1.1 has no receive maximum: this client sends 25 windows' worth at once
    c.connect(o).waitForCompletion(10_000);
    double pausesBefore = node.metric("codex_mqtt_read_pauses_total");
    int n = RECEIVE_MAXIMUM * 25;
    List<org.eclipse.paho.client.mqttv3.IMqttDeliveryToken> tokens = new java.util.ArrayList<>();
    try {
      for (int i = 0; i < n; i++) tokens.add(c.publish("telemetry/meter-1", record("flood-" + i), 1, false));
      for (org.eclipse.paho.client.mqttv3.IMqttDeliveryToken t : tokens) t.waitForCompletion(30_000);
      assertThat(c.isConnected()).isTrue();
    } finally {
      c.disconnect().waitForCompletion(10_000);
      c.close();
    }
    // the server stopped reading while the window was full, and every message still got through
    assertThat(node.metric("codex_mqtt_read_pauses_total")).isGreaterThan(pausesBefore);
    assertThat(node.metric("codex_mqtt_connections_paused")).isZero();
    List<String> flood = markersInKafka().stream().filter(m -> m.startsWith("flood-")).toList();
    List<String> expected = new java.util.ArrayList<>();
    for (int i = 0; i < n; i++) expected.add("flood-" + i);
    assertThat(flood).containsExactlyElementsOf(expected);
  }

  static Process mosquittoPub(String user, String password, String topic, String message, String version) throws Exception {
    return new ProcessBuilder("mosquitto_pub", "-h", "127.0.0.1", "-p", Integer.toString(node.mqttPort), "-u", user,
        "-P", password, "-q", "1", "-t", topic, "-m", message, "-V", version, "-d")
        .redirectErrorStream(true).start();
  }
}
