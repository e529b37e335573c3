package io.codex.embed;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.VerticleBase;
import io.vertx.core.json.JsonObject;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.time.Instant;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Keeps this node's {@link EmbedLinkRegistry} in step with the compacted topic
 * {@code codex.embed-links}: reads every partition from the beginning (no consumer group: each node
 * holds every link), is "started" once it has caught up with what the topic held at start, and
 * then applies each creation and revocation as it arrives, so that a link revoked on one node is
 * refused by every node within milliseconds. Expired links are forgotten once a minute.
 */
public final class EmbedLinkVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(EmbedLinkVerticle.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  private static final long SWEEP_MS = 60_000;

  private KafkaConsumer<String, String> consumer;
  private EmbedLinkRegistry registry;
  private final Map<TopicPartition, Long> endAtStart = new HashMap<>();
  private final Set<TopicPartition> pending = new HashSet<>();
  private final Promise<Void> caughtUp = Promise.promise();

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String topic = kafka.topic(Topic.EMBED_LINKS);
    registry = EmbedLinkRegistry.shared(vertx);
    consumer = KafkaConsumer.create(vertx, kafka.consumerConfig(null));
    consumer.handler(this::onRecord);
    consumer.exceptionHandler(t -> log.warn("embed link consumer error [topic: {}]", topic, t));
    vertx.setPeriodic(SWEEP_MS, id -> registry.forgetExpired(Instant.now()));
    long timer = vertx.setTimer(CATCH_UP_TIMEOUT.toMillis(), id -> caughtUp.tryFail(
        "embed links did not catch up with topic " + topic + " within " + CATCH_UP_TIMEOUT.toSeconds() + " s"));
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
        .onSuccess(v -> log.info("embed links ready [links: {}]", registry.size()));
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
    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
    if (pending.contains(tp) && rec.offset() + 1 >= endAtStart.get(tp)) {
      pending.remove(tp);
      if (pending.isEmpty()) caughtUp.tryComplete();
    }
  }

  @Override
  public Future<?> stop() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
