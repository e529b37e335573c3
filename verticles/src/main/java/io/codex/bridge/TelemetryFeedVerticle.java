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

  private KafkaConsumer<byte[], TelemetryRecord> consumer;

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String nodeId = ConfigReader.of(config()).section("node").requiredString("id");
    Map<String, String> props = new HashMap<>(kafka.consumerConfig("codex-feed-" + nodeId));
    props.put("max.poll.records", "2000");
    // under load, fewer and fuller fetches (the broker shares the node's CPU); idle, at most 100 ms late
    props.put("fetch.min.bytes", "65536");
    props.put("fetch.max.wait.ms", "100");
    // decoded on the consumer's polling thread (TelemetryRecordReader), not on an event loop
    props.put("key.deserializer", "org.apache.kafka.common.serialization.ByteArrayDeserializer");
    props.put("value.deserializer", TelemetryRecordDeserializer.class.getName());
    consumer = KafkaConsumer.create(vertx, props);
    consumer.handler(this::publish);
    consumer.exceptionHandler(t -> log.warn("telemetry feed consumer error: {}", t.getMessage()));
    return consumer.subscribe(kafka.topic(Topic.TELEMETRY));
  }

  private void publish(KafkaConsumerRecord<byte[], TelemetryRecord> rec) {
    TelemetryRecord r = rec.value();
    if (r == null) {
      if (rec.record().serializedValueSize() >= 0) {
        log.warn("unreadable telemetry record skipped [partition: {}, offset: {}]", rec.partition(), rec.offset());
      }
      return;
    }
    vertx.eventBus().publish(Addresses.TELEMETRY_RECEIVED, r.at(rec.partition(), rec.offset()), LOCAL);
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
