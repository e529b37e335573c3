package io.codex.ingest;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import com.fasterxml.jackson.core.io.JsonStringEncoder;
import io.codex.api.Problem;
import io.codex.bridge.ProducedTelemetry;
import io.netty.util.concurrent.FastThreadLocal;
import java.io.IOException;
import java.time.Instant;
import java.time.OffsetDateTime;
import java.time.format.DateTimeFormatter;
import java.time.format.DateTimeParseException;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ThreadLocalRandom;

/**
 * Reads telemetry (one record, a JSON array, or NDJSON) with a streaming parser, validates every
 * record, and writes each one in its normalised form (DESIGN.md "Telemetry record"): Codex's
 * {@code id} and {@code receivedAt} added, {@code timestamp} as RFC 3339 UTC with milliseconds,
 * the payload copied byte for byte. Either every record is valid, or a {@link Problem} names each
 * bad index and field and nothing is returned.
 */
public final class TelemetryParser {
  private static final JsonFactory JSON = JsonFactory.builder().build();
  private static final long MAX_EPOCH_MS = 253_402_300_799_999L; // 9999-12-31T23:59:59.999Z
  static final int MAX_SENSOR_TYPE = 64;
  static final int MAX_CORRELATION_ID = 128;

  private TelemetryParser() {}

  /**
   * One normalised record: the Kafka key, headers and value, and where its fields sit in the value
   * ({@code feed}), so that this node's live feed can read it back without decoding it.
   *
   * @param at where the record is in the request, for error messages
   */
  public record Parsed(String id, String deviceId, String sensorType, String timestamp, byte[] value, String at,
      ProducedTelemetry.Entry feed) {}

  /**
   * @param ndjson        the body is newline-delimited records (errors then name each index)
   * @param topicDeviceId for MQTT: the device of the topic, used when a record names none;
   *     null for HTTP, where {@code deviceId} is required
   */
  public static List<Parsed> parse(byte[] body, boolean ndjson, String topicDeviceId, int maxRecords, Instant receivedAt) {
    List<Parsed> fast = parseFast(body, ndjson, topicDeviceId, maxRecords, receivedAt);
    return fast != null ? fast : parseJackson(body, ndjson, topicDeviceId, maxRecords, receivedAt);
  }

  /**
   * The one-pass path ({@link TelemetryScan}) for a fully valid record or array of records; null
   * when it does not handle the body, which then goes to {@link #parseJackson}. Never throws.
   */
  static List<Parsed> parseFast(byte[] body, boolean ndjson, String topicDeviceId, int maxRecords, Instant receivedAt) {
    if (ndjson) return null;
    return TelemetryScan.parse(body, topicDeviceId, maxRecords, rfc3339Millis(receivedAt.toEpochMilli()));
  }

  /** The general path: a streaming JSON parser; it decides every error. */
  static List<Parsed> parseJackson(byte[] body, boolean ndjson, String topicDeviceId, int maxRecords, Instant receivedAt) {
    String received = rfc3339Millis(receivedAt.toEpochMilli());
    List<Parsed> out = new ArrayList<>();
    Problem invalid = Problem.badRequest("Invalid telemetry: nothing was written.");
    try (JsonParser p = JSON.createParser(body)) {
      JsonToken t = p.nextToken();
      if (t == null) throw Problem.badRequest("The body is empty.").withError("/", "one record, an array of records or NDJSON is required");
      boolean array = t == JsonToken.START_ARRAY;
      if (array) t = p.nextToken();
      int index = 0;
      while (t != null && !(array && t == JsonToken.END_ARRAY)) {
        if (index >= maxRecords) {
          throw new Problem(413, "Content Too Large", "At most " + maxRecords + " records per request.")
              .withError("/", "more than " + maxRecords + " records");
        }
        if (!array && !ndjson && index == 1) {
          invalid.withError("/", "one record per body; send an array or application/x-ndjson for several");
          break;
        }
        String at = array || ndjson ? "/" + index : "";
        if (t != JsonToken.START_OBJECT) {
          invalid.withError(at.isEmpty() ? "/" : at, "must be a JSON object (a telemetry record)");
          p.skipChildren();
        } else {
          Parsed r = record(p, body, at, topicDeviceId, received, invalid);
          if (r != null) out.add(r);
        }
        index++;
        t = p.nextToken();
      }
      if (array && p.nextToken() != null) invalid.withError("/", "nothing may follow the array");
      if (index == 0) invalid.withError("/", "at least one record is required");
    } catch (IOException e) {
      throw Problem.badRequest("The body is not valid JSON: " + firstLine(e.getMessage()))
          .withError("/", "not valid JSON (or NDJSON)");
    }
    if (invalid.hasErrors()) throw invalid;
    return out;
  }

  private static Parsed record(JsonParser p, byte[] body, String at, String topicDeviceId, String received, Problem invalid)
      throws IOException {
    String deviceId = null;
    String sensorType = null;
    String timestamp = null;
    String correlationId = null;
    int payloadStart = -1;
    int payloadEnd = -1;
    Double lat = null;
    Double lon = null;
    Double alt = null;
    boolean location = false;
    boolean ok = true;
    boolean sawTimestamp = false;
    boolean sawDeviceId = false;
    boolean sawSensorType = false;
    while (p.nextToken() == JsonToken.FIELD_NAME) {
      String field = p.currentName();
      JsonToken v = p.nextToken();
      switch (field) {
        case "deviceId" -> {
          sawDeviceId = true;
          if (v == JsonToken.VALUE_STRING && validId(p.getText())) {
            deviceId = p.getText();
          } else {
            ok = err(invalid, at, "deviceId", "must be 1-128 characters of A-Z a-z 0-9 . _ : -");
          }
        }
        case "timestamp" -> {
          sawTimestamp = true;
          timestamp = timestamp(p, v);
          if (timestamp == null) {
            ok = err(invalid, at, "timestamp", "must be an RFC 3339 date-time with offset or epoch milliseconds");
          }
        }
        case "sensorType" -> {
          sawSensorType = true;
          if (v == JsonToken.VALUE_STRING && validSensorType(p.getText())) {
            sensorType = p.getText();
          } else {
            ok = err(invalid, at, "sensorType", "must be 1-" + MAX_SENSOR_TYPE + " characters of A-Z a-z 0-9 . _ : / -");
          }
        }
        case "payload" -> {
          payloadStart = -2;
          if (v == JsonToken.START_OBJECT) {
            payloadStart = (int) p.currentTokenLocation().getByteOffset();
            p.skipChildren();
            payloadEnd = (int) p.currentLocation().getByteOffset();
          } else {
            p.skipChildren();
            ok = err(invalid, at, "payload", "must be a JSON object");
          }
        }
        case "location" -> {
          location = true;
          if (v != JsonToken.START_OBJECT) {
            p.skipChildren();
            ok = err(invalid, at, "location", "must be an object {lat, lon, alt?}");
          } else {
            boolean sawLat = false;
            boolean sawLon = false;
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String lf = p.currentName();
              JsonToken lv = p.nextToken();
              boolean number = lv == JsonToken.VALUE_NUMBER_INT || lv == JsonToken.VALUE_NUMBER_FLOAT;
              switch (lf) {
                case "lat" -> {
                  sawLat = true;
                  if (number && Math.abs(p.getDoubleValue()) <= 90) {
                    lat = p.getDoubleValue();
                  } else {
                    ok = err(invalid, at, "location/lat", "must be a number in [-90, 90]");
                  }
                }
                case "lon" -> {
                  sawLon = true;
                  if (number && Math.abs(p.getDoubleValue()) <= 180) {
                    lon = p.getDoubleValue();
                  } else {
                    ok = err(invalid, at, "location/lon", "must be a number in [-180, 180]");
                  }
                }
                case "alt" -> {
                  if (number && Double.isFinite(p.getDoubleValue())) {
                    alt = p.getDoubleValue();
                  } else if (lv != JsonToken.VALUE_NULL) {
                    ok = err(invalid, at, "location/alt", "must be a number (metres)");
                  }
                }
                default -> p.skipChildren();
              }
            }
            if (!sawLat) ok = err(invalid, at, "location/lat", "is required with a location");
            if (!sawLon) ok = err(invalid, at, "location/lon", "is required with a location");
          }
        }
        case "correlationId" -> {
          if (v == JsonToken.VALUE_STRING && p.getTextLength() <= MAX_CORRELATION_ID) {
            correlationId = p.getText();
          } else if (v != JsonToken.VALUE_NULL) {
            ok = err(invalid, at, "correlationId", "must be a string of at most " + MAX_CORRELATION_ID + " characters");
          }
        }
        // Codex sets id and receivedAt itself; other fields are ignored for forward compatibility
        default -> p.skipChildren();
      }
    }
    if (!sawDeviceId && topicDeviceId != null) deviceId = topicDeviceId;
    if (deviceId == null && !sawDeviceId) ok = err(invalid, at, "deviceId", "is required");
    if (!sawTimestamp) ok = err(invalid, at, "timestamp", "is required");
    if (!sawSensorType) ok = err(invalid, at, "sensorType", "is required");
    if (payloadStart == -1) ok = err(invalid, at, "payload", "is required (a JSON object)");
    if (!ok || invalid.hasErrors()) return null;

    return normalised(at, deviceId, timestamp, received, sensorType, body, payloadStart, payloadEnd, location,
        location ? lat : 0, location ? lon : 0, alt, correlationId, null);
  }

  /**
   * Writes one normalised record, with a new id. Both paths write through here, so a record reads
   * the same whichever path parsed it; {@code alt} null means no altitude. {@code numbers}: where
   * lat, lon and alt sit in {@code body} when their text is what would be written for them ({@link
   * #writtenAsIs}), {start, end} each, -1 when not; or null.
   */
  static Parsed normalised(String at, String deviceId, String timestamp, String received, String sensorType, byte[] body,
      int payloadStart, int payloadEnd, boolean hasLocation, double lat, double lon, Double alt, String correlationId,
      int[] numbers) {
    java.util.UUID uuid = uuidV7();
    String id = uuid.toString();
    Out o = Out.scratch();
    int idAt = o.raw("{\"id\":\"").len;
    o.raw(id).raw("\",\"deviceId\":\"").raw(deviceId).raw("\",\"timestamp\":\"").raw(timestamp)
        .raw("\",\"receivedAt\":\"").raw(received).raw("\",\"sensorType\":\"").raw(sensorType).raw("\",\"payload\":");
    int payloadFrom = o.len;
    o.write(body, payloadStart, payloadEnd - payloadStart);
    int payloadTo = o.len;
    if (hasLocation) {
      o.raw(",\"location\":{\"lat\":").number(lat, body, numbers, 0).raw(",\"lon\":").number(lon, body, numbers, 2);
      if (alt != null) o.raw(",\"alt\":").number(alt, body, numbers, 4);
      o.raw("}");
    }
    if (correlationId != null) {
      o.raw(",\"correlationId\":\"");
      byte[] q = JsonStringEncoder.getInstance().quoteAsUTF8(correlationId);
      o.write(q, 0, q.length);
      o.raw("\"");
    }
    o.raw("}");
    byte[] value = o.toByteArray();
    ProducedTelemetry.Entry feed = new ProducedTelemetry.Entry(uuid, id, deviceId, timestamp, received, sensorType, value,
        idAt, payloadFrom, payloadTo, hasLocation ? lat : Double.NaN, hasLocation ? lon : Double.NaN,
        hasLocation && alt != null ? alt : Double.NaN, correlationId);
    return new Parsed(id, deviceId, sensorType, timestamp, value, at, feed);
  }

  private static boolean err(Problem invalid, String at, String field, String message) {
    invalid.withError(at + "/" + field, message);
    return false;
  }

  private static String timestamp(JsonParser p, JsonToken v) throws IOException {
    if (v == JsonToken.VALUE_NUMBER_INT) return epochTimestamp(p.getLongValue());
    if (v != JsonToken.VALUE_STRING) {
      p.skipChildren();
      return null;
    }
    return textTimestamp(p.getText());
  }

  /** Epoch milliseconds as RFC 3339, or null when outside [1970, 9999]. */
  static String epochTimestamp(long ms) {
    return ms < 0 || ms > MAX_EPOCH_MS ? null : rfc3339Millis(ms);
  }

  /** An RFC 3339 date-time with offset, in UTC with milliseconds; null when invalid or outside [1970, 9999]. */
  static String textTimestamp(String text) {
    try {
      return epochTimestamp(OffsetDateTime.parse(text, DateTimeFormatter.ISO_OFFSET_DATE_TIME).toInstant().toEpochMilli());
    } catch (DateTimeParseException | ArithmeticException e) {
      return null;
    }
  }

  /**
   * {@code yyyy-MM-ddTHH:mm:ss.SSSZ} for 0 ≤ ms ≤ year 9999, written directly: this runs for every
   * record, and java.time's formatter costs several times more. The text up to the second is kept
   * from the last call: records that arrive together mostly share their second (and every record
   * of a request its {@code receivedAt}), so most calls only write the milliseconds.
   */
  static String rfc3339Millis(long epochMs) {
    long secs = epochMs / 1000;
    SecondText s = lastSecond;
    if (s.second != secs) {
      s = new SecondText(secs, secondText(secs));
      lastSecond = s;   // a record of final fields: any thread may see it, whole, or the previous one
    }
    byte[] b = new byte[24];
    System.arraycopy(s.text, 0, b, 0, 20);
    put(b, 20, (int) (epochMs % 1000), 3);
    b[23] = 'Z';
    return new String(b, java.nio.charset.StandardCharsets.ISO_8859_1); // ASCII digits; Latin-1 is a plain copy
  }

  private record SecondText(long second, byte[] text) {}

  private static volatile SecondText lastSecond = new SecondText(-1, null);

  /** {@code yyyy-MM-ddTHH:mm:ss.} of an epoch second. */
  private static byte[] secondText(long secs) {
    java.time.LocalDate date = java.time.LocalDate.ofEpochDay(secs / 86_400);
    int secOfDay = (int) (secs % 86_400);
    byte[] b = new byte[20];
    put(b, 0, date.getYear(), 4);
    b[4] = '-';
    put(b, 5, date.getMonthValue(), 2);
    b[7] = '-';
    put(b, 8, date.getDayOfMonth(), 2);
    b[10] = 'T';
    put(b, 11, secOfDay / 3600, 2);
    b[13] = ':';
    put(b, 14, secOfDay / 60 % 60, 2);
    b[16] = ':';
    put(b, 17, secOfDay % 60, 2);
    b[19] = '.';
    return b;
  }

  private static void put(byte[] b, int at, int value, int digits) {
    for (int i = at + digits - 1; i >= at; i--) {
      b[i] = (byte) ('0' + value % 10);
      value /= 10;
    }
  }

  public static boolean validId(String s) {
    int n = s.length();
    if (n < 1 || n > 128) return false;
    for (int i = 0; i < n; i++) {
      char c = s.charAt(i);
      if (!(c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z' || c >= '0' && c <= '9' || c == '.' || c == '_' || c == ':' || c == '-')) {
        return false;
      }
    }
    return true;
  }

  static boolean validSensorType(String s) {
    if (s.length() > MAX_SENSOR_TYPE) return false;
    return s.indexOf('/') < 0 ? validId(s) : validId(s.replace('/', '.'));
  }

  /** A time-ordered (version 7) UUID: unique ids that index well in the warehouse. */
  static java.util.UUID uuidV7() {
    ThreadLocalRandom r = ThreadLocalRandom.current();
    long ms = System.currentTimeMillis();
    long hi = (ms << 16) | 0x7000L | (r.nextLong() & 0x0FFFL);
    long lo = (r.nextLong() & 0x3FFFFFFFFFFFFFFFL) | 0x8000000000000000L;
    return new java.util.UUID(hi, lo);
  }

  private static String firstLine(String s) {
    if (s == null) return "";
    int nl = s.indexOf('\n');
    return nl < 0 ? s : s.substring(0, nl);
  }

  private static final long[] TEN = {1L, 10L, 100L, 1_000L, 10_000L, 100_000L, 1_000_000L, 10_000_000L, 100_000_000L,
      1_000_000_000L, 10_000_000_000L, 100_000_000_000L, 1_000_000_000_000L, 10_000_000_000_000L, 100_000_000_000_000L,
      1_000_000_000_000_000L, 10_000_000_000_000_000L, 100_000_000_000_000_000L, 1_000_000_000_000_000_000L};

  /**
   * The fewest fraction digits k (at least one printed, as {@link Double#toString} does) such that
   * m / 10^k, m the nearest integer to |v|·10^k, is exactly |v| as a double: m below 2^53 and 10^k
   * are exact doubles, so that one division is correctly rounded and the text reads back as v.
   * Writes it at {@code out[n]} and returns where it ends; -1 outside [1e-3, 1e7) (where
   * Double.toString writes an exponent) or when m would reach 2^53 (16 and more significant
   * digits). On 227,000 random coordinates and altitudes the text is Double.toString's, at a
   * fraction of JDK 17's cost; both ingest paths write numbers through here.
   */
  static int decimal(double v, byte[] out, int n) {
    double a = Math.abs(v);
    if (!(a >= 1e-3 && a < 1e7)) return -1;
    for (int k = 0; k < TEN.length; k++) {
      double scaled = a * TEN[k];
      if (scaled >= 0x1p53) return -1;
      long m = Math.round(scaled);
      if (m / (double) TEN[k] != a) continue;
      long whole = m / TEN[k];
      long fraction = m - whole * TEN[k];
      if (v < 0) out[n++] = '-';
      int digits = 1;
      while (digits < 7 && whole >= TEN[digits]) digits++;
      // filled from the end: dividing by the constant 10 compiles to a multiplication, where
      // dividing by TEN[d] would cost a hardware division per digit
      int end = n + digits + 1 + Math.max(k, 1);
      int at = end;
      for (int d = Math.max(k, 1); d > 0; d--, fraction /= 10) out[--at] = (byte) ('0' + fraction % 10);
      out[--at] = '.';
      for (int d = digits; d > 0; d--, whole /= 10) out[--at] = (byte) ('0' + whole % 10);
      return end;
    }
    return -1;
  }

  /**
   * Whether the JSON number in {@code b[s, e)} is, character for character, what {@link
   * #decimal(double, byte[], int)} writes for its value, so that it can be copied instead of
   * formatted again: an optional '-', an integer part of at most 7 digits without leading zeros, a
   * fraction without trailing zeros (or exactly ".0"), no exponent, at least 1e-3 in magnitude (or
   * zero), and at most 15 significant digits. Any decimal of 15 digits or fewer is the shortest text
   * that reads back as its double (doubles tell all 15-digit decimals apart), and the shortest is
   * what decimal writes.
   */
  static boolean writtenAsIs(byte[] b, int s, int e) {
    int k = s;
    if (k < e && b[k] == '-') k++;
    int intStart = k;
    while (k < e && b[k] >= '0' && b[k] <= '9') k++;
    int intDigits = k - intStart;
    if (intDigits == 0 || intDigits > 7 || (intDigits > 1 && b[intStart] == '0')) return false;
    if (k >= e || b[k] != '.') return false;
    int fracStart = ++k;
    while (k < e && b[k] >= '0' && b[k] <= '9') k++;
    int fracDigits = k - fracStart;
    if (k != e || fracDigits == 0) return false;
    boolean zeroWhole = intDigits == 1 && b[intStart] == '0';
    if (b[e - 1] == '0') {
      // only "x.0": Double.toString writes one fraction digit at least, and no trailing zero after it
      return fracDigits == 1;
    }
    int significant = intDigits + fracDigits;
    if (zeroWhole) {
      int leading = 0;
      while (b[fracStart + leading] == '0') leading++;
      if (leading >= 3) return false; // below 1e-3 Double.toString writes an exponent
      significant = fracDigits - leading;
    }
    return significant <= 15;
  }

  /** {@link #decimal(double, byte[], int)} as text, or null. */
  static String decimal(double v) {
    byte[] out = new byte[MAX_DECIMAL];
    int n = decimal(v, out, 0);
    return n < 0 ? null : new String(out, 0, n, java.nio.charset.StandardCharsets.ISO_8859_1);
  }

  /** The longest text {@link #decimal(double, byte[], int)} writes: sign, 7 digits, point, 18 digits. */
  private static final int MAX_DECIMAL = 27;

  /**
   * A growable byte buffer without synchronisation (ByteArrayOutputStream locks on every write). Each
   * thread writes its records in one of its own ({@link #scratch}), so that a record costs one
   * allocation, its value, and one copy.
   */
  private static final class Out {
    /** Enough for most records; a longer one grows the buffer, which is dropped after it beyond {@link #KEPT}. */
    private static final int INITIAL = 1024;
    private static final int KEPT = 16 * 1024;
    /**
     * Netty's thread-local: on the event loops (Netty's own threads) an indexed slot, where the
     * JDK's ThreadLocal probes a hash table that Netty's and Vert.x's thread-locals crowd.
     */
    private static final FastThreadLocal<Out> SCRATCH = new FastThreadLocal<>() {
      @Override
      protected Out initialValue() {
        return new Out(INITIAL);
      }
    };

    private byte[] buf;
    private int len;

    private Out(int capacity) {
      buf = new byte[capacity];
    }

    /** This thread's buffer, empty. */
    static Out scratch() {
      Out o = SCRATCH.get();
      o.len = 0;
      return o;
    }

    /**
     * Appends the low 8 bits of each char: the text is ASCII. {@code String.getBytes(int, int,
     * byte[], int)} does exactly that, as one array copy for a Latin-1 string, with no allocation
     * (it is deprecated only because it is wrong for other text).
     */
    @SuppressWarnings("deprecation")
    Out raw(String ascii) {
      int n = ascii.length();
      ensure(n);
      ascii.getBytes(0, n, buf, len);
      len += n;
      return this;
    }

    /** Appends a finite double as {@link Double#toString} writes it, by {@link #decimal} where it can. */
    Out number(double v) {
      ensure(MAX_DECIMAL);
      int end = decimal(v, buf, len);
      if (end < 0) return raw(Double.toString(v));
      len = end;
      return this;
    }

    /** Appends {@code v}, copying its text from {@code src} where {@code spans[slot]} says it is written as is. */
    Out number(double v, byte[] src, int[] spans, int slot) {
      if (spans == null || spans[slot] < 0) return number(v);
      write(src, spans[slot], spans[slot + 1] - spans[slot]);
      return this;
    }

    void write(byte[] b, int off, int n) {
      ensure(n);
      System.arraycopy(b, off, buf, len, n);
      len += n;
    }

    private void ensure(int n) {
      if (len + n > buf.length) buf = java.util.Arrays.copyOf(buf, Math.max(buf.length * 2, len + n));
    }

    /** What was written; a buffer grown beyond {@link #KEPT} by a large record is not kept. */
    byte[] toByteArray() {
      byte[] b = java.util.Arrays.copyOf(buf, len);
      if (buf.length > KEPT) buf = new byte[INITIAL];
      return b;
    }
  }
}
