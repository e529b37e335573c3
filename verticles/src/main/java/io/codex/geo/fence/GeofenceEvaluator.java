package io.codex.geo.fence;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.SharedProducer;
import io.codex.bridge.Topic;
import io.codex.bridge.TopicIdentity;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.OptionalLong;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.consumer.ConsumerRebalanceListener;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.clients.consumer.OffsetAndTimestamp;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.PartitionInfo;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.errors.WakeupException;
import org.apache.kafka.common.serialization.ByteArrayDeserializer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The consume-evaluate-produce loop of geofence evaluation, on a thread of its own (never an event
 * loop): one consumer in the shared group {@code geofences.consumerGroup} on {@code codex.telemetry}
 * (partitioned by device id, so each device is evaluated by one node, in order), one batch (poll)
 * at a time:
 *
 * <ol>
 *   <li>every record with a location goes through the {@link GeofenceTracker} against the
 *       registry's current {@link GeofenceIndex};
 *   <li>the batch's transitions are sent to {@code codex.geofence-events} (key: device id) through
 *       the node's shared producer, and the loop waits for Kafka's acks;
 *   <li>only then are the batch's offsets committed (at-least-once; at most once a second).
 * </ol>
 *
 * <p>State recovery: when partitions are assigned (start, rebalance) or after a failed batch, the
 * tracker's state for those partitions is rebuilt from {@code codex.geofence-events} — the newest
 * transition per device and fence, and the offset of the newest record that caused one — before
 * any of their records is evaluated. Records read again because their offsets were not committed
 * are then skipped up to that offset, so a restart (clean or not) writes no transition twice. The
 * rebuild reads the events topic from its start, so it takes as long as its retention holds
 * events; a transition older than the retention is forgotten (the device counts as outside).
 *
 * <p>Idle: while no fence exists (and no device is inside one), there is nothing to evaluate, so
 * the evaluator pauses its partitions instead of fetching and decompressing every record to skip
 * it. Every {@link #IDLE_SKIP_INTERVAL_MS} it moves them to their end and commits that, so the
 * group's lag does not grow. When a fence appears, each partition resumes at the first record
 * received at or after the fence's creation ({@code offsetsForTimes}), never before where it
 * stopped: a fence sees each device's next position, including those received while the
 * evaluator was still paused.
 */
final class GeofenceEvaluator implements Runnable, ConsumerRebalanceListener {
  private static final Logger log = LoggerFactory.getLogger(GeofenceEvaluator.class);
  private static final Duration POLL = Duration.ofMillis(500);
  /** While paused: how soon a new fence is noticed. */
  private static final Duration IDLE_POLL = Duration.ofMillis(100);
  private static final long IDLE_SKIP_INTERVAL_MS = 5_000;
  private static final long RETRY_MS = 1_000;
  private static final int SEND_RETRIES = 100;

  private final GeofenceConfig cfg;
  private final KafkaSettings kafka;
  private final SharedProducer producer;
  private final Admin admin;
  private final GeofenceRegistry registry;
  private final GeofenceMetrics metrics;
  private final String telemetryTopic;
  private final String eventsTopic;
  private final GeofenceTracker tracker = new GeofenceTracker();
  private final Map<TopicPartition, OffsetAndMetadata> processed = new HashMap<>();
  private static final long COMMIT_INTERVAL_NANOS = TimeUnit.SECONDS.toNanos(1);
  private long lastCommitNanos;
  private boolean uncommitted;
  private final Set<Integer> toRestore = new HashSet<>();
  private final List<GeofenceTracker.Transition> transitions = new ArrayList<>();
  private final CompletableFuture<Void> stopped = new CompletableFuture<>();
  private volatile boolean running = true;
  private volatile KafkaConsumer<String, byte[]> consumer;
  private long sweptDeletions;
  private long lastIdleSkipMs;
  /** Whether the telemetry topic is still the one read so far (not deleted and created again). This thread only. */
  private TopicIdentity identity;
  /** Paused partitions: where evaluation stopped (what came after was skipped, not evaluated). */
  private final Map<TopicPartition, Long> stoppedAt = new HashMap<>();

  GeofenceEvaluator(GeofenceConfig cfg, KafkaSettings kafka, SharedProducer producer, Admin admin, GeofenceRegistry registry,
      GeofenceMetrics metrics) {
    this.cfg = cfg;
    this.kafka = kafka;
    this.producer = producer;
    this.admin = admin;
    this.registry = registry;
    this.metrics = metrics;
    this.telemetryTopic = kafka.topic(Topic.TELEMETRY);
    this.eventsTopic = kafka.topic(Topic.GEOFENCE_EVENTS);
  }

  @Override
  public void run() {
    Map<String, Object> props = new HashMap<>(kafka.consumerConfig(cfg.consumerGroup()));
    props.put("client.id", kafka.clientId() + "-geofences");
    props.put("enable.auto.commit", "false");
    props.put("max.poll.records", Integer.toString(cfg.maxPollRecords()));
    // under load, fewer and fuller fetches (the broker shares the node's CPU); idle, at most 100 ms late
    props.put("fetch.min.bytes", "65536");
    props.put("fetch.max.wait.ms", "100");
    props.remove("key.deserializer");
    props.remove("value.deserializer");
    try (KafkaConsumer<String, byte[]> c = new KafkaConsumer<>(props, new StringDeserializer(), new ByteArrayDeserializer())) {
      consumer = c;
      identity = new TopicIdentity(admin, telemetryTopic);
      c.subscribe(List.of(telemetryTopic), this);
      while (running) {
        try {
          ConsumerRecords<String, byte[]> records = c.poll(c.paused().isEmpty() ? POLL : IDLE_POLL);
          if (!toRestore.isEmpty() && !restore()) {
            resync("the state could not be rebuilt");
            continue;
          }
          if (!records.isEmpty() && !process(records)) resync("the batch's transitions were not acknowledged");
          if (records.isEmpty()) commitIfDue();   // the last batch's offsets, once the stream pauses
          pauseWhileIdle(c);
        } catch (WakeupException e) {
          if (running) log.debug("geofence evaluator woken up");
        } catch (RuntimeException e) {
          if (!running) break;
          log.warn("geofence evaluation failed: {}", e.toString());
          resync("an error in the consumer loop");
        }
      }
      commitQuietly();
    } catch (RuntimeException e) {
      log.error("geofence evaluator stopped", e);
    } finally {
      consumer = null;
      stopped.complete(null);
    }
  }

  /** Asks the loop to finish its batch, commit and close; completes when it has. */
  CompletableFuture<Void> stop() {
    running = false;
    KafkaConsumer<String, byte[]> c = consumer;
    if (c != null) c.wakeup();
    return stopped;
  }

  // ---------------------------------------------------------------- one batch

  /** Evaluates a batch, sends its transitions, waits for the acks, commits; false when a send failed. */
  private boolean process(ConsumerRecords<String, byte[]> records) {
    for (TopicPartition tp : records.partitions()) {
      // the consumer went back: a truncated log goes on from there; a topic created anew (whose new
      // log Kafka's consumer may have entered anywhere) is read from its start
      OffsetAndMetadata done = processed.get(tp);
      if (done != null && records.records(tp).get(0).offset() < done.offset() && identity.changed()) {
        readAgainFromTheStart(consumer.assignment());
        return true;
      }
    }
    GeofenceIndex index = registry.index();
    long deletions = registry.deletions();
    if (deletions != sweptDeletions) {
      tracker.sweep(index);
      sweptDeletions = deletions;
    }
    String now = Instant.now().truncatedTo(ChronoUnit.MILLIS).toString();
    List<ProducerRecord<String, byte[]>> out = new ArrayList<>();
    Map<TopicPartition, OffsetAndMetadata> offsets = new HashMap<>();
    long checks = tracker.checks();
    int evaluated = 0;
    // no fence and no device inside one: nothing to evaluate, no state to keep (a fence created
    // later sees each device's next position), so the records are not even read
    boolean idle = index.size() == 0 && tracker.size() == 0;
    // where each partition's log ends (as the fetch said): a device state beyond it is from a topic
    // since deleted and created again, and skips nothing
    long[] logEnds = new long[0];
    for (TopicPartition tp : records.partitions()) {
      List<ConsumerRecord<String, byte[]>> batch = records.records(tp);
      long next = batch.get(batch.size() - 1).offset() + 1;
      offsets.put(tp, new OffsetAndMetadata(next));
      if (tp.partition() >= logEnds.length) {
        int from = logEnds.length;
        logEnds = Arrays.copyOf(logEnds, tp.partition() + 1);
        Arrays.fill(logEnds, from, logEnds.length, Long.MAX_VALUE);
      }
      OptionalLong lag = consumer == null ? OptionalLong.empty() : consumer.currentLag(tp);
      if (lag.isPresent()) logEnds[tp.partition()] = next + lag.getAsLong();
    }
    for (ConsumerRecord<String, byte[]> rec : idle ? List.<ConsumerRecord<String, byte[]>>of() : records) {
      GeofencePosition p = GeofencePosition.parse(rec.value());
      if (p == null || !p.hasLocation()) continue;
      transitions.clear();
      if (!tracker.evaluate(index, p.deviceId(), rec.partition(), rec.offset(), logEnds[rec.partition()], p.lon(), p.lat(),
          transitions)) {
        continue;
      }
      evaluated++;
      for (GeofenceTracker.Transition t : transitions) {
        byte[] value = GeofenceEvent.toJson(t, p, rec.partition(), rec.offset(), now).encode().getBytes(StandardCharsets.UTF_8);
        out.add(new ProducerRecord<>(eventsTopic, p.deviceId(), value));
        metrics.transition(t.name());
      }
    }
    metrics.evaluated(evaluated, tracker.checks() - checks);
    if (!out.isEmpty()) {
      try {
        sendAll(out).get(kafka.deliveryTimeoutMs() + 10_000L, TimeUnit.MILLISECONDS);
      } catch (InterruptedException e) {
        Thread.currentThread().interrupt();
        return false;
      } catch (Exception e) {
        log.warn("geofence transitions not acknowledged by Kafka [events: {}]: {}", out.size(), e.toString());
        return false;
      }
    }
    processed.putAll(offsets);
    // every processed batch had its transitions acknowledged, so committing them later is still
    // ack-then-commit; committing once a second instead of per batch spares the broker an offset
    // write per poll (records re-read after a crash are skipped by the rebuilt state)
    uncommitted = true;
    commitIfDue();
    return true;
  }

  // ---------------------------------------------------------------- idle: no fence

  /**
   * Pauses every owned partition while there is nothing to evaluate, keeps the paused ones at their
   * end (committed), and resumes them when a fence appears.
   */
  private void pauseWhileIdle(KafkaConsumer<String, byte[]> c) {
    boolean idle = registry.index().size() == 0 && tracker.size() == 0 && toRestore.isEmpty();
    Set<TopicPartition> paused = c.paused();
    if (idle) {
      Set<TopicPartition> more = new HashSet<>(c.assignment());
      more.removeAll(paused);
      if (!more.isEmpty()) {
        for (TopicPartition tp : more) stoppedAt.put(tp, c.position(tp, Duration.ofSeconds(10)));
        c.pause(more);
        if (paused.isEmpty()) log.info("geofence evaluation paused: no fence [partitions: {}]", partitionIds(more));
        paused = c.paused();
      }
      long now = System.currentTimeMillis();
      if (!paused.isEmpty() && now - lastIdleSkipMs >= IDLE_SKIP_INTERVAL_MS) {
        lastIdleSkipMs = now;
        // nothing to evaluate in what arrived meanwhile: skipped, and committed as such
        try {
          c.seekToEnd(paused);
          for (TopicPartition tp : paused) processed.put(tp, new OffsetAndMetadata(c.position(tp, Duration.ofSeconds(10))));
          uncommitted = true;
          commitIfDue();
        } catch (TimeoutException e) {
          log.debug("geofence evaluator could not skip to the end while idle (Kafka unreachable?): {}", e.toString());
        }
      }
    } else if (!paused.isEmpty()) {
      resumeAt(c, paused, earliestFenceMs());
    }
    metrics.paused(c.paused().size());
  }

  /**
   * Resumes at the first record received at or after {@code sinceMs} (the end when there is none
   * yet), never before where evaluation stopped: nothing is evaluated twice.
   */
  private void resumeAt(KafkaConsumer<String, byte[]> c, Set<TopicPartition> paused, long sinceMs) {
    // the end first: a record appended after it has a later timestamp than the query's answer saw
    Map<TopicPartition, Long> end = c.endOffsets(paused, Duration.ofSeconds(10));
    Map<TopicPartition, Long> query = new HashMap<>();
    paused.forEach(tp -> query.put(tp, sinceMs));
    Map<TopicPartition, OffsetAndTimestamp> at = c.offsetsForTimes(query, Duration.ofSeconds(10));
    for (TopicPartition tp : paused) {
      OffsetAndTimestamp o = at.get(tp);
      long target = Math.max(o != null ? o.offset() : end.get(tp), stoppedAt.getOrDefault(tp, 0L));
      c.seek(tp, target);
      // what lies before it was skipped: committed as processed, so the group's lag says so
      processed.put(tp, new OffsetAndMetadata(target));
    }
    uncommitted = true;
    stoppedAt.clear();
    c.resume(paused);
    lastIdleSkipMs = 0;
    log.info("geofence evaluation resumed: a fence exists [partitions: {}]", partitionIds(paused));
  }

  /** When the oldest live fence was created (epoch ms); now when unknown. */
  private long earliestFenceMs() {
    long earliest = Long.MAX_VALUE;
    for (GeofenceIndex.Entry e : registry.list()) {
      try {
        earliest = Math.min(earliest, Instant.parse(e.fence.createdAt()).toEpochMilli());
      } catch (RuntimeException ignored) {
        // a fence without a readable creation time: the records from now on
      }
    }
    return earliest == Long.MAX_VALUE ? System.currentTimeMillis() : earliest;
  }

  /** Commits what was processed (every batch of it acknowledged) when the last commit is a second old. */
  private void commitIfDue() {
    long nowNanos = System.nanoTime();
    if (!uncommitted || nowNanos - lastCommitNanos < COMMIT_INTERVAL_NANOS) return;
    lastCommitNanos = nowNanos;
    uncommitted = false;
    consumer.commitAsync(new HashMap<>(processed), (o, err) -> {
      if (err != null) log.debug("geofence offsets not committed: {}", err.toString());
    });
  }

  private CompletableFuture<Void> sendAll(List<ProducerRecord<String, byte[]>> records) {
    List<CompletableFuture<RecordMetadata>> acks = new ArrayList<>(records.size());
    for (ProducerRecord<String, byte[]> r : records) {
      CompletableFuture<RecordMetadata> f = new CompletableFuture<>();
      send(r, f, 0);
      acks.add(f);
    }
    return CompletableFuture.allOf(acks.toArray(CompletableFuture[]::new));
  }

  private void send(ProducerRecord<String, byte[]> r, CompletableFuture<RecordMetadata> f, int tries) {
    producer.send(r, (meta, err) -> {
      if (err == null) {
        f.complete(meta);
      } else if (err instanceof TimeoutException && meta == null && tries < SEND_RETRIES) {
        // the producer never blocks (max.block.ms=0): no metadata or buffer space yet, try again shortly
        CompletableFuture.delayedExecutor(50, TimeUnit.MILLISECONDS).execute(() -> send(r, f, tries + 1));
      } else {
        f.completeExceptionally(err);
      }
    });
  }

  // ---------------------------------------------------------------- state recovery

  /**
   * After a failure: forget the state of every owned partition, go back to the last committed
   * offsets and rebuild the state before reading on (the same path as a restart).
   */
  private void resync(String why) {
    log.warn("geofence evaluator rewinds to its committed offsets and rebuilds its state [reason: {}]", why);
    metrics.resync();
    try {
      Set<TopicPartition> owned = consumer.assignment();
      tracker.clear();
      // back to the committed offsets for every partition, paused or not (paused again if still idle)
      consumer.resume(consumer.paused());
      stoppedAt.clear();
      Map<TopicPartition, OffsetAndMetadata> committed = consumer.committed(owned, Duration.ofSeconds(10));
      for (TopicPartition tp : owned) {
        OffsetAndMetadata om = committed.get(tp);
        if (om != null) {
          consumer.seek(tp, om);
        } else {
          consumer.seekToBeginning(List.of(tp));
        }
        processed.remove(tp);
        toRestore.add(tp.partition());
      }
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("geofence evaluator could not rewind: {}", e.toString());
    }
    sleep(RETRY_MS);
  }

  /** Rebuilds the state of the partitions in {@link #toRestore} from the events topic; false on failure. */
  private boolean restore() {
    Set<Integer> parts = new java.util.TreeSet<>(toRestore);
    long t0 = System.nanoTime();
    GeofenceTracker.Restore restore = tracker.restore();
    Map<String, Object> props = new HashMap<>(kafka.consumerConfig(null));
    props.put("client.id", kafka.clientId() + "-geofences-restore");
    props.put("max.poll.records", "10000");
    props.remove("key.deserializer");
    props.remove("value.deserializer");
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(props, new StringDeserializer(), new StringDeserializer())) {
      List<TopicPartition> tps = new ArrayList<>();
      for (PartitionInfo pi : c.partitionsFor(eventsTopic, Duration.ofSeconds(10))) tps.add(new TopicPartition(eventsTopic, pi.partition()));
      c.assign(tps);
      c.seekToBeginning(tps);
      Map<TopicPartition, Long> end = c.endOffsets(tps, Duration.ofSeconds(10));
      long deadline = System.nanoTime() + cfg.recoveryTimeout().toNanos();
      int unreadable = 0;
      while (!caughtUp(c, end)) {
        if (!running) return false;
        if (System.nanoTime() > deadline) {
          log.warn("geofence state not rebuilt within {} (geofences.recoveryTimeout)", cfg.recoveryTimeout());
          return false;
        }
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(200))) {
          if (r.value() != null && !GeofenceEvent.restoreInto(restore, r.value(), parts)) unreadable++;
        }
      }
      int devices = restore.finish(registry.index());
      toRestore.removeAll(parts);
      log.info("geofence state rebuilt [partitions: {}, events: {}, devices: {}, unreadable: {}, ms: {}]", parts,
          restore.events(), devices, unreadable, (System.nanoTime() - t0) / 1_000_000);
      return true;
    } catch (WakeupException e) {
      throw e;
    } catch (RuntimeException e) {
      log.warn("geofence state not rebuilt [partitions: {}]: {}", parts, e.toString());
      return false;
    }
  }

  private static boolean caughtUp(KafkaConsumer<?, ?> c, Map<TopicPartition, Long> end) {
    for (Map.Entry<TopicPartition, Long> e : end.entrySet()) {
      if (c.position(e.getKey()) < e.getValue()) return false;
    }
    return true;
  }

  // ---------------------------------------------------------------- rebalance (called inside poll, on this thread)

  @Override
  public void onPartitionsAssigned(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) return;
    log.info("geofence evaluation assigned [partitions: {}]", partitionIds(partitions));
    // rebuilt right after this poll, before any record of these partitions is evaluated
    toRestore.addAll(partitionIds(partitions));
    // the group's offsets of a topic deleted since may still place the consumer in the new one
    if (identity != null && identity.changed()) readAgainFromTheStart(partitions);
  }

  /**
   * The telemetry topic was deleted and created again: all of it is new, so these partitions are
   * read from their start (device states of the old log skip nothing: see {@link GeofenceTracker}).
   */
  private void readAgainFromTheStart(Collection<TopicPartition> partitions) {
    log.warn("geofence evaluation: {} was deleted and created again; reading its partitions {} from their start", telemetryTopic,
        partitionIds(partitions));
    partitions.forEach(processed::remove);
    consumer.seekToBeginning(partitions);
  }

  @Override
  public void onPartitionsRevoked(Collection<TopicPartition> partitions) {
    if (partitions.isEmpty()) return;
    Map<TopicPartition, OffsetAndMetadata> mine = new HashMap<>();
    for (TopicPartition tp : partitions) {
      OffsetAndMetadata om = processed.remove(tp);
      if (om != null) mine.put(tp, om);
    }
    try {
      if (!mine.isEmpty()) consumer.commitSync(mine, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      log.warn("geofence offsets not committed at revocation: {}", e.toString());
    }
    forget(partitions);
    log.info("geofence evaluation revoked [partitions: {}]", partitionIds(partitions));
  }

  @Override
  public void onPartitionsLost(Collection<TopicPartition> partitions) {
    partitions.forEach(processed::remove);
    forget(partitions);
  }

  private void forget(Collection<TopicPartition> partitions) {
    partitions.forEach(stoppedAt::remove);
    Set<Integer> ids = partitionIds(partitions);
    tracker.dropPartitions(ids);
    toRestore.removeAll(ids);
  }

  private static Set<Integer> partitionIds(Collection<TopicPartition> partitions) {
    Set<Integer> ids = new java.util.TreeSet<>();
    partitions.forEach(tp -> ids.add(tp.partition()));
    return ids;
  }

  private void commitQuietly() {
    KafkaConsumer<String, byte[]> c = consumer;
    if (c == null || processed.isEmpty()) return;
    try {
      c.commitSync(processed, Duration.ofSeconds(10));
    } catch (RuntimeException e) {
      log.warn("geofence offsets not committed at stop: {}", e.toString());
    }
  }

  private void sleep(long ms) {
    try {
      Thread.sleep(ms);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }

  /** For tests and metrics: devices with state on this node. */
  int trackedDevices() {
    return tracker.size();
  }
}
