package io.codex.security;

import io.codex.bridge.CompactedTopicReplica;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.codex.codecs.Addresses;
import io.codex.codecs.DeviceChange;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link DeviceRegistry} in step with the compacted topic {@code codex.devices}:
 * reads every partition from the beginning (no consumer group: each node holds the whole
 * registry), and is "started" only once it has caught up with what the topic held at start, so
 * that a restarted node authenticates every device it knew before. When the topic is deleted and
 * created again, every device it knew is revoked on this node and the new topic read instead.
 */
public final class DeviceRegistryVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(DeviceRegistryVerticle.class);

  private CompactedTopicReplica replica;
  private DeviceRegistry registry;

  @Override
  public Future<?> start() {
    registry = DeviceRegistry.shared(vertx);
    replica = new CompactedTopicReplica(vertx, KafkaSettings.from(config()), Topic.DEVICES, this::onRecord, this::forgetAll);
    return replica.start().onSuccess(v -> log.info("device registry ready [devices: {}]", registry.size()));
  }

  /** The topic was created anew: every device known so far is gone (its MQTT sessions close), until read again. */
  private void forgetAll() {
    List<String> gone = registry.clear();
    for (String deviceId : gone) {
      vertx.eventBus().publish(Addresses.DEVICES_CHANGED, new DeviceChange(deviceId, DeviceChange.Kind.REVOKED, false, List.of()),
          new DeliveryOptions().setLocalOnly(true));
    }
    log.warn("device registry emptied: its topic was created anew [devices forgotten: {}]", gone.size());
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
    return replica == null ? Future.succeededFuture() : replica.close();
  }
}
