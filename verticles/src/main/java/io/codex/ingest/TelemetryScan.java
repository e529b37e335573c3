package io.codex.ingest;

import io.codex.bridge.JsonByteCursor;
import io.codex.ingest.TelemetryParser.Parsed;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;

/**
 * One pass over an ingested body (one record or an array of records) that handles only the common,
 * fully valid case and gives up (null) on anything else, so that {@link TelemetryParser}'s Jackson
 * path decides every error and every unusual input. Tokenising with Jackson was about 30% of the
 * event loop's CPU at 100k records/s; here field names are compared as bytes, the payload is
 * validated and sliced by bracket depth, and only the values Codex reads are turned into strings or
 * numbers. It is deliberately stricter than JSON: any escape in a value Codex reads, any non-ASCII
 * byte in a string, a duplicate known field, very long names or strings, or deep nesting all go to
 * the general path, so whatever this accepts the general path accepts with the same result. Same
 * approach as {@code io.codex.bridge.TelemetryRecordReader}'s scanner for reading records back.
 */
final class TelemetryScan extends JsonByteCursor {
  private static final int MAX_NAME = 1024;
  /**
   * ASCII only; strings of 1,000,000 bytes, names 1,024, nesting 64, numbers 100 characters (Jackson's
   * own limits are far larger: names 50k, strings 20M, nesting 1000, numbers 1000).
   */
  private static final Limits LIMITS = new Limits(true, 1_000_000, MAX_NAME, 64, 100);

  private static final byte[] DEVICE_ID = ascii("deviceId");
  private static final byte[] TIMESTAMP = ascii("timestamp");
  private static final byte[] SENSOR_TYPE = ascii("sensorType");
  private static final byte[] PAYLOAD = ascii("payload");
  private static final byte[] LOCATION = ascii("location");
  private static final byte[] CORRELATION_ID = ascii("correlationId");
  private static final byte[] LAT = ascii("lat");
  private static final byte[] LON = ascii("lon");
  private static final byte[] ALT = ascii("alt");

  /** Thrown to give up (the body then goes to the Jackson path). */
  private static final RuntimeException GIVE_UP = NOT_HANDLED;

  private final String topicDeviceId;
  private final String received;
  /**
   * Where the record's lat, lon and alt are written in the body, {start, end} each, when that text
   * is already what {@link TelemetryParser#normalised} would write for the number (-1 when not): it
   * is then copied instead of formatted again. Reused from record to record.
   */
  private final int[] numbers = new int[6];

  private TelemetryScan(byte[] b, String topicDeviceId, String received) {
    super(b, LIMITS);
    this.topicDeviceId = topicDeviceId;
    this.received = received;
  }

  /**
   * The records of {@code body} (one object or a non-empty array of at most {@code maxRecords}
   * objects), or null to hand the body to the general path. Never throws.
   */
  static List<Parsed> parse(byte[] body, String topicDeviceId, int maxRecords, String received) {
    if (body == null) return null;
    try {
      return new TelemetryScan(body, topicDeviceId, received).body(maxRecords);
    } catch (RuntimeException e) { // GiveUp, or an index past the end of a truncated body
      return null;
    }
  }

  private List<Parsed> body(int maxRecords) {
    ws();
    List<Parsed> out = new ArrayList<>();
    if (b[i] == '{') {
      if (maxRecords < 1) return null;
      out.add(record(""));
    } else if (b[i] == '[') {
      i++;
      ws();
      while (true) {
        if (b[i] != '{' || out.size() >= maxRecords) return null;
        out.add(record("/" + out.size()));
        ws();
        byte sep = b[i++];
        if (sep == ']') break;
        if (sep != ',') return null;
        ws();
      }
    } else {
      return null;
    }
    ws();
    return i == b.length ? out : null;
  }

  /** At a '{': one record, moved past its '}'. */
  private Parsed record(String at) {
    String deviceId = null;
    String timestamp = null;
    String sensorType = null;
    String correlationId = null;
    boolean sawCorrelationId = false;
    int payloadStart = -1;
    int payloadEnd = -1;
    boolean location = false;
    double lat = 0;
    double lon = 0;
    Double alt = null;
    i++;
    ws();
    if (b[i] != '}') {
      while (true) {
        if (b[i] != '"') throw GIVE_UP;
        int ks = i + 1;
        int ke = name();
        ws();
        if (b[i++] != ':') throw GIVE_UP;
        ws();
        byte c = b[i];
        if (is(ks, ke, DEVICE_ID)) {
          if (deviceId != null) throw GIVE_UP;
          deviceId = plain();
          if (!TelemetryParser.validId(deviceId)) throw GIVE_UP;
        } else if (is(ks, ke, TIMESTAMP)) {
          if (timestamp != null) throw GIVE_UP;
          timestamp = c == '"' ? TelemetryParser.textTimestamp(plain()) : TelemetryParser.epochTimestamp(epochMs());
          if (timestamp == null) throw GIVE_UP;
        } else if (is(ks, ke, SENSOR_TYPE)) {
          if (sensorType != null) throw GIVE_UP;
          sensorType = plain();
          if (!TelemetryParser.validSensorType(sensorType)) throw GIVE_UP;
        } else if (is(ks, ke, PAYLOAD)) {
          if (payloadStart >= 0 || c != '{') throw GIVE_UP;
          payloadStart = i;
          skipValue(1);
          payloadEnd = i;
        } else if (is(ks, ke, LOCATION)) {
          if (location || c != '{') throw GIVE_UP;
          location = true;
          double[] l = location();
          lat = l[0];
          lon = l[1];
          alt = Double.isNaN(l[2]) ? null : l[2];
        } else if (is(ks, ke, CORRELATION_ID)) {
          if (sawCorrelationId) throw GIVE_UP;
          sawCorrelationId = true;
          if (c == 'n') {
            literal("null");
          } else {
            correlationId = plain();
            if (correlationId.length() > TelemetryParser.MAX_CORRELATION_ID) throw GIVE_UP;
          }
        } else {
          // id, receivedAt (Codex sets them) and unknown fields: skipped, but they must be valid JSON
          skipValue(1);
        }
        ws();
        byte sep = b[i++];
        if (sep == '}') break;
        if (sep != ',') throw GIVE_UP;
        ws();
      }
    } else {
      i++;
    }
    if (deviceId == null) deviceId = topicDeviceId;
    if (deviceId == null || timestamp == null || sensorType == null || payloadStart < 0) throw GIVE_UP;
    return TelemetryParser.normalised(at, deviceId, timestamp, received, sensorType, b, payloadStart, payloadEnd,
        location, lat, lon, alt, correlationId, location ? numbers : null);
  }

  /** At a '{': {lat, lon, alt} with NaN for no altitude; gives up unless lat and lon are valid. */
  private double[] location() {
    double[] out = {Double.NaN, Double.NaN, Double.NaN};
    java.util.Arrays.fill(numbers, -1);
    boolean sawLat = false;
    boolean sawLon = false;
    boolean sawAlt = false;
    i++;
    ws();
    if (b[i] != '}') {
      while (true) {
        if (b[i] != '"') throw GIVE_UP;
        int ks = i + 1;
        int ke = name();
        ws();
        if (b[i++] != ':') throw GIVE_UP;
        ws();
        if (is(ks, ke, LAT)) {
          if (sawLat) throw GIVE_UP;
          sawLat = true;
          out[0] = coordinate(0);
          if (!(Math.abs(out[0]) <= 90)) throw GIVE_UP;
        } else if (is(ks, ke, LON)) {
          if (sawLon) throw GIVE_UP;
          sawLon = true;
          out[1] = coordinate(2);
          if (!(Math.abs(out[1]) <= 180)) throw GIVE_UP;
        } else if (is(ks, ke, ALT)) {
          if (sawAlt) throw GIVE_UP;
          sawAlt = true;
          if (b[i] == 'n') {
            literal("null");
          } else {
            out[2] = coordinate(4);
            if (!Double.isFinite(out[2])) throw GIVE_UP;
          }
        } else {
          skipValue(1);
        }
        ws();
        byte sep = b[i++];
        if (sep == '}') break;
        if (sep != ',') throw GIVE_UP;
        ws();
      }
    } else {
      i++;
    }
    if (!sawLat || !sawLon) throw GIVE_UP;
    return out;
  }

  /**
   * A number as Jackson's {@code getDoubleValue} gives it: an integer of up to 18 digits through a
   * long (so "-0" is 0.0), anything with a fraction or exponent through {@link Double#parseDouble};
   * notes its place in {@link #numbers} at {@code slot} when its text can be copied as it is.
   */
  private double coordinate(int slot) {
    int s = i;
    boolean integer = number();
    if (integer) return (double) integer(s, i);
    if (TelemetryParser.writtenAsIs(b, s, i)) {
      numbers[slot] = s;
      numbers[slot + 1] = i;
    }
    return fractional(s, i);
  }

  /** A non-negative integer of up to 18 digits (epoch milliseconds). */
  private long epochMs() {
    if (b[i] == '-') throw GIVE_UP;
    int s = i;
    if (!number()) throw GIVE_UP;
    return integer(s, i);
  }

  /** The value of a valid JSON integer in [s, e); gives up above 18 digits, where Jackson may need a BigInteger. */
  private long integer(int s, int e) {
    boolean negative = b[s] == '-';
    if (negative) s++;
    if (e - s > 18) throw GIVE_UP;
    long v = 0;
    for (int k = s; k < e; k++) v = v * 10 + (b[k] - '0');
    return negative ? -v : v;
  }

  /** At a '"': a string without escapes (only ASCII reaches here); gives up on anything else. */
  private String plain() {
    if (b[i] != '"') throw GIVE_UP;
    int s = i + 1;
    int e = string();
    if (escaped) throw GIVE_UP;
    return new String(b, s, e - s, StandardCharsets.ISO_8859_1);
  }

  /** At a '"': a member name without escapes; returns the index of its closing quote. */
  private int name() {
    int s = i;
    int e = string();
    if (escaped || e - s > MAX_NAME) throw GIVE_UP;
    return e;
  }
}
