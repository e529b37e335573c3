package io.codex.bridge;

import io.codex.codecs.TelemetryRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * The telemetry records this node recently produced, as ingest parsed them, by Kafka partition and
 * offset: when the node's live feed reads a record back from Kafka it takes the parsed form from
 * here instead of decoding the bytes a second time (records other nodes produced are decoded as
 * before). A record is taken only when the bytes Kafka returned are exactly the bytes ingest
 * produced, so what the feed publishes is what decoding them would give.
 *
 * <p>Bounded: one ring of {@link #SLOTS} per partition, a slot per offset modulo the ring. A slot
 * is cleared when the feed takes it and overwritten {@link #SLOTS} offsets later when the feed never
 * does (it lags, or reads from elsewhere); nothing is kept while no feed reads on this node.
 */
public final class ProducedTelemetry implements Shareable {
  /** Offsets a record stays takeable per partition: at 250,000 records/s over 6 partitions, 0.4 s. */
  static final int SLOTS = 1 << 14;
  private static final String KEY = "produced-telemetry";

  /** A record as ingest parsed it, with the bytes it gave Kafka. */
  public interface Entry {
    /** The value produced to Kafka. */
    byte[] value();

    /** The record the value encodes, at a Kafka position. */
    TelemetryRecord record(int partition, long offset);
  }

  private final AtomicInteger readers = new AtomicInteger();
  private final Counter taken;
  private final Counter decoded;
  @SuppressWarnings("unchecked")
  private volatile AtomicReferenceArray<Entry>[] rings = new AtomicReferenceArray[0];

  ProducedTelemetry(MeterRegistry registry) {
    taken = feedRecords(registry, "produced");
    decoded = feedRecords(registry, "decoded");
  }

  private static Counter feedRecords(MeterRegistry registry, String read) {
    return Counter.builder("codex.feed.records")
        .description("records the live feed read back from Kafka: produced (taken as this node's ingest parsed them) or decoded")
        .tag("read", read).register(registry);
  }

  /** The node's instance. */
  public static ProducedTelemetry of(Vertx vertx) {
    return (ProducedTelemetry) vertx.sharedData().getLocalMap("codex.bridge").computeIfAbsent(KEY, k -> {
      MeterRegistry r = BackendRegistries.getDefaultNow();
      return new ProducedTelemetry(r != null ? r : new SimpleMeterRegistry());
    });
  }

  /** Counts a polled batch: records taken from here, records decoded. */
  void read(int takenHere, int decodedThere) {
    if (takenHere > 0) taken.increment(takenHere);
    if (decodedThere > 0) decoded.increment(decodedThere);
  }

  /** A feed starts reading: from now on acknowledged records are kept for it. */
  void open() {
    readers.incrementAndGet();
  }

  /** A feed stopped; with none left, nothing more is kept and what was is dropped. */
  synchronized void close() {
    if (readers.decrementAndGet() == 0) {
      for (AtomicReferenceArray<Entry> ring : rings) {
        for (int i = 0; i < ring.length(); i++) ring.set(i, null);
      }
    }
  }

  /** Kafka acknowledged {@code e} at this position (any thread: the producer's I/O thread). */
  public void acknowledged(int partition, long offset, Entry e) {
    if (readers.get() == 0 || partition < 0 || offset < 0) return;
    AtomicReferenceArray<Entry>[] r = rings;
    if (partition >= r.length) r = grow(partition);
    r[partition].lazySet((int) (offset & (SLOTS - 1)), e);
  }

  /**
   * The record at this position when this node produced exactly {@code value} there, else null;
   * the slot is cleared either way when it held that record.
   */
  TelemetryRecord take(int partition, long offset, byte[] value) {
    AtomicReferenceArray<Entry>[] r = rings;
    if (value == null || partition < 0 || partition >= r.length || offset < 0) return null;
    AtomicReferenceArray<Entry> ring = r[partition];
    int slot = (int) (offset & (SLOTS - 1));
    Entry e = ring.get(slot);
    if (e == null || !Arrays.equals(e.value(), value)) return null;
    ring.compareAndSet(slot, e, null);
    return e.record(partition, offset);
  }

  @SuppressWarnings("unchecked")
  private synchronized AtomicReferenceArray<Entry>[] grow(int partition) {
    AtomicReferenceArray<Entry>[] r = rings;
    if (partition < r.length) return r;
    AtomicReferenceArray<Entry>[] bigger = Arrays.copyOf(r, partition + 1);
    for (int p = r.length; p <= partition; p++) bigger[p] = new AtomicReferenceArray<>(SLOTS);
    rings = bigger;
    return bigger;
  }
}
