package io.codex.geo.fence;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.codex.codecs.Addresses;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.ArrayList;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Every node's view of the geofence transitions: reads {@code codex.geofence-events} and publishes
 * each event, as a JsonObject, on {@code codex.geofences.crossed} (local delivery only), where the
 * live map forwards it to its clients. Whichever node evaluated a transition, every node's map
 * clients see it once.
 *
 * <p>A live feed, not a replica: the node reads every partition itself (no consumer group) from
 * the end as it was at start — there is nothing to catch up on, since clients connected before
 * this start were connected to another process. The start completes once the start positions are
 * fixed, so that no event written after the node is ready is missed.
 */
public final class GeofenceEventFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GeofenceEventFeedVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);

  private KafkaConsumer<String, String> consumer;

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String topic = kafka.topic(Topic.GEOFENCE_EVENTS);
    var props = new java.util.HashMap<>(kafka.consumerConfig(null));
    props.put("client.id", kafka.clientId() + "-geofence-feed");
    // from the end even if a fetch comes before the seek below
    props.put("auto.offset.reset", "latest");
    // idle, at most 100 ms late
    props.put("fetch.max.wait.ms", "100");
    consumer = KafkaConsumer.create(vertx, props);
    consumer.handler(this::publish);
    consumer.exceptionHandler(t -> log.warn("geofence event feed consumer error: {}", t.getMessage()));
    return consumer.partitionsFor(topic).compose(parts -> {
      Set<TopicPartition> tps = new HashSet<>();
      parts.forEach(p -> tps.add(new TopicPartition(topic, p.getPartition())));
      if (tps.isEmpty()) return Future.failedFuture("topic " + topic + " has no partitions (was it created?)");
      return consumer.assign(tps).compose(v -> consumer.seekToEnd(tps)).compose(v -> {
        // resolve the end offsets now: a lazy seek would skip what is written before the first fetch
        List<Future<Long>> positions = new ArrayList<>();
        tps.forEach(tp -> positions.add(consumer.position(tp)));
        return Future.all(positions);
      });
    });
  }

  private void publish(KafkaConsumerRecord<String, String> rec) {
    if (rec.value() == null) return;
    JsonObject event;
    try {
      event = new JsonObject(rec.value());
    } catch (RuntimeException e) {
      log.warn("unreadable geofence event skipped [partition: {}, offset: {}]", rec.partition(), rec.offset());
      return;
    }
    vertx.eventBus().publish(Addresses.GEOFENCES_CROSSED, event, LOCAL);
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
