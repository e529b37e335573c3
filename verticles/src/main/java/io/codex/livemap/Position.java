package io.codex.livemap;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonGenerator;
import io.codex.codecs.JsonText;
import io.codex.codecs.TelemetryRecord;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.UncheckedIOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeParseException;

/**
 * The latest known state of one device on the map: its newest telemetry record, at its newest
 * known location (a record without a location keeps the previous one). Immutable; the GeoJSON
 * Feature is serialised once, on first use, and then shared by every client that receives it.
 */
final class Position {
  private static final JsonFactory JSON = new JsonFactory();

  final String recordId;
  final String deviceId;
  final String sensorType;
  final String timestamp;
  final String receivedAt;
  /** The payload as it came (decoded when the Feature is first serialised); null or blank: {@code {}}. */
  private final JsonText payload;
  final double lon;
  final double lat;
  final Double alt;
  final int partition;
  final long offset;
  /** {@link System#nanoTime()} when this node first saw the record. */
  final long seenAt;
  private volatile byte[] feature;

  Position(TelemetryRecord r, double lon, double lat, Double alt, long seenAt) {
    this.recordId = r.id();
    this.deviceId = r.deviceId();
    this.sensorType = r.sensorType();
    this.timestamp = r.timestamp();
    this.receivedAt = r.receivedAt();
    this.payload = r.payload();
    this.lon = lon;
    this.lat = lat;
    this.alt = alt;
    this.partition = r.partition();
    this.offset = r.offset();
    this.seenAt = seenAt;
  }

  /**
   * Whether {@code r} is this very record, or older than it: Kafka keeps one device's records in
   * one partition, so within a partition the offset orders them (a live map instance that lags
   * behind another offers records the other has applied already). Unless the partition's log
   * started again (the topic deleted and created anew): then a lower offset is a newer record, and
   * Codex received it after this one.
   */
  boolean supersedes(TelemetryRecord r) {
    if (recordId != null && recordId.equals(r.id())) return true;
    if (partition < 0 || partition != r.partition() || offset < 0 || r.offset() < 0 || offset <= r.offset()) return false;
    return !receivedAfter(r.receivedAt(), receivedAt);
  }

  /**
   * Whether {@code a} is a later time than {@code b} (false when either is missing or unreadable).
   * Two UTC times of the same length (Codex writes {@code 2026-11-27T10:00:00.123Z}) compare as
   * text: a live map instance that lags behind offers older records all the time, so this is on
   * the event loop's path and parses nothing.
   */
  static boolean receivedAfter(String a, String b) {
    if (a == null || b == null) return false;
    int n = a.length();
    if (n == b.length() && n > 0 && a.charAt(n - 1) == 'Z' && b.charAt(n - 1) == 'Z') return a.compareTo(b) > 0;
    Instant x = instant(a);
    Instant y = instant(b);
    return x != null && y != null && x.isAfter(y);
  }

  private static Instant instant(String rfc3339) {
    if (rfc3339 == null) return null;
    try {
      return OffsetDateTime.parse(rfc3339).toInstant();
    } catch (DateTimeParseException e) {
      return null;
    }
  }

  /** {@code {"type":"Feature","geometry":{Point},"properties":{deviceId, sensorType, timestamp, receivedAt, payload}}}. */
  byte[] feature() {
    byte[] f = feature;
    if (f == null) feature = f = serialise();
    return f;
  }

  private byte[] serialise() {
    String payloadJson = payload == null ? "{}" : payload.toString();
    if (payloadJson.isBlank()) payloadJson = "{}";
    ByteArrayOutputStream out = new ByteArrayOutputStream(160 + payloadJson.length());
    try (JsonGenerator g = JSON.createGenerator(out)) {
      g.writeStartObject();
      g.writeStringField("type", "Feature");
      g.writeObjectFieldStart("geometry");
      g.writeStringField("type", "Point");
      g.writeArrayFieldStart("coordinates");
      g.writeNumber(lon);
      g.writeNumber(lat);
      if (alt != null) g.writeNumber(alt);
      g.writeEndArray();
      g.writeEndObject();
      g.writeObjectFieldStart("properties");
      g.writeStringField("deviceId", deviceId);
      if (sensorType != null) g.writeStringField("sensorType", sensorType);
      if (timestamp != null) g.writeStringField("timestamp", timestamp);
      if (receivedAt != null) g.writeStringField("receivedAt", receivedAt);
      g.writeFieldName("payload");
      // ingest wrote the payload as a validated JSON object: forwarded as it is
      g.writeRawValue(payloadJson);
      g.writeEndObject();
      g.writeEndObject();
    } catch (IOException e) {
      throw new UncheckedIOException(e);
    }
    return out.toByteArray();
  }
}
