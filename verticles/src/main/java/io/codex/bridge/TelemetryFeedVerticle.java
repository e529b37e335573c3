package io.codex.bridge;

import io.codex.codecs.Addresses;
import io.codex.codecs.TelemetryRecord;
import io.codex.config.ConfigReader;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.Properties;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's live telemetry feed: reads {@code codex.telemetry} with a consumer group of its own
 * ({@code codex-feed-<node id>}) and publishes every record on {@code codex.telemetry.received},
 * local delivery only, so each local consumer (live map, spatial index) sees each record once, in
 * Kafka order, on one node as in a cluster. Ingest publishes nothing on the event bus itself. The
 * records this node produced are taken as ingest parsed them ({@link ProducedTelemetry}), the
 * others decoded; both on the consumer's polling thread ({@link TelemetryFeedValue.Reader}).
 */
public final class TelemetryFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TelemetryFeedVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private KafkaConsumer<byte[], TelemetryFeedValue> consumer;
  private ProducedTelemetry produced;

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String nodeId = ConfigReader.of(config()).section("node").requiredString("id");
    Properties props = new Properties();
    props.putAll(kafka.consumerConfig("codex-feed-" + nodeId));
    props.put("max.poll.records", "2000");
    // under load, fewer and fuller fetches (the broker shares the node's CPU); idle, at most 100 ms late
    props.put("fetch.min.bytes", "65536");
    props.put("fetch.max.wait.ms", "100");
    props.remove("key.deserializer");
    props.remove("value.deserializer");
    produced = ProducedTelemetry.of(vertx);
    props.put("interceptor.classes", TelemetryFeedValue.Reader.class.getName());
    props.put(TelemetryFeedValue.PRODUCED_CONFIG, produced);
    produced.open();
    consumer = KafkaConsumer.create(vertx, props, new ByteArrayDeserializer(), new TelemetryFeedValue.Bytes());
    consumer.handler(this::publish);
    consumer.exceptionHandler(t -> log.warn("telemetry feed consumer error: {}", t.getMessage()));
    return consumer.subscribe(kafka.topic(Topic.TELEMETRY));
  }

  private void publish(KafkaConsumerRecord<byte[], TelemetryFeedValue> rec) {
    TelemetryFeedValue v = rec.value();
    TelemetryRecord r = v == null ? null : v.record;
    if (r == null) {
      if (rec.record().serializedValueSize() >= 0) {
        log.warn("unreadable telemetry record skipped [partition: {}, offset: {}]", rec.partition(), rec.offset());
      }
      return;
    }
    vertx.eventBus().publish(Addresses.TELEMETRY_RECEIVED, r, LOCAL);
  }

  @Override
  public Future<?> stop() {
    if (produced != null) produced.close();
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
