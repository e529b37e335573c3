package io.codex.bridge;

import io.codex.api.NodeMetrics;
import io.codex.codecs.Addresses;
import io.codex.codecs.TelemetryRecord;
import io.codex.config.ConfigReader;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.eventbus.DeliveryOptions;
import io.vertx.core.eventbus.EventBus;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.Semaphore;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The node's live telemetry feed: a consumer of {@code codex.telemetry} with a group of its own
 * ({@code codex-feed-<node id>}) that publishes every record on {@code codex.telemetry.received},
 * local delivery only, so each local consumer (live map, spatial index) sees each record once, in
 * Kafka order, on one node as in a cluster. Ingest publishes nothing on the event bus itself.
 *
 * <p>The records this node produced are not read back: Kafka's acknowledgement gives each its
 * partition and offset, and {@link FeedSequence} publishes it there, built from what ingest wrote,
 * while the consumer reads (and decodes) the offsets in between, which other nodes wrote, and skips
 * over this node's own. With {@code feed.readOwnRecords: true} it reads them back like any other.
 * A partition in which everything up to this node's latest acknowledgement has been published is
 * paused ({@link #pauseOrResume}): fetching it would bring back only this node's own records.
 * The consumer runs on a thread of its own, so no event loop waits for Kafka; records go to the
 * event loop in batches of at most {@link #BATCH}, at most {@link #BATCHES} of them waiting there.
 */
public final class TelemetryFeedVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(TelemetryFeedVerticle.class);
  private static final DeliveryOptions LOCAL = new DeliveryOptions().setLocalOnly(true);
  /** How long a poll waits at most: this node's own records are published at least this often. */
  private static final Duration POLL = Duration.ofMillis(20);
  /**
   * How long a poll waits when every partition is paused, so nothing can come from Kafka: this
   * node's records, acknowledged meanwhile, go out in smaller and more even batches.
   */
  private static final Duration PAUSED_POLL = Duration.ofMillis(5);
  /** Batches handed to the event loop and not yet published; the feed's thread waits beyond. */
  static final int BATCHES = 4;
  /** Records in a batch at most: one event-loop task publishes them. */
  static final int BATCH = 2000;
  /**
   * A paused partition in which this node wrote nothing for this long is fetched again, for what
   * other nodes wrote after this node's latest record there: those records reach the feed this late.
   * While this node writes in a partition, an acknowledgement after another node's record shows a
   * gap before it, and the partition is fetched at once.
   */
  static final long RECHECK_NANOS = TimeUnit.MILLISECONDS.toNanos(100);
  /**
   * While a partition is paused, the topic's id is checked this often: a topic deleted and created
   * again starts its offsets from 0, which acknowledgements alone cannot place.
   */
  static final long IDENTITY_CHECK_NANOS = TimeUnit.SECONDS.toNanos(1);
  /** A paused partition is fetched again after this long in any case (a log truncated, say). */
  static final long PAUSED_AT_MOST_NANOS = TimeUnit.SECONDS.toNanos(10);
  /** A resumed partition whose fetches brought nothing is paused again after this long (the broker holds a fetch 100 ms). */
  static final long IDLE_NANOS = TimeUnit.MILLISECONDS.toNanos(250);

  private final Semaphore batches = new Semaphore(BATCHES);
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile boolean running = true;
  private volatile KafkaConsumer<byte[], byte[]> consumer;
  /** The consumer's own metrics on {@code /metrics} ({@code kafka_consumer_*}, client id {@code codex-consumer-codex-feed-<node id>}). */
  private KafkaClientMetrics consumerMetrics;
  private ProducedTelemetry produced;
  private boolean readOwnRecords;
  private FeedSequence sequence;
  private EventBus eventBus;
  /** The node's admin client, asked on the feed's thread whether the topic was created anew. */
  private Admin admin;
  /** Feed's thread only: per assigned partition, when it was last paused or resumed. */
  private final Map<TopicPartition, Long> pausedOrResumedAt = new HashMap<>();
  /** Feed's thread only: the resumed partitions that returned records since they were resumed. */
  private final Set<TopicPartition> readSinceResumed = new HashSet<>();
  /** Feed's thread only: when the topic's id was last checked while partitions were paused. */
  private long identityCheckedAt = System.nanoTime();

  @Override
  public Future<?> start() {
    KafkaSettings kafka = KafkaSettings.from(config());
    String nodeId = ConfigReader.of(config()).section("node").requiredString("id");
    readOwnRecords = ConfigReader.of(config()).section("feed").bool("readOwnRecords", false);
    Map<String, Object> props = new HashMap<>(kafka.consumerConfig("codex-feed-" + nodeId));
    // a poll parses at most this many records before the feed can skip what it published already;
    // reading every record back, there is nothing to skip
    props.put("max.poll.records", readOwnRecords ? "1000" : "100");
    // under load, fewer and fuller fetches (the broker shares the node's CPU); idle, at most 100 ms late
    props.put("fetch.min.bytes", "65536");
    props.put("fetch.max.wait.ms", "100");
    props.remove("key.deserializer");
    props.remove("value.deserializer");
    admin = SharedAdmin.of(vertx);
    produced = ProducedTelemetry.of(vertx);
    // reading its own records back, the feed takes no acknowledgements, and none are kept for it
    if (!readOwnRecords) produced.open();
    sequence = new FeedSequence(produced);
    eventBus = vertx.eventBus();
    String topic = kafka.topic(Topic.TELEMETRY);
    // created here, so that a configuration Kafka refuses fails the deployment; used on its thread only
    KafkaConsumer<byte[], byte[]> c = new KafkaConsumer<>(props, new ByteArrayDeserializer(), new ByteArrayDeserializer());
    consumer = c;
    consumerMetrics = new KafkaClientMetrics(c);
    consumerMetrics.bindTo(NodeMetrics.registry(vertx));
    Thread thread = new Thread(() -> run(c, topic), "codex-telemetry-feed");
    thread.setDaemon(true);
    thread.start();
    return Future.succeededFuture();
  }

  private void run(KafkaConsumer<byte[], byte[]> c, String topic) {
    try (c) {
      TopicIdentity identity = new TopicIdentity(admin, topic);
      c.subscribe(List.of(topic), new ConsumerRebalanceListener() {
        @Override
        public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
          partitions.forEach(tp -> sequence.forget(tp.partition()));
          partitions.forEach(pausedOrResumedAt::remove);
          readSinceResumed.removeAll(partitions);
        }

        @Override
        public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
          // the group's offsets of a topic deleted since may still place the consumer in the new one
          if (!partitions.isEmpty() && identity.changed()) readAgainFromTheStart(c, topic);
        }
      });
      while (running) {
        try {
          poll(c, topic, identity);
        } catch (WakeupException e) {
          if (running) log.debug("telemetry feed woken up");
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
          break;
        } catch (RuntimeException e) {
          if (!running) break;
          log.warn("telemetry feed consumer error: {}", e.toString());
          sleepQuietly();
        }
      }
    } catch (RuntimeException e) {
      log.error("telemetry feed stopped", e);
    } finally {
      consumer = null;
      stopped.complete(null);
    }
  }

  private void poll(KafkaConsumer<byte[], byte[]> c, String topic, TopicIdentity identity) throws InterruptedException {
    boolean allPaused = !readOwnRecords && c.paused().size() == c.assignment().size() && !c.assignment().isEmpty();
    ConsumerRecords<byte[], byte[]> polled = c.poll(allPaused ? PAUSED_POLL : POLL);
    sequence.acknowledgements();
    for (TopicPartition tp : polled.partitions()) {
      // the consumer went back: the topic was created anew (Kafka's consumer may have entered the
      // new log anywhere: read it all) or its log truncated (go on from there: FeedSequence.restart)
      if (polled.records(tp).get(0).offset() < sequence.reading(tp.partition()) && identity.changed()) {
        readAgainFromTheStart(c, topic);
        return;
      }
    }
    // what was read, and the acknowledged records that may follow it
    List<TelemetryRecord> out = new ArrayList<>(polled.count() + sequence.waiting());
    for (ConsumerRecord<byte[], byte[]> rec : polled) {
      if (!sequence.read(rec.partition(), rec.offset(), rec.value(), out)) {
        log.warn("unreadable telemetry record skipped [partition: {}, offset: {}]", rec.partition(), rec.offset());
      }
    }
    List<FeedSequence.Seek> seeks = sequence.followAcknowledged(out);
    for (int from = 0; from < out.size(); from += BATCH) hand(out.subList(from, Math.min(out.size(), from + BATCH)));
    Set<TopicPartition> assigned = c.assignment();
    for (FeedSequence.Seek s : seeks) {
      TopicPartition tp = new TopicPartition(topic, s.partition());
      if (assigned.contains(tp)) c.seek(tp, s.offset());
    }
    // reading its own records back, the feed has no acknowledgements to go on: it fetches everything
    if (!readOwnRecords) pauseOrResume(c, topic, identity, assigned, polled.partitions());
  }

  /**
   * Fetches only what the acknowledgements cannot give. A partition is paused once it is {@link
   * FeedSequence#caughtUp caught up} and the consumer's last fetch of it reached the log's end
   * (no lag): while this node writes in it, its fetches would bring back this node's own records,
   * published already. It is fetched again (resumed):
   * <ul>
   *   <li>as soon as an acknowledgement shows a gap: another node wrote in between;
   *   <li>once this node has written nothing in it for {@link #RECHECK_NANOS}: to read what another
   *       node wrote after this node's latest record;
   *   <li>when the topic's id has changed (checked every {@link #IDENTITY_CHECK_NANOS} while a
   *       partition is paused): deleted and created again, it is read from its start;
   *   <li>after {@link #PAUSED_AT_MOST_NANOS} in any case.
   * </ul>
   * It is paused again once a fetch has brought records (or after {@link #IDLE_NANOS} without) and
   * it is caught up again.
   */
  private void pauseOrResume(KafkaConsumer<byte[], byte[]> c, String topic, TopicIdentity identity, Set<TopicPartition> assigned,
      Set<TopicPartition> read) {
    long now = System.nanoTime();
    Set<TopicPartition> paused = c.paused();
    if (!paused.isEmpty() && now - identityCheckedAt >= IDENTITY_CHECK_NANOS) {
      identityCheckedAt = now;
      if (identity.changed()) {
        readAgainFromTheStart(c, topic);
        return;
      }
    }
    List<TopicPartition> pause = new ArrayList<>(0);
    List<TopicPartition> resume = new ArrayList<>(0);
    for (TopicPartition tp : assigned) {
      Long at = pausedOrResumedAt.putIfAbsent(tp, now);
      long elapsed = at == null ? 0 : now - at;
      boolean caughtUp = sequence.caughtUp(tp.partition());
      if (paused.contains(tp)) {
        long acknowledged = sequence.acknowledgedAt(tp.partition());   // 0: never
        boolean quiet = elapsed >= RECHECK_NANOS && (acknowledged == 0 || now - acknowledged >= RECHECK_NANOS);
        if (!caughtUp || quiet || elapsed >= PAUSED_AT_MOST_NANOS) resume.add(tp);
        continue;
      }
      if (read.contains(tp)) readSinceResumed.add(tp);
      if (!caughtUp || !(readSinceResumed.contains(tp) || elapsed >= IDLE_NANOS)) continue;
      java.util.OptionalLong lag = c.currentLag(tp);
      if (lag.isPresent() && lag.getAsLong() <= 0) pause.add(tp);
    }
    if (!pause.isEmpty()) {
      c.pause(pause);
      pause.forEach(tp -> pausedOrResumedAt.put(tp, now));
    }
    if (!resume.isEmpty()) resume(c, resume, now);
  }

  /** Fetches these partitions again, and notes when (feed's thread only). */
  private void resume(KafkaConsumer<byte[], byte[]> c, Collection<TopicPartition> partitions, long now) {
    c.resume(partitions);
    partitions.forEach(tp -> pausedOrResumedAt.put(tp, now));
    readSinceResumed.removeAll(partitions);
  }

  /** The topic was created anew: every record of it is new, so each partition is read from its start. */
  private void readAgainFromTheStart(KafkaConsumer<byte[], byte[]> c, String topic) {
    Set<TopicPartition> assigned = c.assignment();
    log.warn("telemetry feed: {} was deleted and created again; reading its partitions {} from their start", topic,
        assigned.stream().map(TopicPartition::partition).sorted().toList());
    assigned.forEach(tp -> sequence.forget(tp.partition()));
    c.seekToBeginning(assigned);
    resume(c, assigned, System.nanoTime());
  }

  /** Publishes a batch on the verticle's event loop, once fewer than {@link #BATCHES} wait there. */
  private void hand(List<TelemetryRecord> records) throws InterruptedException {
    while (!batches.tryAcquire(100, TimeUnit.MILLISECONDS)) {
      if (!running) return;
    }
    context.runOnContext(v -> {
      try {
        for (TelemetryRecord r : records) eventBus.publish(Addresses.TELEMETRY_RECEIVED, r, LOCAL);
      } finally {
        batches.release();
      }
    });
  }

  private static void sleepQuietly() {
    try {
      Thread.sleep(500);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  @Override
  public Future<?> stop() {
    running = false;
    KafkaConsumer<byte[], byte[]> c = consumer;
    if (c != null) c.wakeup();
    if (produced != null && !readOwnRecords) produced.close();
    if (consumerMetrics != null) consumerMetrics.close();
    return Future.fromCompletionStage(stopped.orTimeout(30, TimeUnit.SECONDS), context)
        .onFailure(t -> log.warn("telemetry feed did not stop within 30 s"))
        .otherwiseEmpty();
  }
}
