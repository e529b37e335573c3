package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.KafkaTopics;
import io.codex.testing.Paho;
import io.codex.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.io.ByteArrayOutputStream;
import java.io.DataInputStream;
import java.io.EOFException;
import java.io.IOException;
import java.io.OutputStream;
import java.net.Socket;
import java.net.SocketTimeoutException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * What the MQTT listener allows and refuses beyond QoS 1 to a device's own topic: QoS 0, QoS 2,
 * retained messages, messages over {@code mqtt.maxMessageSize}, silent clients (keep-alive). Eclipse
 * Paho where it will send the packet; where well-behaved clients refuse to (Paho and mosquitto_pub
 * honour the limits an MQTT 5 CONNACK announces), a minimal client on a plain socket sends it anyway.
 */
class MqttProtocolLimitsIT {
  static final int MAX_MESSAGE_SIZE = 4096;
  @TempDir static Path dir;
  static TestNode node;
  static String sensor1;
  static String sensor2;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of("mqtt.maxMessageSize", MAX_MESSAGE_SIZE));
    Devices devices = new Devices(node);
    sensor1 = devices.create("sensor-1");
    sensor2 = devices.create("sensor-2");
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  static MqttClient paho(String user, String password) throws MqttException {
    return Paho.connect(node, user, password);
  }

  static byte[] record(String marker, int padding) {
    return new JsonObject().put("timestamp", System.currentTimeMillis()).put("sensorType", "level")
        .put("payload", new JsonObject().put("marker", marker).put("pad", "x".repeat(padding))).encode()
        .getBytes(StandardCharsets.UTF_8);
  }

  static List<String> markersInKafka() {
    return KafkaTopics.telemetryMarkers(node);
  }

  /** sensor-2 still publishes at QoS 1 and its record reaches Kafka: a refusal was for one connection only. */
  static void anotherDeviceIsUnaffected(String marker) throws Exception {
    MqttClient other = paho("sensor-2", sensor2);
    try {
      other.publish("telemetry/sensor-2", record(marker, 0), 1, false);
    } finally {
      other.disconnect();
      other.close();
    }
    assertThat(markersInKafka()).contains(marker);
  }

  @Test
  void qos0IsDeliveredBestEffort() throws Exception {
    MqttClient c = paho("sensor-1", sensor1);
    try {
      c.publish("telemetry/sensor-1", record("qos0-1", 0), 0, false);
    } finally {
      c.disconnect();
      c.close();
    }
    Eventually.within(Duration.ofSeconds(20), "the QoS 0 record in Kafka", () -> markersInKafka().contains("qos0-1"));
  }

  @Test
  void qos2IsRefusedUnderMqtt311ByClosingTheConnection() throws Exception {
    MqttClient c = paho("sensor-1", sensor1);
    try {
      assertThatThrownBy(() -> c.publish("telemetry/sensor-1", record("qos2-311", 0), 2, false)).isInstanceOf(MqttException.class);
      Eventually.within(Duration.ofSeconds(10), "the connection closed", () -> !c.isConnected());
    } finally {
      c.close();
    }
    anotherDeviceIsUnaffected("after-qos2-311");
    assertThat(markersInKafka()).doesNotContain("qos2-311");
  }

  @Test
  void mqtt5ClientsAreToldTheLimitsInConnackAndDisconnectedWithTheReasonWhenTheyIgnoreThem() throws Exception {
    try (RawMqtt5 c = RawMqtt5.connect("sensor-1", sensor1, 30)) {
      assertThat(c.connack.get(0x24)).as("Maximum QoS").isEqualTo(1L);
      assertThat(c.connack.get(0x25)).as("Retain Available").isEqualTo(0L);
      assertThat(c.connack.get(0x27)).as("Maximum Packet Size").isEqualTo((long) MAX_MESSAGE_SIZE);
      c.publish("telemetry/sensor-1", record("qos2-v5", 0), 2, false);
      assertThat(c.disconnectReason()).as("DISCONNECT reason").isEqualTo(0x9B); // QoS not supported
    }
    try (RawMqtt5 c = RawMqtt5.connect("sensor-1", sensor1, 30)) {
      c.publish("telemetry/sensor-1", record("retained-v5", 0), 1, true);
      assertThat(c.disconnectReason()).as("DISCONNECT reason").isEqualTo(0x9A); // Retain not supported
    }
    double tooLargeBefore = node.metric("codex_ingest_records_total", "outcome", "too_large");
    try (RawMqtt5 c = RawMqtt5.connect("sensor-1", sensor1, 30)) {
      c.publish("telemetry/sensor-1", record("too-large-v5", MAX_MESSAGE_SIZE), 1, false);
      assertThat(c.disconnectReason()).as("DISCONNECT reason").isEqualTo(0x95); // Packet too large
    }
    assertThat(node.metric("codex_ingest_records_total", "outcome", "too_large")).isEqualTo(tooLargeBefore + 1);
    anotherDeviceIsUnaffected("after-v5-refusals");
    assertThat(markersInKafka()).doesNotContain("qos2-v5", "retained-v5", "too-large-v5");
  }

  @Test
  void aMessageOverTheMaximumSizeClosesThatConnectionUnderMqtt311AndOneJustUnderItIsWritten() throws Exception {
    // the JSON around the padding, the topic and the headers take about 150 bytes
    MqttClient fits = paho("sensor-1", sensor1);
    try {
      fits.publish("telemetry/sensor-1", record("just-under", MAX_MESSAGE_SIZE - 400), 1, false);
    } finally {
      fits.disconnect();
      fits.close();
    }
    MqttClient c = paho("sensor-1", sensor1);
    try {
      assertThatThrownBy(() -> c.publish("telemetry/sensor-1", record("too-large-311", MAX_MESSAGE_SIZE), 1, false))
          .isInstanceOf(MqttException.class);
    } finally {
      c.close();
    }
    anotherDeviceIsUnaffected("after-too-large-311");
    assertThat(markersInKafka()).contains("just-under").doesNotContain("too-large-311");
  }

  @Test
  void aSilentClientIsDisconnectedAfterOneAndAHalfKeepAlivesAndAPingingOneIsNot() throws Exception {
    try (RawMqtt5 silent = RawMqtt5.connect("sensor-1", sensor1, 1); RawMqtt5 pinging = RawMqtt5.connect("sensor-2", sensor2, 1)) {
      long t0 = System.nanoTime();
      silent.socket.setSoTimeout(10_000);
      boolean closed = false;
      while (System.nanoTime() - t0 < 5_000_000_000L) {
        pinging.pingreq();   // every 300 ms, within its keep-alive of 1 s
        assertThat(pinging.readPacket()[0] & 0xF0).as("PINGRESP").isEqualTo(0xD0);
        if (silent.socket.getInputStream().available() > 0 || isClosed(silent)) {
          closed = true;
          break;
        }
        Thread.sleep(300);
      }
      long ms = (System.nanoTime() - t0) / 1_000_000;
      assertThat(closed).as("the silent client was disconnected within 5 s").isTrue();
      assertThat(ms).as("not before its keep-alive of 1 s passed").isGreaterThanOrEqualTo(1000);
      pinging.pingreq();
      assertThat(pinging.readPacket()[0] & 0xF0).as("the pinging client is still served").isEqualTo(0xD0);
    }
  }

  /** Whether the server closed the socket (a read at its end returns -1), without waiting long for it. */
  private static boolean isClosed(RawMqtt5 c) throws IOException {
    c.socket.setSoTimeout(1);
    try {
      return c.socket.getInputStream().read() < 0;
    } catch (SocketTimeoutException e) {
      return false;
    } catch (IOException e) {
      return true; // reset
    } finally {
      c.socket.setSoTimeout(10_000);
    }
  }

  /** Just enough MQTT 5 to send what a conforming client would not, and to read what comes back. */
  static final class RawMqtt5 implements AutoCloseable {
    final Socket socket;
    final DataInputStream in;
    final OutputStream out;
    /** The CONNACK's properties: identifier → value (integers only, as the ones read here are). */
    final Map<Integer, Long> connack = new HashMap<>();
    private int packetId;

    private RawMqtt5(Socket socket) throws IOException {
      this.socket = socket;
      this.in = new DataInputStream(socket.getInputStream());
      this.out = socket.getOutputStream();
    }

    static RawMqtt5 connect(String user, String password, int keepAliveSeconds) throws IOException {
      RawMqtt5 c = new RawMqtt5(new Socket("127.0.0.1", node.mqttPort));
      c.socket.setSoTimeout(10_000);
      ByteArrayOutputStream v = new ByteArrayOutputStream();
      string(v, "MQTT");
      v.write(5);                       // protocol level
      v.write(0xC2);                    // username, password, clean start
      v.write(keepAliveSeconds >> 8);
      v.write(keepAliveSeconds);
      v.write(0);                       // no properties
      string(v, user + "-raw-" + System.nanoTime());
      string(v, user);
      string(v, password);
      c.send(0x10, v.toByteArray());
      byte[] p = c.readPacket();
      assertThat(p[0] & 0xFF).as("CONNACK").isEqualTo(0x20);
      int at = 1 + lengthBytes(p);
      assertThat(p[at + 1]).as("CONNACK reason").isZero();
      int[] pos = {at + 2};
      int end = varint(p, pos);
      end += pos[0];
      for (int i = pos[0]; i < end; ) {
        int id = p[i++] & 0xFF;
        int n = switch (id) {
          case 0x24, 0x25, 0x28, 0x29, 0x2A -> 1;
          case 0x21, 0x22, 0x13 -> 2;
          case 0x11, 0x27 -> 4;
          default -> -1;
        };
        if (n < 0) break;       // a string or pair property: not read here
        long value = 0;
        for (int k = 0; k < n; k++) value = value << 8 | (p[i++] & 0xFF);
        c.connack.put(id, value);
      }
      return c;
    }

    void publish(String topic, byte[] payload, int qos, boolean retain) throws IOException {
      ByteArrayOutputStream v = new ByteArrayOutputStream();
      string(v, topic);
      if (qos > 0) {
        packetId++;
        v.write(packetId >> 8);
        v.write(packetId);
      }
      v.write(0);                       // no properties
      v.write(payload);
      send(0x30 | qos << 1 | (retain ? 1 : 0), v.toByteArray());
    }

    void pingreq() throws IOException {
      send(0xC0, new byte[0]);
    }

    /** The reason code of the DISCONNECT the server sends next (PUBACKs before it are skipped). */
    int disconnectReason() throws IOException {
      while (true) {
        byte[] p = readPacket();
        if ((p[0] & 0xF0) == 0xE0) return p.length > 2 ? p[1 + lengthBytes(p)] & 0xFF : 0;
      }
    }

    /** One whole packet: fixed header, remaining length, the rest. */
    byte[] readPacket() throws IOException {
      ByteArrayOutputStream p = new ByteArrayOutputStream();
      int first = in.read();
      if (first < 0) throw new EOFException("the server closed the connection");
      p.write(first);
      int length = 0;
      for (int shift = 0; ; shift += 7) {
        int b = in.readUnsignedByte();
        p.write(b);
        length |= (b & 0x7F) << shift;
        if ((b & 0x80) == 0) break;
      }
      byte[] rest = new byte[length];
      in.readFully(rest);
      p.write(rest);
      return p.toByteArray();
    }

    private void send(int header, byte[] variable) throws IOException {
      ByteArrayOutputStream p = new ByteArrayOutputStream();
      p.write(header);
      int n = variable.length;
      do {
        int b = n % 128;
        n /= 128;
        p.write(n > 0 ? b | 0x80 : b);
      } while (n > 0);
      p.write(variable);
      out.write(p.toByteArray());
      out.flush();
    }

    private static int lengthBytes(byte[] packet) {
      int i = 1;
      while ((packet[i] & 0x80) != 0) i++;
      return i;
    }

    private static int varint(byte[] b, int[] pos) {
      int v = 0;
      for (int shift = 0; ; shift += 7) {
        int x = b[pos[0]++] & 0xFF;
        v |= (x & 0x7F) << shift;
        if ((x & 0x80) == 0) return v;
      }
    }

    private static void string(ByteArrayOutputStream o, String s) {
      byte[] b = s.getBytes(StandardCharsets.UTF_8);
      o.write(b.length >> 8);
      o.write(b.length);
      o.write(b, 0, b.length);
    }

    @Override
    public void close() throws IOException {
      socket.close();
    }
  }
}
