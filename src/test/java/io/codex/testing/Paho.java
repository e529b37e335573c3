package io.codex.testing;

import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.MqttException;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;

/** A device connected to a node over MQTT 3.1.1 with Eclipse Paho, a third-party client. */
public final class Paho {
  private Paho() {}

  /** Connected with its secret (or JWT) as password, at most 10 QoS 1 messages in flight, no reconnecting. */
  public static MqttClient connect(TestNode node, String deviceId, String password) throws MqttException {
    MqttClient c = new MqttClient(node.mqttUrl(), deviceId + "-" + System.nanoTime(), new MemoryPersistence());
    MqttConnectOptions o = new MqttConnectOptions();
    o.setUserName(deviceId);
    o.setPassword(password.toCharArray());
    o.setAutomaticReconnect(false);
    o.setConnectionTimeout(10);
    o.setMaxInflight(10);
    c.connect(o);
    return c;
  }
}
