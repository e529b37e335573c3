package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.Devices;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import java.io.FileInputStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.security.KeyStore;
import java.security.cert.Certificate;
import java.util.Base64;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import javax.net.ssl.SSLContext;
import javax.net.ssl.TrustManagerFactory;
import org.eclipse.paho.client.mqttv3.MqttClient;
import org.eclipse.paho.client.mqttv3.MqttConnectOptions;
import org.eclipse.paho.client.mqttv3.persist.MemoryPersistence;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The optional TLS listener: a device publishes over MQTT+TLS with a certificate the test made. */
class MqttTlsIT {
  @TempDir Path dir;

  @Test
  void devicePublishesOverTheTlsListener() throws Exception {
    Path p12 = dir.resolve("server.p12");
    Process keytool = new ProcessBuilder("keytool", "-genkeypair", "-alias", "codex", "-keyalg", "RSA", "-keysize", "2048",
        "-dname", "CN=localhost", "-ext", "SAN=ip:127.0.0.1,dns:localhost", "-validity", "2", "-storetype", "PKCS12",
        "-keystore", p12.toString(), "-storepass", "changeit", "-keypass", "changeit").redirectErrorStream(true).start();
    assertThat(keytool.waitFor(60, TimeUnit.SECONDS)).isTrue();
    assertThat(keytool.exitValue()).isZero();
    KeyStore ks = KeyStore.getInstance("PKCS12");
    try (FileInputStream in = new FileInputStream(p12.toFile())) {
      ks.load(in, "changeit".toCharArray());
    }
    Certificate cert = ks.getCertificate("codex");
    Base64.Encoder mime = Base64.getMimeEncoder(64, "\n".getBytes(StandardCharsets.US_ASCII));
    Path certPem = dir.resolve("cert.pem");
    Path keyPem = dir.resolve("key.pem");
    Files.writeString(certPem, "-----BEGIN CERTIFICATE-----\n" + mime.encodeToString(cert.getEncoded()) + "\n-----END CERTIFICATE-----\n");
    Files.writeString(keyPem, "-----BEGIN PRIVATE KEY-----\n"
        + mime.encodeToString(ks.getKey("codex", "changeit".toCharArray()).getEncoded()) + "\n-----END PRIVATE KEY-----\n");

    int tlsPort = TestNode.freePort();
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of(
        "mqtt.tls.enabled", true, "mqtt.tls.port", tlsPort, "mqtt.tls.certFile", certPem.toString(),
        "mqtt.tls.keyFile", keyPem.toString()))) {
      String secret = new Devices(node).create("secure-1");
      KeyStore trust = KeyStore.getInstance("PKCS12");
      trust.load(null, null);
      trust.setCertificateEntry("codex", cert);
      TrustManagerFactory tmf = TrustManagerFactory.getInstance(TrustManagerFactory.getDefaultAlgorithm());
      tmf.init(trust);
      SSLContext ssl = SSLContext.getInstance("TLS");
      ssl.init(null, tmf.getTrustManagers(), null);

      MqttClient c = new MqttClient("ssl://127.0.0.1:" + tlsPort, "secure-1-client", new MemoryPersistence());
      MqttConnectOptions o = new MqttConnectOptions();
      o.setSocketFactory(ssl.getSocketFactory());
      o.setHttpsHostnameVerificationEnabled(false);
      o.setUserName("secure-1");
      o.setPassword(secret.toCharArray());
      c.connect(o);
      c.publish("telemetry/secure-1", "{\"timestamp\":1,\"sensorType\":\"t\",\"payload\":{\"over\":\"tls\"}}"
          .getBytes(StandardCharsets.UTF_8), 1, false);
      c.disconnect();
      c.close();
      assertThat(KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry"))
          .anySatisfy(r -> assertThat(r.value()).contains("\"over\":\"tls\""));
    }
  }
}
