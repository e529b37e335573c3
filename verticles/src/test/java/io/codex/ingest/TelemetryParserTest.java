package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.api.Problem;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.HashSet;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class TelemetryParserTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00.123456Z");

  static List<TelemetryParser.Parsed> parse(String body, boolean ndjson) {
    return TelemetryParser.parse(body.getBytes(StandardCharsets.UTF_8), ndjson, null, 1000, NOW);
  }

  static List<String> fields(Problem p) {
    return p.toJson(null).getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")).toList();
  }

  @Test
  void numberTextsCopiedAsTheyAreAreWhatWouldBeWritten() {
    for (String t : new String[] {"48.8566", "-122.4194", "0.5", "0.001", "-0.0", "0.0", "12.0", "9999999.5",
        "52.520008", "-33.8688197", "1234567.1234567"}) {
      assertThat(asIs(t)).as(t).isTrue();
      assertThat(t).as("as Double.toString writes it").isEqualTo(Double.toString(Double.parseDouble(t)));
    }
    for (String t : new String[] {"1.50", "0.0001", "0.00099", "1e5", "1.5E2", "12", "-7", "12345678.5", "1.",
        "0.1234567890123456", "1234567.123456789", "00.5", "-", ".5"}) {
      assertThat(asIs(t)).as(t).isFalse();
    }
    java.util.Random random = new java.util.Random(7);
    int copied = 0;
    for (int n = 0; n < 300_000; n++) {
      String t = TelemetryParserFastPathTest.coordinate(random, 1 + random.nextInt(8));
      if (!asIs(t)) continue;
      copied++;
      double v = Double.parseDouble(t);
      assertThat(t).as("as Double.toString writes it").isEqualTo(Double.toString(v));
      assertThat(TelemetryParser.decimal(v)).as(t).isIn(t, null);
    }
    assertThat(copied).as("texts copied as they are").isGreaterThan(50_000);
  }

  private static boolean asIs(String t) {
    byte[] b = ("[" + t + "]").getBytes(java.nio.charset.StandardCharsets.US_ASCII);
    return TelemetryParser.writtenAsIs(b, 1, b.length - 1);
  }

  @Test
  void coordinatesAreWrittenAsDoubleToStringWritesThem() {
    java.util.Random random = new java.util.Random(5);
    int leftToTheJdk = 0;
    for (int k = 0; k < 300_000; k++) {
      double v = switch (k % 4) {
        case 0 -> (random.nextDouble() * 2 - 1) * 180;                       // any double in range
        case 1 -> Math.round((random.nextDouble() * 2 - 1) * 90 * 1e6) / 1e6;  // six decimals, as GPS sends
        case 2 -> random.nextInt(2_000_000) - 1_000_000 + random.nextInt(100) / 100.0; // altitudes
        default -> (random.nextDouble() * 2 - 1) * 1e-2;                     // near 0, down to exponents
      };
      String ours = TelemetryParser.decimal(v);
      String jdk = Double.toString(v);
      if (ours == null) {
        // left to Double.toString: an exponent, or 16 and more significant digits (beyond 2^53)
        assertThat(Math.abs(v) < 1e-3 || jdk.replaceAll("[-.]|^-?0\\.0*", "").length() >= 16).as(jdk).isTrue();
        leftToTheJdk++;
        continue;
      }
      assertThat(Double.parseDouble(ours)).as(ours + " for " + jdk).isEqualTo(v);
      assertThat(ours).as("the same text as Double.toString").isEqualTo(jdk);
    }
    for (double v : new double[] {0.001, 2.0, -0.5, 48.8566, 2.3522, -122.4194, 90.0, -180.0, 1234567.5, 9999999.999}) {
      assertThat(TelemetryParser.decimal(v)).isEqualTo(Double.toString(v));
    }
    assertThat(TelemetryParser.decimal(0.0)).as("0.0 and -0.0 are left to Double.toString").isNull();
    assertThat(TelemetryParser.decimal(1e7)).isNull();
    assertThat(leftToTheJdk).as("left to Double.toString").isLessThan(300_000 / 2);
  }

  @Test
  void normalisesARecordKeepingThePayloadAndAddingIdAndReceivedAt() {
    var r = parse("{\"deviceId\":\"truck-1\",\"timestamp\":\"2026-11-25T10:00:00.5+02:00\",\"sensorType\":\"gps\","
        + "\"payload\":{\"speed\":12.50,\"name\":\"Zürich\",\"nested\":{\"a\":[1,2]}},\"location\":{\"lat\":47.3,\"lon\":8.5},"
        + "\"id\":\"client-chosen\",\"correlationId\":\"c\\\"1\"}", false).get(0);
    JsonObject v = new JsonObject(new String(r.value(), StandardCharsets.UTF_8));
    assertThat(v.getString("deviceId")).isEqualTo("truck-1");
    assertThat(v.getString("timestamp")).isEqualTo("2026-11-25T08:00:00.500Z");
    assertThat(v.getString("receivedAt")).isEqualTo("2026-11-25T12:00:00.123Z");
    assertThat(v.getString("id")).isEqualTo(r.id()).isNotEqualTo("client-chosen").hasSize(36);
    assertThat(v.getJsonObject("payload")).isEqualTo(new JsonObject()
        .put("speed", 12.50).put("name", "Zürich").put("nested", new JsonObject().put("a", List.of(1, 2))));
    assertThat(v.getJsonObject("location").getDouble("lat")).isEqualTo(47.3);
    assertThat(v.getString("correlationId")).isEqualTo("c\"1");
    assertThat(r.sensorType()).isEqualTo("gps");
    assertThat(r.timestamp()).isEqualTo("2026-11-25T08:00:00.500Z");
  }

  @Test
  void eachRecordIsWholeAndItsOwnWhateverTheSizesBeforeIt() {
    // records are written one after another in the same buffer of the thread: a long one grows it,
    // and neither it nor a short one may carry bytes of another record
    String big = "x".repeat(40_000);   // beyond the 16 KB a thread keeps
    String[] texts = {"short", big, "s", big.substring(0, 1500), "", "tail"};
    StringBuilder body = new StringBuilder("[");
    for (int i = 0; i < texts.length; i++) {
      if (i > 0) body.append(',');
      body.append("{\"deviceId\":\"d-").append(i).append("\",\"timestamp\":1764000000000,\"sensorType\":\"t\",")
          .append("\"payload\":{\"text\":\"").append(texts[i]).append("\"},\"location\":{\"lat\":1.5,\"lon\":-2.25}}");
    }
    List<TelemetryParser.Parsed> first = parse(body.append(']').toString(), false);
    List<TelemetryParser.Parsed> again = parse("{\"deviceId\":\"d-9\",\"timestamp\":1764000000000,\"sensorType\":\"t\","
        + "\"payload\":{}}", false);
    for (int i = 0; i < texts.length; i++) {
      String value = new String(first.get(i).value(), StandardCharsets.UTF_8);
      JsonObject v = new JsonObject(value);
      assertThat(v.getString("deviceId")).isEqualTo("d-" + i);
      assertThat(v.getJsonObject("payload").getString("text")).isEqualTo(texts[i]);
      assertThat(v.getJsonObject("location").getDouble("lon")).isEqualTo(-2.25);
      assertThat(value).endsWith("\"lon\":-2.25}}");
    }
    String last = new String(again.get(0).value(), StandardCharsets.UTF_8);
    assertThat(new JsonObject(last).fieldNames()).containsExactlyInAnyOrder("id", "deviceId", "timestamp", "receivedAt", "sensorType", "payload");
    assertThat(last).endsWith("\"payload\":{}}");
  }

  @Test
  void acceptsEpochMillisArraysAndNdjson() {
    String rec = "{\"deviceId\":\"d\",\"timestamp\":1764000000000,\"sensorType\":\"t\",\"payload\":{}}";
    assertThat(parse(rec, false).get(0).timestamp()).isEqualTo("2025-11-24T16:00:00.000Z");
    assertThat(parse("[" + rec + "," + rec + "]", false)).hasSize(2);
    assertThat(parse(rec + "\n" + rec + "\n" + rec + "\n", true)).hasSize(3);
  }

  @Test
  void namesEachBadIndexAndFieldAndReturnsNothing() {
    String good = "{\"deviceId\":\"d\",\"timestamp\":1,\"sensorType\":\"t\",\"payload\":{}}";
    String body = "[" + good + ",{\"deviceId\":\"bad id\",\"timestamp\":\"yesterday\",\"sensorType\":\"t\",\"payload\":[],"
        + "\"location\":{\"lat\":91,\"lon\":\"8\"}},{}]";
    assertThatThrownBy(() -> parse(body, false)).isInstanceOfSatisfying(Problem.class, p -> {
      assertThat(p.status()).isEqualTo(400);
      assertThat(fields(p)).containsExactlyInAnyOrder("/1/deviceId", "/1/timestamp", "/1/payload", "/1/location/lat",
          "/1/location/lon", "/2/deviceId", "/2/timestamp", "/2/sensorType", "/2/payload");
    });
  }

  @Test
  void aSingleRecordNamesFieldsWithoutIndex() {
    assertThatThrownBy(() -> parse("{\"deviceId\":\"d\",\"sensorType\":\"t\",\"payload\":{}}", false))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(fields(p)).containsExactly("/timestamp"));
  }

  @Test
  void rejectsMalformedJsonAndTooManyRecords() {
    assertThatThrownBy(() -> parse("{\"deviceId\":", false))
        .isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(400));
    String rec = "{\"deviceId\":\"d\",\"timestamp\":1,\"sensorType\":\"t\",\"payload\":{}}";
    assertThatThrownBy(() -> TelemetryParser.parse(("[" + rec + "," + rec + "," + rec + "]").getBytes(StandardCharsets.UTF_8),
        false, null, 2, NOW)).isInstanceOfSatisfying(Problem.class, p -> assertThat(p.status()).isEqualTo(413));
    assertThatThrownBy(() -> parse("", false)).isInstanceOf(Problem.class);
    assertThatThrownBy(() -> parse("[]", false)).isInstanceOf(Problem.class);
  }

  @Test
  void topicDeviceFillsAMissingDeviceId() {
    var r = TelemetryParser.parse("{\"timestamp\":1,\"sensorType\":\"t\",\"payload\":{}}".getBytes(StandardCharsets.UTF_8),
        false, "meter-3", 10, NOW);
    assertThat(r.get(0).deviceId()).isEqualTo("meter-3");
  }

  @Test
  void idsAreUniqueAndTimeOrderedUuids() {
    Set<String> ids = new HashSet<>();
    String prev = "";
    for (int i = 0; i < 10_000; i++) {
      String id = TelemetryParser.uuidV7().toString();
      assertThat(id.charAt(14)).isEqualTo('7');
      ids.add(id);
      assertThat(id.substring(0, 13).compareTo(prev.isEmpty() ? "" : prev.substring(0, 13))).isGreaterThanOrEqualTo(0);
      prev = id;
    }
    assertThat(ids).hasSize(10_000);
  }

  @Test
  void formatsMillisExactlyAsJavaTimeDoes() {
    java.util.Random r = new java.util.Random(7);
    java.time.format.DateTimeFormatter ref = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(java.time.ZoneOffset.UTC);
    long[] edges = {0L, 1L, 999L, 951_782_400_000L, 253_402_300_799_999L, 1_764_000_000_123L};
    for (long ms : edges) assertThat(TelemetryParser.rfc3339Millis(ms)).isEqualTo(ref.format(Instant.ofEpochMilli(ms)));
    for (int i = 0; i < 100_000; i++) {
      long ms = (long) (r.nextDouble() * 253_402_300_799_999L);
      assertThat(TelemetryParser.rfc3339Millis(ms)).isEqualTo(ref.format(Instant.ofEpochMilli(ms)));
    }
  }

  @Test
  void formatsRunsOfTheSameSecondAndTheirNeighboursExactly() {
    java.time.format.DateTimeFormatter ref = java.time.format.DateTimeFormatter.ofPattern("uuuu-MM-dd'T'HH:mm:ss.SSS'Z'")
        .withZone(java.time.ZoneOffset.UTC);
    // consecutive milliseconds across second, minute, day and year boundaries, then back again
    long[] starts = {1_764_000_000_990L, 1_767_225_599_990L, 951_868_799_995L, 59_990L};
    for (long start : starts) {
      for (long ms = start; ms < start + 25; ms++) {
        assertThat(TelemetryParser.rfc3339Millis(ms)).isEqualTo(ref.format(Instant.ofEpochMilli(ms)));
      }
      assertThat(TelemetryParser.rfc3339Millis(start)).isEqualTo(ref.format(Instant.ofEpochMilli(start)));
    }
  }
}
