package io.codex.security;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.codex.codecs.Addresses;
import io.codex.codecs.DeviceChange;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link DeviceRegistry} in step with the compacted topic {@code codex.devices}:
 * reads every partition from the beginning (no consumer group: each node holds the whole
 * registry), and is "started" only once it has caught up with what the topic held at start, so
 * that a restarted node authenticates every device it knew before.
 */
public final class DeviceRegistryVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DeviceRegistryVerticle.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

  private KafkaConsumer<String, String> consumer;
  private DeviceRegistry registry;
  private final Map<TopicPartition, Long> endAtStart = new HashMap<>();
  private final Set<TopicPartition> pending = new HashSet<>();
  private final Promise<Void> caughtUp = Promise.promise();

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String topic = kafka.topic(Topic.DEVICES);
    registry = DeviceRegistry.shared(vertx);
    consumer = KafkaConsumer.create(vertx, kafka.consumerConfig(null));
    consumer.handler(this::onRecord);
    consumer.exceptionHandler(t -> log.warn("device registry consumer error [topic: {}]", topic, t));
    long timer = vertx.setTimer(CATCH_UP_TIMEOUT.toMillis(), id -> caughtUp.tryFail(
        "device registry did not catch up with topic " + topic + " within " + CATCH_UP_TIMEOUT.toSeconds() + " s"));
    return consumer.partitionsFor(topic)
        .compose(parts -> {
          Set<TopicPartition> tps = new HashSet<>();
          for (PartitionInfo p : parts) tps.add(new TopicPartition(topic, p.getPartition()));
          if (tps.isEmpty()) return Future.failedFuture("topic " + topic + " has no partitions (was it created?)");
          return consumer.endOffsets(tps).compose(ends -> {
            ends.forEach((tp, end) -> {
              endAtStart.put(tp, end);
              if (end > 0) pending.add(tp);
            });
            return consumer.assign(tps).compose(v -> consumer.seekToBeginning(tps));
          });
        })
        .compose(v -> {
          if (pending.isEmpty()) caughtUp.tryComplete();
          return caughtUp.future();
        })
        .onComplete(ar -> vertx.cancelTimer(timer))
        .onSuccess(v -> log.info("device registry ready [devices: {}]", registry.size()));
  }

  private void onRecord(KafkaConsumerRecord<String, String> rec) {
    String deviceId = rec.key();
    if (deviceId != null) {
      DeviceEntry entry = null;
      if (rec.value() != null) {
        try {
          entry = DeviceEntry.fromStored(new JsonObject(rec.value()));
        } catch (RuntimeException e) {
          log.warn("unreadable device registry record skipped [device: {}, offset: {}]", deviceId, rec.offset());
        }
      }
      if (rec.value() == null || entry != null) apply(vertx, registry, deviceId, entry, rec.offset());
    }
    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
    if (pending.contains(tp) && rec.offset() + 1 >= endAtStart.get(tp)) {
      pending.remove(tp);
      if (pending.isEmpty()) caughtUp.tryComplete();
    }
  }

  /** Applies a change to this node's replica and tells local listeners (e.g. MQTT sessions to drop). */
  public static void apply(Vertx vertx, DeviceRegistry registry, String deviceId, DeviceEntry entryOrNull, long offset) {
    if (registry.apply(deviceId, entryOrNull, offset)) {
      DeviceChange change = entryOrNull == null
          ? new DeviceChange(deviceId, DeviceChange.Kind.REVOKED, false, List.of())
          : new DeviceChange(deviceId, DeviceChange.Kind.UPSERTED, entryOrNull.gateway(), entryOrNull.devices());
      vertx.eventBus().publish(Addresses.DEVICES_CHANGED, change, new DeliveryOptions().setLocalOnly(true));
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
