package io.codex.ingest;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/** The {@code ingest} and {@code mqtt} sections: request limits, the in-flight bound, the MQTT listener. */
public record IngestConfig(
    int maxRecords,
    long maxBytes,
    long maxInflightRecords,
    long maxInflightBytes,
    int maxWaiters,
    Duration maxWait,
    String mqttHost,
    int mqttPort,
    int mqttInstances,
    int mqttMaxMessageSize,
    int mqttReceiveMaximum,
    int mqttConnectTimeoutSeconds,
    boolean mqttTls,
    int mqttTlsPort,
    String mqttTlsCertFile,
    String mqttTlsKeyFile) {

  public static IngestConfig from(JsonObject config) {
    ConfigReader root = ConfigReader.of(config);
    ConfigReader in = root.section("ingest");
    ConfigReader http = in.section("http");
    int maxRecords = http.integer("maxRecords", 1_000, 1, 100_000);
    long maxBytes = http.bytes("maxBytes", 1 << 20, 1024, 64L << 20);
    long inflight = in.integer("maxInflightRecords", 50_000, 1, 10_000_000);
    if (inflight < maxRecords) {
      throw new ConfigException(in.key("maxInflightRecords"), "must be at least ingest.http.maxRecords (" + maxRecords + ")");
    }
    long inflightBytes = in.bytes("maxInflightBytes", 32L << 20, 64 << 10, 4L << 30);
    long buffer = root.section("kafka").section("producer").bytes("bufferMemory", 64L << 20, 1L << 20, 4L << 30);
    if (inflightBytes * 3 / 2 > buffer) {
      // the producer must always have room: a full buffer would make send() fail instead of queueing
      throw new ConfigException(in.key("maxInflightBytes"), "must stay below 2/3 of kafka.producer.bufferMemory (" + buffer + " bytes)");
    }
    ConfigReader mqtt = root.section("mqtt");
    ConfigReader tls = mqtt.section("tls");
    boolean tlsOn = tls.bool("enabled", false);
    if (tlsOn) {
      tls.requiredString("certFile");
      tls.requiredString("keyFile");
    }
    return new IngestConfig(
        maxRecords,
        maxBytes,
        inflight,
        inflightBytes,
        in.integer("maxWaiters", 10_000, 1, 1_000_000),
        in.section("http").duration("maxWait", Duration.ofMillis(500)),
        mqtt.string("host", "0.0.0.0"),
        mqtt.integer("port", 1883, 0, 65535),
        mqtt.integer("instances", 2, 1, 64),
        (int) mqtt.bytes("maxMessageSize", 256 << 10, 1024, 64L << 20),
        mqtt.integer("receiveMaximum", 100, 1, 65_535),
        mqtt.integer("connectTimeoutSeconds", 10, 1, 300),
        tlsOn,
        tls.integer("port", 8883, 0, 65535),
        tls.string("certFile", ""),
        tls.string("keyFile", ""));
  }
}
