package io.codex.bridge;

import io.codex.codecs.JsonText;
import io.codex.codecs.TelemetryRecord;
import java.nio.charset.StandardCharsets;

/**
 * Reads a normalised telemetry record (the JSON value ingest wrote to {@code codex.telemetry})
 * into a {@link TelemetryRecord} with one pass over the bytes: field names are compared as bytes,
 * the payload is sliced by bracket depth (string-aware) instead of tokenised, and only the
 * location's numbers are parsed (a plain decimal, as ingest writes them, by one exact division).
 * Values with escape sequences, and anything unexpected, go to a full JSON parser instead, so the
 * result is always the same as a JSON parser's; an unreadable value gives null. The live feed
 * reads every record on every node, so this runs once per record per node.
 */
final class TelemetryRecordReader {
  private static final com.fasterxml.jackson.core.JsonFactory JSON = new com.fasterxml.jackson.core.JsonFactory();

  private static final byte[] ID = JsonByteCursor.ascii("id");
  private static final byte[] DEVICE_ID = JsonByteCursor.ascii("deviceId");
  private static final byte[] TIMESTAMP = JsonByteCursor.ascii("timestamp");
  private static final byte[] RECEIVED_AT = JsonByteCursor.ascii("receivedAt");
  private static final byte[] SENSOR_TYPE = JsonByteCursor.ascii("sensorType");
  private static final byte[] PAYLOAD = JsonByteCursor.ascii("payload");
  private static final JsonText EMPTY_OBJECT = JsonText.of("{}");
  private static final byte[] LOCATION = JsonByteCursor.ascii("location");
  private static final byte[] CORRELATION_ID = JsonByteCursor.ascii("correlationId");
  private static final byte[] LAT = JsonByteCursor.ascii("lat");
  private static final byte[] LON = JsonByteCursor.ascii("lon");
  private static final byte[] ALT = JsonByteCursor.ascii("alt");

  private TelemetryRecordReader() {
  }

  /** The record, or null when the value is not a readable JSON object. Never throws. */
  static TelemetryRecord read(byte[] value, int partition, long offset) {
    if (value == null) return null;
    try {
      TelemetryRecord r = new Scan(value).record(partition, offset);
      return r != null ? r : parse(value, partition, offset);
    } catch (RuntimeException e) {
      return parse(value, partition, offset);
    }
  }

  /** The general path: a streaming JSON parser. */
  static TelemetryRecord parse(byte[] value, int partition, long offset) {
    try {
      return parseStrict(value, partition, offset);
    } catch (java.io.IOException | RuntimeException e) {
      return null;
    }
  }

  static TelemetryRecord parseStrict(byte[] value, int partition, long offset) throws java.io.IOException {
    String id = null;
    String deviceId = null;
    String timestamp = null;
    String receivedAt = null;
    String sensorType = null;
    String payload = "{}";
    String correlationId = null;
    Double lat = null;
    Double lon = null;
    Double alt = null;
    try (com.fasterxml.jackson.core.JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) throw new java.io.IOException("not an object");
      while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
        String f = p.currentName();
        p.nextToken();
        switch (f) {
          case "id" -> id = p.getValueAsString();
          case "deviceId" -> deviceId = p.getValueAsString();
          case "timestamp" -> timestamp = p.getValueAsString();
          case "receivedAt" -> receivedAt = p.getValueAsString();
          case "sensorType" -> sensorType = p.getValueAsString();
          case "correlationId" -> correlationId = p.getValueAsString();
          case "payload" -> {
            int start = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            int end = (int) p.currentLocation().getByteOffset();
            payload = new String(value, start, end - start, StandardCharsets.UTF_8);
          }
          case "location" -> {
            if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.START_OBJECT) {
              p.skipChildren();
              break;
            }
            while (p.nextToken() == com.fasterxml.jackson.core.JsonToken.FIELD_NAME) {
              String lf = p.currentName();
              p.nextToken();
              switch (lf) {
                case "lat" -> lat = p.getDoubleValue();
                case "lon" -> lon = p.getDoubleValue();
                case "alt" -> alt = p.getDoubleValue();
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
      if (p.currentToken() != com.fasterxml.jackson.core.JsonToken.END_OBJECT) throw new java.io.IOException("truncated");
    }
    return new TelemetryRecord(id, deviceId, timestamp, receivedAt, sensorType, payload, lat, lon, alt, correlationId,
        partition, offset);
  }

  /** One pass over one value; returns null to hand the value to the general path. */
  private static final class Scan extends JsonByteCursor {
    Scan(byte[] b) {
      super(b, Limits.NONE);
    }

    TelemetryRecord record(int partition, long offset) {
      String id = null;
      String deviceId = null;
      String timestamp = null;
      String receivedAt = null;
      String sensorType = null;
      JsonText payload = EMPTY_OBJECT;
      String correlationId = null;
      double[] loc = null;
      ws();
      if (b[i++] != '{') return null;
      ws();
      if (b[i] == '}') {
        i++;
      } else {
        while (true) {
          if (b[i] != '"') return null;
          int ks = i + 1;
          int ke = string();
          if (escaped) return null;
          ws();
          if (b[i++] != ':') return null;
          ws();
          int vs = i;
          byte c = b[i];
          if (is(ks, ke, PAYLOAD)) {
            skipValue(1);
            payload = c == 'n' ? null : JsonText.utf8(b, vs, i);   // decoded only if a consumer asks
          } else if (is(ks, ke, LOCATION)) {
            if (c == '{') {
              loc = location();
              if (loc == null) return null;
            } else {
              skipValue(1);
            }
          } else if (is(ks, ke, ID)) {
            id = text(c);
          } else if (is(ks, ke, DEVICE_ID)) {
            deviceId = text(c);
          } else if (is(ks, ke, TIMESTAMP)) {
            timestamp = text(c);
          } else if (is(ks, ke, RECEIVED_AT)) {
            receivedAt = text(c);
          } else if (is(ks, ke, SENSOR_TYPE)) {
            sensorType = text(c);
          } else if (is(ks, ke, CORRELATION_ID)) {
            correlationId = text(c);
          } else {
            skipValue(1);
          }
          if (escaped) return null;
          ws();
          byte sep = b[i++];
          if (sep == '}') break;
          if (sep != ',') return null;
          ws();
        }
      }
      ws();
      if (i != b.length) return null;
      // a payload that is not an object, or a number field where a string belongs: the general path decides
      if (payload == null || payload.firstChar() != '{') return null;
      return new TelemetryRecord(id, deviceId, timestamp, receivedAt, sensorType, payload,
          loc == null || Double.isNaN(loc[0]) ? null : loc[0], loc == null || Double.isNaN(loc[1]) ? null : loc[1],
          loc == null || Double.isNaN(loc[2]) ? null : loc[2], correlationId, partition, offset);
    }

    /** A string value (null for JSON null); anything else is left to the general path. */
    private String text(byte c) {
      if (c == 'n') {
        literal("null");
        return null;
      }
      if (c != '"') {
        escaped = true;   // a number or object where a string belongs: Jackson's getValueAsString rules apply
        return null;
      }
      int s = i + 1;
      int e = string();
      return escaped ? null : new String(b, s, e - s, StandardCharsets.UTF_8);
    }

    /** {lat, lon, alt}, NaN where absent; null when not numbers. */
    private double[] location() {
      double[] out = {Double.NaN, Double.NaN, Double.NaN};
      i++;
      ws();
      if (b[i] == '}') {
        i++;
        return out;
      }
      while (true) {
        if (b[i] != '"') return null;
        int ks = i + 1;
        int ke = string();
        if (escaped) return null;
        ws();
        if (b[i++] != ':') return null;
        ws();
        int slot = is(ks, ke, LAT) ? 0 : is(ks, ke, LON) ? 1 : is(ks, ke, ALT) ? 2 : -1;
        int vs = i;
        skipValue(1);
        if (slot >= 0) {
          byte c = b[vs];
          if (c != '-' && (c < '0' || c > '9')) return null;
          out[slot] = fractional(vs, i);
        }
        ws();
        byte sep = b[i++];
        if (sep == '}') return out;
        if (sep != ',') return null;
        ws();
      }
    }
  }
}
