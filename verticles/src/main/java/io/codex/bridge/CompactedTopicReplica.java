package io.codex.bridge;

import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.kafka.client.common.PartitionInfo;
import io.vertx.kafka.client.common.TopicPartition;
import io.vertx.kafka.client.consumer.KafkaConsumer;
import io.vertx.kafka.client.consumer.KafkaConsumerRecord;
import java.time.Duration;
import java.util.HashMap;
import java.util.HashSet;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Reads a whole compacted topic into a node's replica: every partition from the beginning, no
 * consumer group (each node holds everything). {@link #start} completes once every record the
 * topic held at start has been handed to {@code onRecord}; later records keep arriving after that.
 */
public final class CompactedTopicReplica {
  private static final Logger log = LoggerFactory.getLogger(CompactedTopicReplica.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final String topic;
  private final Handler<KafkaConsumerRecord<String, String>> onRecord;
  private final Map<TopicPartition, Long> endAtStart = new HashMap<>();
  private final Set<TopicPartition> pending = new HashSet<>();
  private final Promise<Void> caughtUp = Promise.promise();
  private KafkaConsumer<String, String> consumer;

  public CompactedTopicReplica(Vertx vertx, KafkaSettings kafka, Topic topic,
      Handler<KafkaConsumerRecord<String, String>> onRecord) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.topic = kafka.topic(topic);
    this.onRecord = onRecord;
  }

  /** Subscribes and completes once caught up with the topic as it was at start (or fails after 60 s). */
  public Future<Void> start() {
    consumer = KafkaConsumer.create(vertx, kafka.consumerConfig(null));
    consumer.handler(this::handle);
    consumer.exceptionHandler(t -> log.warn("replica consumer error [topic: {}]", topic, t));
    long timer = vertx.setTimer(CATCH_UP_TIMEOUT.toMillis(), id -> caughtUp.tryFail(
        "the replica of topic " + topic + " did not catch up within " + CATCH_UP_TIMEOUT.toSeconds() + " s"));
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
        .onComplete(ar -> vertx.cancelTimer(timer));
  }

  private void handle(KafkaConsumerRecord<String, String> rec) {
    onRecord.handle(rec);
    TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
    if (pending.contains(tp) && rec.offset() + 1 >= endAtStart.get(tp)) {
      pending.remove(tp);
      if (pending.isEmpty()) caughtUp.tryComplete();
    }
  }

  public Future<Void> close() {
    return consumer == null ? Future.succeededFuture() : consumer.close();
  }
}
