package io.codex.bridge;

import io.codex.codecs.TelemetryRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReferenceArray;

/**
 * Notes on the telemetry records this node recently produced ({@link Entry}: where ingest wrote
 * each field), by Kafka partition and offset: when the node's live feed reads a record back from
 * Kafka it builds it from those places instead of decoding the bytes a second time (records other
 * nodes produced are decoded as before). A record is taken only when the value Kafka returned has the id and the length of the
 * one ingest produced at that position: the text fields are then read where ingest wrote them, and
 * what the feed publishes is what decoding the value would give.
 *
 * <p>Bounded: one ring of {@link #SLOTS} per partition, a slot per offset modulo the ring. A slot
 * is cleared when the feed takes it and overwritten {@link #SLOTS} offsets later when the feed never
 * does (it lags, or reads from elsewhere); nothing is kept while no feed reads on this node.
 */
public final class ProducedTelemetry implements Shareable {
  /**
   * Offsets a record stays takeable per partition: at 250,000 records/s over 6 partitions, 0.8 s
   * (the feed falls behind by more than its 100 ms fetch wait when the CPU is saturated); at most
   * about 25 MB held for 6 partitions when the feed reads none of them.
   */
  static final int SLOTS = 1 << 15;
  private static final String KEY = "produced-telemetry";

  /**
   * What the feed needs to read a value this node produced without decoding it: the record's id (the
   * random half of its UUID), the value's length, where each text field sits in it, and the location.
   * Small (about 100 bytes, no copy of the value or its text), because each is held from Kafka's
   * acknowledgement until the feed reads the record back.
   */
  public static final class Entry {
    private final long idLow;
    private final int length;
    private final int idAt;
    private final int deviceIdAt;
    private final int deviceIdEnd;
    private final int timestampAt;
    private final int timestampEnd;
    private final int receivedAtAt;
    private final int receivedAtEnd;
    private final int sensorTypeAt;
    private final int sensorTypeEnd;
    private final int payloadAt;
    private final int payloadEnd;
    private final double lat;
    private final double lon;
    private final double alt;
    private final String correlationId;

    /**
     * @param id      the record's id, written at {@code at[0]} as its 36-character text
     * @param at      where id, deviceId, timestamp, receivedAt and sensorType (ASCII, no escapes)
     *                and the payload start and end in the value: {id, deviceId, deviceId end,
     *                timestamp, timestamp end, receivedAt, receivedAt end, sensorType, sensorType
     *                end, payload, payload end}
     * @param lat     NaN without a location, as {@code lon}; {@code alt} NaN without altitude
     */
    public Entry(java.util.UUID id, int length, int[] at, double lat, double lon, double alt, String correlationId) {
      this.idLow = id.getLeastSignificantBits();
      this.length = length;
      this.idAt = at[0];
      this.deviceIdAt = at[1];
      this.deviceIdEnd = at[2];
      this.timestampAt = at[3];
      this.timestampEnd = at[4];
      this.receivedAtAt = at[5];
      this.receivedAtEnd = at[6];
      this.sensorTypeAt = at[7];
      this.sensorTypeEnd = at[8];
      this.payloadAt = at[9];
      this.payloadEnd = at[10];
      this.lat = lat;
      this.lon = lon;
      this.alt = alt;
      this.correlationId = correlationId;
    }

    /**
     * Whether {@code value} is this entry's record: its length, and the id where it was written (its
     * last 16 hex digits, 62 of them random bits, are compared; the first 16 are mostly a time).
     */
    public boolean describes(byte[] value) {
      return value.length == length && idAt + 36 <= length && value[idAt + 8] == '-' && value[idAt + 13] == '-'
          && value[idAt + 18] == '-' && value[idAt + 23] == '-'
          && hex(value, idAt + 24, 12) == (idLow & 0xFFFF_FFFF_FFFFL) && hex(value, idAt + 19, 4) == idLow >>> 48;
    }

    /** The record {@code value} (which {@link #describes}) encodes, at a Kafka position. */
    public TelemetryRecord record(byte[] value, int partition, long offset) {
      return new TelemetryRecord(ascii(value, idAt, idAt + 36), ascii(value, deviceIdAt, deviceIdEnd),
          ascii(value, timestampAt, timestampEnd), ascii(value, receivedAtAt, receivedAtEnd),
          ascii(value, sensorTypeAt, sensorTypeEnd), new String(value, payloadAt, payloadEnd - payloadAt, StandardCharsets.UTF_8),
          Double.isNaN(lat) ? null : lat, Double.isNaN(lon) ? null : lon, Double.isNaN(alt) ? null : alt, correlationId,
          partition, offset);
    }

    private static String ascii(byte[] b, int from, int to) {
      return new String(b, from, to - from, StandardCharsets.ISO_8859_1);
    }

    /** {@code n} lowercase hex digits as a number; -1 when one is not. */
    private static long hex(byte[] b, int from, int n) {
      long v = 0;
      for (int k = from; k < from + n; k++) {
        int c = b[k];
        int d = c >= '0' && c <= '9' ? c - '0' : c >= 'a' && c <= 'f' ? c - 'a' + 10 : -1;
        if (d < 0) return -1;
        v = v << 4 | d;
      }
      return v;
    }
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

  /** Kafka acknowledged the record {@code e} describes at this position (any thread: the producer's I/O thread). */
  public void acknowledged(int partition, long offset, Entry e) {
    if (readers.get() == 0 || partition < 0 || offset < 0) return;
    AtomicReferenceArray<Entry>[] r = rings;
    if (partition >= r.length) r = grow(partition);
    r[partition].lazySet((int) (offset & (SLOTS - 1)), e);
  }

  /**
   * The record {@code value} encodes, when this node produced it at this position (same id, same
   * length), else null; the slot is then cleared.
   */
  TelemetryRecord take(int partition, long offset, byte[] value) {
    AtomicReferenceArray<Entry>[] r = rings;
    if (value == null || partition < 0 || partition >= r.length || offset < 0) return null;
    AtomicReferenceArray<Entry> ring = r[partition];
    int slot = (int) (offset & (SLOTS - 1));
    Entry e = ring.get(slot);
    if (e == null || !e.describes(value)) return null;
    ring.compareAndSet(slot, e, null);
    return e.record(value, partition, offset);
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
