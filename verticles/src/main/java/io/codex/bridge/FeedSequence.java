package io.codex.bridge;

import io.codex.codecs.TelemetryRecord;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Puts the live feed's records in Kafka order, partition by partition, from two sources: the
 * records the feed's consumer reads from Kafka, and the records this node produced, known with
 * their offsets from Kafka's acknowledgements ({@link ProducedTelemetry}). For each partition it
 * keeps the next offset to publish. A record is published when its offset is the next one, from
 * whichever source has it first, and exactly once: what the consumer reads below the next offset
 * was published from an acknowledgement, and acknowledgements below it were read. When the
 * acknowledgements run ahead of the consumer, {@link #followAcknowledged} says where the consumer
 * should go on from, so that it skips the bytes of records already published instead of fetching and decoding
 * them a second time; offsets in between that no acknowledgement covers (other nodes' records,
 * or a record not kept) are always read from Kafka.
 *
 * <p>Used by the feed's thread only. Bounded: at most {@link #MAX_WAITING} acknowledged records
 * (about 30 MB with their values) wait, across partitions, for the consumer to reach an earlier
 * offset; beyond that a record is not kept, and the consumer reads it from Kafka in its turn.
 *
 * <p>Should the consumer go back below what was published in a partition (its log truncated, or
 * the topic created anew when nothing told the feed, which then reads it all again from the start:
 * see {@code TelemetryFeedVerticle}), publishing goes on from there ({@link #restart}).
 */
final class FeedSequence {
  private static final Logger log = LoggerFactory.getLogger(FeedSequence.class);
  /** Acknowledged records kept, in all, while an earlier offset is still to be read from Kafka. */
  static final int MAX_WAITING = 1 << 16;

  /** Where the consumer should continue reading a partition from. */
  record Seek(int partition, long offset) {}

  private final ProducedTelemetry produced;
  private final List<ProducedTelemetry.Entry> drained = new ArrayList<>();
  /** Per partition, the next offset to publish; -1 until the consumer's first record of it says. */
  private long[] next = new long[0];
  /** Per partition, where the consumer reads next: after its last record, or where it was sent. */
  private long[] reading = new long[0];
  /** Per partition, when an acknowledgement of it was last taken ({@link System#nanoTime}); 0 when never. */
  private long[] acknowledgedAt = new long[0];
  @SuppressWarnings("unchecked")
  private ArrayDeque<ProducedTelemetry.Entry>[] waiting = new ArrayDeque[0];
  private int waitingCount;
  private int fromEntries;
  private int decoded;

  FeedSequence(ProducedTelemetry produced) {
    this.produced = produced;
  }

  /** Takes the acknowledgements that arrived since the last call. */
  void acknowledgements() {
    produced.drainTo(drained);
    long now = drained.isEmpty() ? 0 : System.nanoTime();
    for (ProducedTelemetry.Entry e : drained) {
      int p = e.partition();
      grow(p);
      acknowledgedAt[p] = now;
      if (next[p] >= 0 && e.offset() < next[p]) continue;   // the consumer read it already
      ArrayDeque<ProducedTelemetry.Entry> q = waiting[p];
      if (waitingCount >= MAX_WAITING) continue;            // read from Kafka when its turn comes
      if (q.isEmpty() || q.peekLast().offset() < e.offset()) {
        q.addLast(e);
        waitingCount++;
      } else if (insertInOrder(q, e)) {
        waitingCount++;
      }
    }
    drained.clear();
  }

  /**
   * A record the consumer read, in its partition's order: appends it to {@code out} unless it was
   * published already (from its acknowledgement). Returns false when the value is not a readable
   * record (skipped; a tombstone is skipped silently and counts as readable).
   */
  boolean read(int partition, long offset, byte[] value, List<TelemetryRecord> out) {
    grow(partition);
    if (offset < reading[partition]) restart(partition, offset);
    reading[partition] = offset + 1;
    if (next[partition] >= 0 && offset < next[partition]) return true;
    next[partition] = offset + 1;
    ArrayDeque<ProducedTelemetry.Entry> q = waiting[partition];
    while (!q.isEmpty() && q.peekFirst().offset() < offset) take(q);
    ProducedTelemetry.Entry mine = !q.isEmpty() && q.peekFirst().offset() == offset ? take(q) : null;
    if (value == null) return true;
    if (mine != null && mine.describes(value)) {
      out.add(mine.record());
      fromEntries++;
      return true;
    }
    TelemetryRecord r = TelemetryRecordReader.read(value, partition, offset);
    if (r == null) return false;
    out.add(r);
    decoded++;
    return true;
  }

  /**
   * Appends, per partition, the acknowledged records that continue what was published without a
   * gap, and returns where the consumer should go on reading from where those ran ahead of it.
   */
  List<Seek> followAcknowledged(List<TelemetryRecord> out) {
    List<Seek> seeks = null;
    for (int p = 0; p < next.length; p++) {
      long n = next[p];
      if (n < 0) continue;
      ArrayDeque<ProducedTelemetry.Entry> q = waiting[p];
      while (!q.isEmpty()) {
        ProducedTelemetry.Entry e = q.peekFirst();
        if (e.offset() > n) break;
        take(q);
        if (e.offset() < n) continue;
        out.add(e.record());
        fromEntries++;
        n++;
      }
      next[p] = n;
      if (n > reading[p]) {
        reading[p] = n;
        if (seeks == null) seeks = new ArrayList<>();
        seeks.add(new Seek(p, n));
      }
    }
    produced.published(fromEntries, decoded);
    fromEntries = 0;
    decoded = 0;
    return seeks == null ? List.of() : seeks;
  }

  /**
   * The consumer went back to an offset below where it was reading: Kafka's consumer does that only
   * when the partition's log started again (truncated, or the topic deleted and created anew) and
   * its offset reset or truncation check put it there; a fetch made for a position it has left is
   * dropped, never returned. The records are published from there on; the acknowledgements still
   * waiting were for the old log (the new log's are read from Kafka in their turn).
   */
  private void restart(int partition, long offset) {
    log.warn("telemetry feed: partition {} went back from offset {} to {} (the topic was recreated or its log truncated); "
        + "publishing its records from there", partition, reading[partition], offset);
    next[partition] = offset;
    waitingCount -= waiting[partition].size();
    waiting[partition].clear();
  }

  /** The consumer no longer reads this partition (a rebalance): start again from its next record. */
  void forget(int partition) {
    if (partition >= next.length) return;
    next[partition] = -1;
    reading[partition] = -1;
    waitingCount -= waiting[partition].size();
    waiting[partition].clear();
  }

  /**
   * Whether every record of the partition up to this node's latest acknowledgement in it has been
   * published: where to publish next is known, the consumer reads from there, and no acknowledgement
   * waits beyond a gap (offsets only Kafka can tell, written by another node). Nothing here needs
   * fetching then, until a new acknowledgement shows a gap, or until another node writes after this
   * node's latest record, which only fetching can tell.
   */
  boolean caughtUp(int partition) {
    return partition < next.length && next[partition] >= 0 && reading[partition] == next[partition]
        && waiting[partition].isEmpty();
  }

  /** When an acknowledgement of this partition was last taken ({@link System#nanoTime}); 0 when never. */
  long acknowledgedAt(int partition) {
    return partition < acknowledgedAt.length ? acknowledgedAt[partition] : 0;
  }

  /** Where the consumer reads a partition next, as far as the sequence knows; -1 when not known. */
  long reading(int partition) {
    return partition < reading.length ? reading[partition] : -1;
  }

  /** The next offset to publish in a partition; -1 when not known yet. */
  long next(int partition) {
    return partition < next.length ? next[partition] : -1;
  }

  private ProducedTelemetry.Entry take(ArrayDeque<ProducedTelemetry.Entry> q) {
    waitingCount--;
    return q.pollFirst();
  }

  /** Inserts {@code e} in offset order; false when an entry of that offset is there already. */
  private static boolean insertInOrder(ArrayDeque<ProducedTelemetry.Entry> q, ProducedTelemetry.Entry e) {
    List<ProducedTelemetry.Entry> later = new ArrayList<>();
    while (!q.isEmpty() && q.peekLast().offset() > e.offset()) later.add(q.pollLast());
    boolean added = q.isEmpty() || q.peekLast().offset() < e.offset();
    if (added) q.addLast(e);
    for (int i = later.size() - 1; i >= 0; i--) q.addLast(later.get(i));
    return added;
  }

  /** Acknowledged records waiting for the consumer to reach an earlier offset. */
  int waiting() {
    return waitingCount;
  }

  @SuppressWarnings("unchecked")
  private void grow(int partition) {
    if (partition < next.length) return;
    int from = next.length;
    next = Arrays.copyOf(next, partition + 1);
    reading = Arrays.copyOf(reading, partition + 1);
    acknowledgedAt = Arrays.copyOf(acknowledgedAt, partition + 1);
    waiting = Arrays.copyOf(waiting, partition + 1);
    for (int p = from; p <= partition; p++) {
      next[p] = -1;
      reading[p] = -1;
      waiting[p] = new ArrayDeque<>();
    }
  }
}
