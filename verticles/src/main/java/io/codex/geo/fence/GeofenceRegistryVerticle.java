package io.codex.geo.fence;

import io.codex.bridge.CompactedTopicReplica;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link GeofenceRegistry} in step with the compacted topic
 * {@code codex.geofences}: every partition from the beginning (no consumer group: every node holds
 * every fence), "started" once caught up with what the topic held at start, then each creation and
 * deletion as it arrives, so that a fence written on one node is evaluated and listed on every
 * node within milliseconds. When the topic is deleted and created again, the fences it held are
 * forgotten and the new topic read instead.
 */
public final class GeofenceRegistryVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GeofenceRegistryVerticle.class);

  private CompactedTopicReplica replica;
  private GeofenceRegistry registry;

  @Override
  public Future<?> start() {
    registry = GeofenceRegistry.shared(vertx);
    replica = new CompactedTopicReplica(vertx, KafkaSettings.from(config()), Topic.GEOFENCES, this::onRecord, () -> {
      registry.clear();
      log.warn("geofences emptied: their topic was created anew");
    });
    return replica.start().onSuccess(v -> log.info("geofences ready [geofences: {}]", registry.size()));
  }

  private void onRecord(KafkaConsumerRecord<String, String> rec) {
    String id = rec.key();
    if (id == null) return;
    if (rec.value() == null) {
      registry.apply(id, null, rec.offset());
      return;
    }
    try {
      registry.apply(id, Geofence.fromStored(new JsonObject(rec.value())), rec.offset());
    } catch (RuntimeException e) {
      log.warn("unreadable geofence record skipped [geofence: {}, offset: {}]: {}", id, rec.offset(), e.toString());
    }
  }

  @Override
  public Future<?> stop() {
    return replica == null ? Future.succeededFuture() : replica.close();
  }
}
