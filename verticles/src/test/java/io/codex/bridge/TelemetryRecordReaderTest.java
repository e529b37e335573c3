package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.TelemetryRecord;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.Random;
import org.junit.jupiter.api.Test;

class TelemetryRecordReaderTest {

  private static TelemetryRecord read(String json) {
    return TelemetryRecordReader.read(json.getBytes(StandardCharsets.UTF_8), 3, 42);
  }

  private static TelemetryRecord jackson(String json) {
    return TelemetryRecordReader.parse(json.getBytes(StandardCharsets.UTF_8), 3, 42);
  }

  @Test
  void readsWhatIngestWrites() {
    String v = "{\"id\":\"0190a1b2-0000-7000-8000-000000000001\",\"deviceId\":\"truck-1\",\"timestamp\":\"2025-11-24T16:00:00.000Z\","
        + "\"receivedAt\":\"2025-11-24T16:00:00.123Z\",\"sensorType\":\"gps\",\"payload\":{\"speed\":12.5,\"tags\":[\"a\",\"b}\"],"
        + "\"nested\":{\"x\":\"{[\\\"\"}},\"location\":{\"lat\":48.8566,\"lon\":2.3522,\"alt\":35.0},\"correlationId\":\"c-9\"}";
    TelemetryRecord r = read(v);
    assertThat(r.id()).isEqualTo("0190a1b2-0000-7000-8000-000000000001");
    assertThat(r.deviceId()).isEqualTo("truck-1");
    assertThat(r.timestamp()).isEqualTo("2025-11-24T16:00:00.000Z");
    assertThat(r.receivedAt()).isEqualTo("2025-11-24T16:00:00.123Z");
    assertThat(r.sensorType()).isEqualTo("gps");
    assertThat(r.payloadJson()).isEqualTo("{\"speed\":12.5,\"tags\":[\"a\",\"b}\"],\"nested\":{\"x\":\"{[\\\"\"}}");
    assertThat(r.lat()).isEqualTo(48.8566);
    assertThat(r.lon()).isEqualTo(2.3522);
    assertThat(r.alt()).isEqualTo(35.0);
    assertThat(r.correlationId()).isEqualTo("c-9");
    assertThat(r.partition()).isEqualTo(3);
    assertThat(r.offset()).isEqualTo(42);
    assertThat(r).isEqualTo(jackson(v));
  }

  @Test
  void agreesWithAJsonParserOnOddButValidValues() {
    List<String> values = List.of(
        "{}",
        " { \"deviceId\" : \"d\" , \"payload\" : { } } ",
        "{\"deviceId\":\"d\",\"payload\":{\"a\":1}}",
        "{\"deviceId\":\"d\\u00e9\",\"payload\":{}}",
        "{\"deviceId\":\"Zürich-1\",\"sensorType\":\"t/ü\",\"payload\":{\"s\":\"ünïcödé ✓\"}}",
        "{\"deviceId\":null,\"correlationId\":null,\"payload\":{}}",
        "{\"deviceId\":17,\"payload\":{}}",
        "{\"payload\":null}",
        "{\"payload\":[1,2]}",
        "{\"location\":null,\"payload\":{}}",
        "{\"location\":{},\"payload\":{}}",
        "{\"location\":{\"lon\":-122.4,\"lat\":-37.75e0,\"src\":\"gps\"},\"payload\":{}}",
        "{\"location\":{\"lat\":1,\"lon\":2,\"acc\":{\"h\":[1,{\"v\":2}]}},\"payload\":{}}",
        "{\"extra\":[{\"a\":\"]\"},true,false,null,-1.5e-3],\"payload\":{\"k\":\"v\"},\"deviceId\":\"x\"}",
        "{\"de\\\"viceId\":\"x\",\"payload\":{}}");
    for (String v : values) {
      assertThat(read(v)).as(v).isEqualTo(jackson(v));
    }
  }

  @Test
  void readsRandomCoordinatesToTheSameDoublesAsAJsonParser() {
    Random random = new Random(11);
    for (int k = 0; k < 30_000; k++) {
      String lat = coordinate(random, 90, k);
      String lon = coordinate(random, 180, k + 1);
      String v = "{\"deviceId\":\"d\",\"payload\":{},\"location\":{\"lat\":" + lat + ",\"lon\":" + lon + "}}";
      TelemetryRecord r = read(v);
      assertThat(r).as(v).isEqualTo(jackson(v));
      assertThat(r.lat()).as(v).isEqualTo(Double.parseDouble(lat));
      assertThat(r.lon()).as(v).isEqualTo(Double.parseDouble(lon));
    }
  }

  /** As ingest writes it (Double.toString), with 1 to 17 significant digits, or tiny (an exponent). */
  private static String coordinate(Random random, double range, int kind) {
    double d = (random.nextDouble() * 2 - 1) * range;
    return switch (kind % 4) {
      case 0 -> Double.toString(d);
      case 1 -> new java.math.BigDecimal(d).round(new java.math.MathContext(1 + random.nextInt(17))).toPlainString();
      case 2 -> new java.math.BigDecimal(d).setScale(random.nextInt(16), java.math.RoundingMode.HALF_EVEN).toPlainString();
      default -> Double.toString(d * 1e-7);
    };
  }

  @Test
  void unreadableValuesGiveNullAndNeverThrow() {
    for (String v : List.of("", " ", "[]", "null", "\"text\"", "{", "{\"deviceId\":", "{\"deviceId\":\"x\"",
        "{\"payload\":{\"a\":1}", "{\"location\":{\"lat\":\"north\"},\"payload\":{}}", "not json")) {
      assertThat(read(v)).as(v).isNull();
    }
    assertThat(TelemetryRecordReader.read(null, 0, 0)).isNull();
  }

  @Test
  void neverThrowsOnRandomTruncationsOrCorruption() {
    String v = "{\"id\":\"i\",\"deviceId\":\"d\",\"timestamp\":\"t\",\"receivedAt\":\"r\",\"sensorType\":\"s\","
        + "\"payload\":{\"a\":[1,2,{\"b\":\"c\"}]},\"location\":{\"lat\":1.5,\"lon\":2.5}}";
    byte[] full = v.getBytes(StandardCharsets.UTF_8);
    Random random = new Random(7);
    for (int n = 0; n < full.length; n++) {
      byte[] cut = java.util.Arrays.copyOf(full, n);
      assertThat(TelemetryRecordReader.read(cut, 0, 0)).isEqualTo(TelemetryRecordReader.parse(cut, 0, 0));
    }
    for (int k = 0; k < 2000; k++) {
      byte[] bad = full.clone();
      String alphabet = "{}[]\",:\\ x1";
      bad[random.nextInt(bad.length)] = (byte) alphabet.charAt(random.nextInt(alphabet.length()));
      assertThat(TelemetryRecordReader.read(bad, 0, 0)).isEqualTo(TelemetryRecordReader.parse(bad, 0, 0));
    }
  }
}
