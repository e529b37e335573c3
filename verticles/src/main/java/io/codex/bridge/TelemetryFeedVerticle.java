package io.codex.bridge;

import io.codex.codecs.Addresses;
import io.codex.codecs.TelemetryRecord;
import io.codex.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.HashMap;
import java.util.Map;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's live telemetry feed: reads {@code codex.telemetry} with a consumer group of its own
 * ({@code codex-feed-<node id>}) and publishes every record on {@code codex.telemetry.received},
 * local delivery only, so each local consumer (live map, spatial index) sees each record once, in
 * Kafka order, on one node as in a cluster. Ingest publishes nothing on the event bus itself.
 */
public final class TelemetryFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TelemetryFeedVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  private KafkaConsumer<String, byte[]> consumer;

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String nodeId = ConfigReader.of(config()).section("node").requiredString("id");
    Map<String, String> props = new HashMap<>(kafka.consumerConfig("codex-feed-" + nodeId));
    props.put("max.poll.records", "2000");
    // under load, fewer and fuller fetches (the broker shares the node's CPU); idle, at most 100 ms late
    props.put("fetch.min.bytes", "65536");
    props.put("fetch.max.wait.ms", "100");
    props.put("value.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    consumer = KafkaConsumer.create(vertx, props);
    consumer.handler(this::publish);
    consumer.exceptionHandler(t -> log.warn("telemetry feed consumer error: {}", t.getMessage()));
    return consumer.subscribe(kafka.topic(Topic.TELEMETRY));
  }

  private void publish(KafkaConsumerRecord<String, byte[]> rec) {
    if (rec.value() == null) return;
    TelemetryRecord r;
    try {
      r = toRecord(rec.value(), rec.partition(), rec.offset());
    } catch (java.io.IOException | RuntimeException e) {
      log.warn("unreadable telemetry record skipped [partition: {}, offset: {}]", rec.partition(), rec.offset());
      return;
    }
    vertx.eventBus().publish(Addresses.TELEMETRY_RECEIVED, r, LOCAL);
  }

  /**
   * Reads a normalised record (as ingest wrote it) with a streaming parser; the payload is kept
   * as its JSON text, sliced from the value rather than rebuilt.
   */
  static TelemetryRecord toRecord(byte[] value, int partition, long offset) throws java.io.IOException {
    String id = null;
    String deviceId = null;
    String timestamp = null;
    String receivedAt = null;
    String sensorType = null;
    String payload = "{}";
    String correlationId = null;
    Double lat = null;
    Double lon = null;
    Double alt = null;
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) throw new java.io.IOException("not an object");
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "id" -> id = p.getValueAsString();
          case "deviceId" -> deviceId = p.getValueAsString();
          case "timestamp" -> timestamp = p.getValueAsString();
          case "receivedAt" -> receivedAt = p.getValueAsString();
          case "sensorType" -> sensorType = p.getValueAsString();
          case "correlationId" -> correlationId = p.getValueAsString();
          case "payload" -> {
            int start = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getByteOffset();
            payload = new String(value, start, end - start, java.nio.charset.StandardCharsets.UTF_8);
          }
          case "location" -> {
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
              String lf = p.currentName();
              p.nextToken();
              switch (lf) {
                case "lat" -> lat = p.getDoubleValue();
                case "lon" -> lon = p.getDoubleValue();
                case "alt" -> alt = p.getDoubleValue();
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    }
    return new TelemetryRecord(id, deviceId, timestamp, receivedAt, sensorType, payload, lat, lon, alt, correlationId,
        partition, offset);
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
