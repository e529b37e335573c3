package io.codex.embed;

import io.codex.bridge.CompactedTopicReplica;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Instant;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link EmbedLinkRegistry} in step with the compacted topic
 * {@code codex.embed-links}: reads every partition from the beginning (no consumer group: each node
 * holds every link), is "started" once it has caught up with what the topic held at start, and
 * then applies each creation and revocation as it arrives, so that a link revoked on one node is
 * refused by every node within milliseconds. Expired links are forgotten once a minute. When the
 * topic is deleted and created again, the links it held are forgotten and the new topic read instead.
 */
public final class EmbedLinkVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(EmbedLinkVerticle.class);
  private static final long SWEEP_MS = 60_000;

  private CompactedTopicReplica replica;
  private EmbedLinkRegistry registry;

  @Override
  public Future<?> start() {
    registry = EmbedLinkRegistry.shared(vertx);
    vertx.setPeriodic(SWEEP_MS, id -> registry.forgetExpired(Instant.now()));
    replica = new CompactedTopicReplica(vertx, KafkaSettings.from(config()), Topic.EMBED_LINKS, this::onRecord, () -> {
      registry.clear();
      log.warn("embed links emptied: their topic was created anew");
    });
    return replica.start().onSuccess(v -> log.info("embed links ready [links: {}]", registry.size()));
  }

  private void onRecord(KafkaConsumerRecord<String, String> rec) {
    String id = rec.key();
    if (id != null) {
      EmbedLink link = null;
      if (rec.value() != null) {
        try {
          link = EmbedLink.fromStored(new JsonObject(rec.value()));
        } catch (RuntimeException e) {
          log.warn("unreadable embed link record skipped [offset: {}]", rec.offset());
        }
      }
      if (rec.value() == null || link != null) registry.apply(id, link, rec.offset());
    }
  }

  @Override
  public Future<?> stop() {
    return replica == null ? Future.succeededFuture() : replica.close();
  }
}
