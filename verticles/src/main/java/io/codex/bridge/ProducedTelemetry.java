package io.codex.bridge;

import io.codex.api.NodeMetrics;
import io.codex.codecs.JsonText;
import io.codex.codecs.TelemetryRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * The telemetry records this node produced, each with the partition and offset Kafka acknowledged
 * it at, handed from the producer's I/O thread to the node's live feed ({@link FeedSequence}). The
 * feed publishes them at those positions, in Kafka order with what other nodes wrote, without
 * reading their bytes back from Kafka or decoding them.
 *
 * <p>Bounded: at most {@link #CAPACITY} records wait for the feed; beyond that (the feed's thread
 * has fallen behind) a record is not kept, and the feed reads it back from Kafka and decodes it.
 * Nothing is kept while no feed reads on this node.
 */
public final class ProducedTelemetry implements Shareable {
  /**
   * Acknowledged records waiting for the feed's thread to take them (it does at least every 20
   * ms): at 300,000 records/s, about 0.1 s; about 15 MB with their values.
   */
  static final int CAPACITY = 1 << 15;
  private static final String KEY = "produced-telemetry";

  /**
   * A record as ingest produced it: its value, the texts ingest wrote in it, where the payload
   * sits in it, and its location, then the position Kafka acknowledged it at; enough for the feed
   * to build the {@link TelemetryRecord} that decoding the value would give, without decoding it.
   * Holds the value array and the strings ingest made (no copies) from the send to the feed's
   * publication, a few milliseconds.
   */
  public static final class Entry {
    private final long idLow;
    private final byte[] value;
    private final int idAt;
    private final String id;
    private final String deviceId;
    private final String timestamp;
    private final String receivedAt;
    private final String sensorType;
    private final int payloadAt;
    private final int payloadEnd;
    private final double lat;
    private final double lon;
    private final double alt;
    private final String correlationId;
    // set once, on the producer's I/O thread, before the entry is handed to the feed
    private int partition = -1;
    private long offset = -1;

    /**
     * @param uuid    the record's id, written at {@code idAt} as its 36-character text {@code id}
     * @param value   the record's Kafka value, which has {@code id}, {@code deviceId},
     *                {@code timestamp}, {@code receivedAt} and {@code sensorType} as written (ASCII,
     *                no escapes) and the payload at [{@code payloadAt}, {@code payloadEnd})
     * @param lat     NaN without a location, as {@code lon}; {@code alt} NaN without altitude
     */
    public Entry(java.util.UUID uuid, String id, String deviceId, String timestamp, String receivedAt, String sensorType,
        byte[] value, int idAt, int payloadAt, int payloadEnd, double lat, double lon, double alt, String correlationId) {
      this.idLow = uuid.getLeastSignificantBits();
      this.value = value;
      this.idAt = idAt;
      this.id = id;
      this.deviceId = deviceId;
      this.timestamp = timestamp;
      this.receivedAt = receivedAt;
      this.sensorType = sensorType;
      this.payloadAt = payloadAt;
      this.payloadEnd = payloadEnd;
      this.lat = lat;
      this.lon = lon;
      this.alt = alt;
      this.correlationId = correlationId;
    }

    /** The partition Kafka acknowledged the record in; -1 before. */
    public int partition() {
      return partition;
    }

    /** The offset Kafka acknowledged the record at; -1 before. */
    public long offset() {
      return offset;
    }

    /**
     * Whether {@code bytes} (a value read back from Kafka) is this entry's record: its length, and
     * the id where it was written (its last 16 hex digits, 62 of them random bits, are compared;
     * the first 16 are mostly a time).
     */
    public boolean describes(byte[] bytes) {
      int length = value.length;
      return bytes.length == length && idAt + 36 <= length && bytes[idAt + 8] == '-' && bytes[idAt + 13] == '-'
          && bytes[idAt + 18] == '-' && bytes[idAt + 23] == '-'
          && hex(bytes, idAt + 24, 12) == (idLow & 0xFFFF_FFFF_FFFFL) && hex(bytes, idAt + 19, 4) == idLow >>> 48;
    }

    /** The record, at the position Kafka acknowledged it at. */
    public TelemetryRecord record() {
      return record(partition, offset);
    }

    /** The record, at a Kafka position. */
    public TelemetryRecord record(int partition, long offset) {
      return new TelemetryRecord(id, deviceId, timestamp, receivedAt, sensorType,
          JsonText.utf8(value, payloadAt, payloadEnd),   // decoded only if a consumer asks
          Double.isNaN(lat) ? null : lat, Double.isNaN(lon) ? null : lon, Double.isNaN(alt) ? null : alt, correlationId,
          partition, offset);
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
  // lock-free: the producer's I/O thread adds every record it acknowledges, and any wait there (a
  // lock the feed's thread holds while it takes the queue) holds up every acknowledgement behind it
  private final ConcurrentLinkedQueue<Entry> acknowledged = new ConcurrentLinkedQueue<>();
  private final AtomicInteger waiting = new AtomicInteger();
  private final Counter produced;
  private final Counter decoded;

  ProducedTelemetry(MeterRegistry registry) {
    produced = feedRecords(registry, "produced");
    decoded = feedRecords(registry, "decoded");
  }

  private static Counter feedRecords(MeterRegistry registry, String read) {
    return Counter.builder("codex.feed.records")
        .description("records the live feed published: produced (by this node, built from what its ingest wrote, at "
            + "the position Kafka acknowledged) or decoded (read back from Kafka)")
        .tag("read", read).register(registry);
  }

  /** The node's instance. */
  public static ProducedTelemetry of(Vertx vertx) {
    return (ProducedTelemetry) NodeLocal.map(vertx).computeIfAbsent(KEY, k -> new ProducedTelemetry(NodeMetrics.registry(vertx)));
  }

  /** Counts published records: built from this node's entries, decoded from Kafka. */
  void published(int fromEntries, int decodedHere) {
    if (fromEntries > 0) produced.increment(fromEntries);
    if (decodedHere > 0) decoded.increment(decodedHere);
  }

  /** A feed starts reading: from now on acknowledged records are kept for it. */
  void open() {
    readers.incrementAndGet();
  }

  /** A feed stopped; with none left, nothing more is kept and what was is dropped. */
  void close() {
    if (readers.decrementAndGet() == 0) drainTo(new ArrayList<>());
  }

  /**
   * Kafka acknowledged the record {@code e} describes at this position (any thread; in practice the
   * producer's I/O thread, which acknowledges a partition's records in offset order).
   */
  public void acknowledged(int partition, long offset, Entry e) {
    if (readers.get() == 0 || partition < 0 || offset < 0) return;
    // full: the feed reads this record back from Kafka instead
    if (waiting.incrementAndGet() > CAPACITY) {
      waiting.decrementAndGet();
      return;
    }
    e.partition = partition;
    e.offset = offset;
    acknowledged.offer(e);
  }

  /** Moves the acknowledged records waiting into {@code into} (the feed's thread). */
  int drainTo(Collection<Entry> into) {
    // those waiting now: the I/O thread may keep adding while they are taken
    int max = waiting.get();
    int n = 0;
    Entry e;
    while (n < max && (e = acknowledged.poll()) != null) {
      into.add(e);
      n++;
    }
    if (n > 0) waiting.addAndGet(-n);
    return n;
  }
}
