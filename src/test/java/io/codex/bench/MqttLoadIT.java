package io.codex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.atomic.AtomicLong;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The bench's own MQTT generator against a real broker (apt's Mosquitto): what it counts as
 * acknowledged is what an independent subscriber (Paho) receives, and a paced run sends at the rate asked.
 */
class MqttLoadIT {
  private Process broker;
  private MqttClient subscriber;
  private int port;
  private final AtomicLong received = new AtomicLong();

  @BeforeEach
  void start() throws Exception {
    port = FreePorts.next();
    // no limit on what the subscriber may have queued: it must get every message
    broker = IngestBench.startMosquitto(port, 0);
    // an independent subscriber (Eclipse Paho), QoS 1, subscribed before any load
    subscriber = new MqttClient("tcp://127.0.0.1:" + port, "counter-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setMaxInflight(1000);
    long deadline = System.nanoTime() + 10_000_000_000L;
    while (!subscriber.isConnected()) {
      try {
        subscriber.connect(o);
      } catch (MqttException notYet) {
        if (System.nanoTime() > deadline) throw notYet;
        Thread.sleep(100);
      }
    }
    subscriber.subscribe("telemetry/#", 1, (topic, m) -> received.incrementAndGet());
  }

  @AfterEach
  void stop() throws Exception {
    if (subscriber != null && subscriber.isConnected()) subscriber.disconnect();
    if (broker != null) broker.destroy();
  }

  private static List<String[]> anonymous(int connections) {
    List<String[]> users = new ArrayList<>();
    for (int i = 0; i < connections; i++) users.add(new String[] {null, null, "telemetry/gen-" + i});
    return users;
  }

  private void awaitReceived(long expected) throws InterruptedException {
    long deadline = System.nanoTime() + 30_000_000_000L;
    while (received.get() < expected && System.nanoTime() < deadline) Thread.sleep(50);
  }

  @Test
  void everyAcknowledgedMessageReachedTheBroker() throws Exception {
    LoadResult r = new MqttLoad(2, 0).run("gen", "127.0.0.1", port, 10, 1.0, anonymous(4), IngestBench.record("gen"));

    assertThat(r.errors()).isZero();
    assertThat(r.records()).isGreaterThan(500);
    awaitReceived(r.records());
    // at least once: what the broker acknowledged, its subscriber got; nothing acknowledged twice or lost
    assertThat(received.get()).isEqualTo(r.records());
    assertThat(r.latencies().percentileMs(50)).isPositive();
  }

  @Test
  void aPacedRunSendsAtTheRateAsked() throws Exception {
    LoadResult r = new MqttLoad(2, 2_000).run("gen", "127.0.0.1", port, 10, 2.0, anonymous(4), IngestBench.record("gen"));

    assertThat(r.errors()).isZero();
    // 4,000 asked over 2 s; a window's worth either way for the first and last moments
    assertThat(r.records()).isBetween(3_500L, 4_040L);
    awaitReceived(r.records());
    assertThat(received.get()).isEqualTo(r.records());
  }
}
