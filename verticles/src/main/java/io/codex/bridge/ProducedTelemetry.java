package io.codex.bridge;

import io.codex.codecs.TelemetryRecord;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.nio.charset.StandardCharsets;
import java.util.Collection;
import java.util.concurrent.ArrayBlockingQueue;
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
   * A record as ingest produced it: its value, where each text field sits in it, and its
   * location, then the position Kafka acknowledged it at; enough for the feed to build the
   * {@link TelemetryRecord} that decoding the value would give, without decoding it. Holds the
   * value array ingest made (no copy) from the send to the feed's publication, a few milliseconds.
   */
  public static final class Entry {
    private final long idLow;
    private final byte[] value;
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
    // set once, on the producer's I/O thread, before the entry is handed to the feed
    private int partition = -1;
    private long offset = -1;

    /**
     * @param id      the record's id, written at {@code at[0]} as its 36-character text
     * @param value   the record's Kafka value
     * @param at      where id, deviceId, timestamp, receivedAt and sensorType (ASCII, no escapes)
     *                and the payload start and end in the value: {id, deviceId, deviceId end,
     *                timestamp, timestamp end, receivedAt, receivedAt end, sensorType, sensorType
     *                end, payload, payload end}
     * @param lat     NaN without a location, as {@code lon}; {@code alt} NaN without altitude
     */
    public Entry(java.util.UUID id, byte[] value, int[] at, double lat, double lon, double alt, String correlationId) {
      this.idLow = id.getLeastSignificantBits();
      this.value = value;
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
      byte[] b = value;
      return new TelemetryRecord(ascii(b, idAt, idAt + 36), ascii(b, deviceIdAt, deviceIdEnd),
          ascii(b, timestampAt, timestampEnd), ascii(b, receivedAtAt, receivedAtEnd),
          ascii(b, sensorTypeAt, sensorTypeEnd), new String(b, payloadAt, payloadEnd - payloadAt, StandardCharsets.UTF_8),
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
  private final ArrayBlockingQueue<Entry> acknowledged = new ArrayBlockingQueue<>(CAPACITY);
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
    return (ProducedTelemetry) vertx.sharedData().getLocalMap("codex.bridge").computeIfAbsent(KEY, k -> {
      MeterRegistry r = BackendRegistries.getDefaultNow();
      return new ProducedTelemetry(r != null ? r : new SimpleMeterRegistry());
    });
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
    if (readers.decrementAndGet() == 0) acknowledged.clear();
  }

  /**
   * Kafka acknowledged the record {@code e} describes at this position (any thread; in practice the
   * producer's I/O thread, which acknowledges a partition's records in offset order).
   */
  public void acknowledged(int partition, long offset, Entry e) {
    if (readers.get() == 0 || partition < 0 || offset < 0) return;
    e.partition = partition;
    e.offset = offset;
    acknowledged.offer(e);   // full: the feed reads this record back from Kafka instead
  }

  /** Moves the acknowledged records waiting into {@code into} (the feed's thread). */
  int drainTo(Collection<Entry> into) {
    return acknowledged.drainTo(into);
  }
}
