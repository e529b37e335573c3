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
 *
 * <p>A topic deleted and created again under the same name (an operator wiping a registry) starts
 * its offsets from 0 again, and the replica's entries, each applied at the offset it was read at,
 * would then outrank every new record of the same key. So the replica watches the topic's id: every
 * {@link #WATCH_INTERVAL}, and at once when the consumer reads an offset below one it has read. When
 * the id changed, it drops the reader of the old topic (records it still delivers are ignored),
 * calls {@code onRecreated} so the owner empties its state, and reads the new topic from its start.
 * Until then (at most one interval) the replica answers from the old topic's records.
 */
public final class CompactedTopicReplica {
  private static final Logger log = LoggerFactory.getLogger(CompactedTopicReplica.class);
  private static final Duration CATCH_UP_TIMEOUT = Duration.ofSeconds(60);
  static final Duration WATCH_INTERVAL = Duration.ofSeconds(5);

  private final Vertx vertx;
  private final KafkaSettings kafka;
  private final String topic;
  private final Handler<KafkaConsumerRecord<String, String>> onRecord;
  private final Runnable onRecreated;
  // asked on worker threads, one task at a time (executeBlocking runs a context's tasks in order)
  private TopicIdentity identity;
  private Reader reader;
  private long watchTimer = -1;
  private boolean checking;
  private boolean closed;

  /**
   * @param onRecord     each record, on the caller's context
   * @param onRecreated  the topic was created anew: forget everything read so far (on the caller's
   *                     context, before the first record of the new topic)
   */
  public CompactedTopicReplica(Vertx vertx, KafkaSettings kafka, Topic topic,
      Handler<KafkaConsumerRecord<String, String>> onRecord, Runnable onRecreated) {
    this.vertx = vertx;
    this.kafka = kafka;
    this.topic = kafka.topic(topic);
    this.onRecord = onRecord;
    this.onRecreated = onRecreated;
  }

  /** Subscribes and completes once caught up with the topic as it was at start (or fails after 60 s). */
  public Future<Void> start() {
    identity = new TopicIdentity(SharedAdmin.of(vertx), topic);
    // the id first: a topic recreated after this is read from its start by the first check
    return vertx.executeBlocking(identity::changed)
        .compose(first -> {
          reader = new Reader();
          return reader.start();
        })
        .onSuccess(v -> watchTimer = vertx.setPeriodic(WATCH_INTERVAL.toMillis(), t -> check()))
        // a verticle whose start failed is not stopped: its consumer is closed here
        .onFailure(t -> close());
  }

  /** Asks the cluster for the topic's id; reads the topic anew when it is not the one being read. */
  private void check() {
    // not before the first catch-up: the watch starts after it (and reads the topic anew if need be)
    if (checking || closed || watchTimer < 0) return;
    checking = true;
    // a topic that cannot be described (missing for now) is not a new one: the replica stays as it is
    vertx.executeBlocking(identity::changed).onComplete(ar -> {
      checking = false;
      if (!closed && ar.succeeded() && ar.result()) readAnew();
    });
  }

  private void readAnew() {
    log.warn("topic {} was deleted and created again; this node's replica of it is emptied and read again from its start", topic);
    Reader old = reader;
    reader = new Reader();
    old.close();
    onRecreated.run();
    reader.start().onFailure(t -> log.warn("the replica of topic {} could not be read again: {}", topic, t.toString()));
  }

  public Future<Void> close() {
    closed = true;
    if (watchTimer >= 0) vertx.cancelTimer(watchTimer);
    return reader == null ? Future.succeededFuture() : reader.close();
  }

  /** One consumer reading the topic from its start; records from a reader that was replaced are ignored. */
  private final class Reader {
    private final Map<TopicPartition, Long> endAtStart = new HashMap<>();
    private final Set<TopicPartition> pending = new HashSet<>();
    private final Map<Integer, Long> nextOffset = new HashMap<>();
    private final Promise<Void> caughtUp = Promise.promise();
    private KafkaConsumer<String, String> consumer;

    Future<Void> start() {
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
      if (reader != this) return;
      Long next = nextOffset.put(rec.partition(), rec.offset() + 1);
      // compaction only ever skips offsets: going back means the log was replaced (or truncated)
      if (next != null && rec.offset() < next) check();
      onRecord.handle(rec);
      TopicPartition tp = new TopicPartition(rec.topic(), rec.partition());
      if (pending.contains(tp) && rec.offset() + 1 >= endAtStart.get(tp)) {
        pending.remove(tp);
        if (pending.isEmpty()) caughtUp.tryComplete();
      }
    }

    Future<Void> close() {
      caughtUp.tryFail("the replica of topic " + topic + " was closed");
      return consumer == null ? Future.succeededFuture() : consumer.close();
    }
  }
}
