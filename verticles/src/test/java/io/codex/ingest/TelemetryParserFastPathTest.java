package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.codex.api.Problem;
import io.codex.bridge.TelemetryRecordDeserializer;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/**
 * The one-pass path ({@link TelemetryScan}) against the Jackson path: whatever the fast path
 * accepts, Jackson must accept with the same records (but the random id); whatever Jackson
 * rejects, the fast path must hand over (null). Single quotes in the cases below stand for double quotes.
 */
class TelemetryParserFastPathTest {
  private static final Instant NOW = Instant.parse("2026-11-25T12:00:00.123456Z");
  private static final Pattern ID = Pattern.compile(
      "^\\{\"id\":\"([0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12})\"");
  static final String BENCH = "{\"deviceId\":\"bench-0001\",\"timestamp\":1764000000000,\"sensorType\":\"gps\","
      + "\"payload\":{\"speed\":12.3,\"heading\":270,\"battery\":87,\"status\":\"moving\",\"odometer\":123456.7,\"fix\":\"3d\"},"
      + "\"location\":{\"lat\":48.8566,\"lon\":2.3522}}";
  /** A record using every field, with whitespace and escapes where they are allowed. */
  static final String FULL = q(" { 'id' : 'client' , 'deviceId':'truck-1',\n\t'timestamp' : '2026-11-25T10:00:00.5+02:00',"
      + "'sensorType':'gps/l1', 'payload' : { 'a' : [ 1 , -0 , 0.5e-3 , 1E+2 , true , false , null , { } , [ ] ] ,"
      + " 'e\\u00e9' : 'q\\'\\\\\\/\\b\\f\\n\\r\\t\\u0041' } , 'location' : { 'lat' : -0 , 'lon' : 180 , 'alt' : null ,"
      + " 'acc' : [ 1 , { 'x' : 'y' } ] } , 'correlationId' : 'c-1' , 'receivedAt' : 'x', 'extra' : { 'n' : [ [ ] ] } }\r\n");

  static String q(String s) {
    return s.replace('\'', '"');
  }

  static String rec(String deviceId, String timestamp, String sensorType, String payload, String rest) {
    StringBuilder s = new StringBuilder("{");
    if (deviceId != null) s.append("'deviceId':").append(deviceId).append(',');
    if (timestamp != null) s.append("'timestamp':").append(timestamp).append(',');
    if (sensorType != null) s.append("'sensorType':").append(sensorType).append(',');
    if (payload != null) s.append("'payload':").append(payload).append(',');
    if (rest != null) s.append(rest).append(',');
    s.setLength(s.length() - 1);
    return q(s.append('}').toString());
  }

  static String withPayload(String payload) {
    return rec("'d'", "1", "'t'", payload, null);
  }

  static String withLocation(String location) {
    return rec("'d'", "1", "'t'", "{}", "'location':" + location);
  }

  static String withTimestamp(String timestamp) {
    return rec("'d'", timestamp, "'t'", "{}", null);
  }

  /**
   * Runs both paths on {@code body}; returns whether the fast path handled it. Fails when the
   * fast path throws, accepts what Jackson rejects, or gives a different result.
   */
  static boolean same(byte[] body, boolean ndjson, String topic, int max) {
    List<TelemetryParser.Parsed> fast;
    try {
      fast = TelemetryParser.parseFast(body, ndjson, topic, max, NOW);
    } catch (Throwable e) {
      throw new AssertionError("the fast path threw on " + show(body), e);
    }
    List<TelemetryParser.Parsed> slow;
    try {
      slow = TelemetryParser.parseJackson(body, ndjson, topic, max, NOW);
    } catch (Problem p) {
      if (fast != null) fail("Jackson rejects (%s) what the fast path accepts: %s", p.getMessage(), show(body));
      return false;
    }
    if (fast == null) return false;
    assertThat(fast).as(show(body)).hasSameSizeAs(slow);
    for (int k = 0; k < fast.size(); k++) {
      TelemetryParser.Parsed f = fast.get(k);
      TelemetryParser.Parsed s = slow.get(k);
      assertThat(f.deviceId()).as(show(body)).isEqualTo(s.deviceId());
      assertThat(f.sensorType()).as(show(body)).isEqualTo(s.sensorType());
      assertThat(f.timestamp()).as(show(body)).isEqualTo(s.timestamp());
      assertThat(f.at()).as(show(body)).isEqualTo(s.at());
      assertThat(withoutId(f)).as(show(body)).isEqualTo(withoutId(s));
      readsBackAsParsed(f, body);
      readsBackAsParsed(s, body);
    }
    return true;
  }

  static boolean same(String body) {
    byte[] b = body.getBytes(StandardCharsets.UTF_8);
    boolean handled = same(b, false, null, 1000);
    same(b, false, "meter-3", 1000);
    same(b, false, null, 1);
    same(b, true, null, 1000);
    return handled;
  }

  private static final TelemetryRecordDeserializer FEED_READER = new TelemetryRecordDeserializer();

  /**
   * What this node's live feed takes instead of decoding the value (ProducedTelemetry) is what
   * decoding it gives, field for field.
   */
  static void readsBackAsParsed(TelemetryParser.Parsed p, byte[] body) {
    assertThat(p.feed().describes(p.value())).as(show(body)).isTrue();
    assertThat(p.feed().record(5, 77)).as(show(body)).isEqualTo(FEED_READER.deserialize(null, p.value()).at(5, 77));
  }

  /** The value with its id replaced, after checking that the id is a UUIDv7 and the record's id. */
  static String withoutId(TelemetryParser.Parsed p) {
    String v = new String(p.value(), StandardCharsets.ISO_8859_1);
    Matcher m = ID.matcher(v);
    assertThat(m.find()).as(v).isTrue();
    assertThat(m.group(1)).isEqualTo(p.id());
    return "{\"id\":\"?\"" + v.substring(m.end());
  }

  static String show(byte[] body) {
    String s = new String(body, StandardCharsets.ISO_8859_1);
    return s.length() > 300 ? s.substring(0, 300) + "..." : s;
  }

  static String nested(int depth) {
    return "{'a':".repeat(depth - 1) + "{}" + "}".repeat(depth - 1);
  }

  static String nestedArrays(int depth) {
    return "{'a':" + "[".repeat(depth - 1) + "]".repeat(depth - 1) + "}";
  }

  @Test
  void handlesTheCommonCases() {
    assertThat(same(BENCH)).isTrue();
    assertThat(BENCH).hasSize(211);
    String hundred = "[" + String.join(",", java.util.Collections.nCopies(100, BENCH)) + "]";
    assertThat(same(hundred)).isTrue();
    List<TelemetryParser.Parsed> r = TelemetryParser.parseFast(hundred.getBytes(StandardCharsets.UTF_8), false, null, 1000, NOW);
    assertThat(r).hasSize(100);
    assertThat(r.get(99).at()).isEqualTo("/99");
    assertThat(TelemetryParser.parseFast(BENCH.getBytes(StandardCharsets.UTF_8), false, null, 1000, NOW).get(0).at()).isEmpty();

    byte[] mqtt = q("{'timestamp':1764000000000,'sensorType':'meter','payload':{'kwh':12.5}}").getBytes(StandardCharsets.UTF_8);
    List<TelemetryParser.Parsed> m = TelemetryParser.parseFast(mqtt, false, "meter-3", 10, NOW);
    assertThat(m).isNotNull();
    assertThat(m.get(0).deviceId()).isEqualTo("meter-3");
    assertThat(same(mqtt, false, "meter-3", 10)).isTrue();

    String text = withTimestamp("'2026-11-25T10:00:00.5+02:00'");
    assertThat(same(text)).isTrue();
    assertThat(TelemetryParser.parseFast(text.getBytes(StandardCharsets.UTF_8), false, null, 10, NOW).get(0).timestamp())
        .isEqualTo("2026-11-25T08:00:00.500Z");
    assertThat(same(FULL)).isTrue();
    assertThat(same(" [ " + FULL + " , " + BENCH + " ]\n")).isTrue();
  }

  @Test
  void publicParseGivesTheSameRecordsAsBefore() {
    var r = TelemetryParser.parse(FULL.getBytes(StandardCharsets.UTF_8), false, null, 10, NOW).get(0);
    assertThat(new String(r.value(), StandardCharsets.UTF_8)).isEqualTo(q("{'id':'" + r.id() + "','deviceId':'truck-1',"
        + "'timestamp':'2026-11-25T08:00:00.500Z','receivedAt':'2026-11-25T12:00:00.123Z','sensorType':'gps/l1','payload':"
        + "{ 'a' : [ 1 , -0 , 0.5e-3 , 1E+2 , true , false , null , { } , [ ] ] , 'e\\u00e9' : 'q\\'\\\\\\/\\b\\f\\n\\r\\t\\u0041' },"
        + "'location':{'lat':0.0,'lon':180.0},'correlationId':'c-1'}"));
  }

  @Test
  void agreesOnHandWrittenCases() {
    List<String> handled = new ArrayList<>();
    List<String> cases = new ArrayList<>(List.of(BENCH, FULL));
    // timestamps
    for (String t : List.of("0", "1", "253402300799999", "253402300800000", "-1", "-0", "1.5", "1e3", "1E3", "10.0",
        "123456789012345678", "1234567890123456789", "99999999999999999999", "01", "'abc'", "''", "true", "null", "{}", "[]",
        "'1970-01-01T00:00:00Z'", "'1969-12-31T23:59:59.999Z'", "'2026-11-25T10:00:00Z'", "'2026-11-25T10:00:00.123456789-05:30'",
        "'2026-11-25T10:00:00'", "'2026-11-25 10:00:00Z'", "'9999-12-31T23:59:59.999Z'", "'9999-12-31T23:59:59.999-01:00'",
        "'+10000-01-01T00:00:00Z'", "'2026-11-25T10:00:00\\u005a'", "'2026-11-25T10:00:00Zé'", "'2026-02-30T10:00:00Z'")) {
      cases.add(withTimestamp(t));
    }
    // deviceId and sensorType
    for (String d : List.of("'d'", "''", "'a b'", "'" + "x".repeat(128) + "'", "'" + "x".repeat(129) + "'", "'dev\\u0069ce'",
        "'d\\n'", "123", "null", "'Zürich'", "'a/b'", "'a:b.c_d-e'", "{}", "[]", "true")) {
      cases.add(rec(d, "1", "'t'", "{}", null));
      cases.add(rec("'d'", "1", d, "{}", null));
    }
    for (String s : List.of("'/'", "'a/'", "'" + "s".repeat(64) + "'", "'" + "s".repeat(65) + "'", "'" + "s/".repeat(32) + "'")) {
      cases.add(rec("'d'", "1", s, "{}", null));
    }
    // payloads
    for (String p : List.of("{}", "{ }", "{'a':[1,2,{'b':null}]}", "{'s':'with \\n \\u00e9 \\' \\/ escapes'}", "[]", "null",
        "'x'", "1", "true", "{'s':'Zürich'}", "{'s':'tab\there'}", "{'s':'\\x'}", "{'s':'\\u12G4'}", "{'s':'\\u12'}",
        "{'n':-0}", "{'n':0.5e-3}", "{'n':1E+2}", "{'n':01}", "{'n':1.}", "{'n':.5}", "{'n':-}", "{'n':+1}", "{'n':1e}",
        "{'n':1e+}", "{'n':00}", "{'n':-01}", "{'n':1.5E-10}", "{'n':-1.5e+300}", "{'n':1e400}", "{'n':123456789012345678901234567890}",
        "{'n':" + "9".repeat(100) + "}", "{'n':" + "9".repeat(150) + "}", "{'n':1." + "0".repeat(120) + "}", "{'n':tru}",
        "{'n':nul}", "{'n':falsey}", "{'n':True}", "{'n':truex}", "{'n':1x}", "{'\\u0041':1}", "{'\\ud800':'\\udc00x\\ud800'}",
        "{'a':1,}", "{'a' 1}", "{'a':}", "{a:1}", "{'a':1 'b':2}", "{'a':[1,]}", "{'a':[,1]}", "{'a':[1 2]}", "{'a\u0001':1}",
        "{'a':'\u007f'}", "{'a':'\u0000'}", "{'a':'\\u0000'}", "{'a':'" + "x".repeat(70_000) + "'}", "{'" + "k".repeat(2000) + "':1}",
        "{'a':{'b':{'c':[[[{'d':[]}]]]}}}", "{'a':1}}", "{'a':[}", "{'a':]}", "{'':''}", "{'a':'\\''}", "{'a':'\\\\'}",
        nested(63), nested(64), nested(65), nested(100), nestedArrays(64), nestedArrays(65), nestedArrays(1500))) {
      cases.add(withPayload(p));
    }
    // locations
    for (String l : List.of("{'lat':48,'lon':2}", "{'lat':'48','lon':2}", "{'lat':48.0,'lon':2.0}", "{'lat':-0,'lon':-0.0}",
        "{'lat':-0.0,'lon':-0}", "{'lat':1,'lon':2,'alt':null}", "{'lat':1,'lon':2,'alt':35.5}", "{'lat':1,'lon':2,'alt':-0}",
        "{'lat':1,'lon':2,'alt':'x'}", "{'lat':1,'lon':2,'alt':1e400}", "{'lat':1,'lon':2,'alt':123456789012345678}",
        "{'lat':1,'lon':2,'alt':12345678901234567890}", "{'lat':90,'lon':2}", "{'lat':90.0000001,'lon':2}", "{'lat':-90,'lon':2}",
        "{'lat':-90.5,'lon':2}", "{'lat':1,'lon':180}", "{'lat':1,'lon':-180.0}", "{'lat':1,'lon':181}", "{'lat':1e400,'lon':2}",
        "{'lat':1}", "{'lon':2}", "{}", "{'lat':1,'lon':2,'acc':{'x':[1,'y']}}", "{'lat':1,'lat':2,'lon':2}",
        "{'lat':1,'lon':2,'lon':3}", "{'lat':1,'lon':2,'alt':1,'alt':null}", "null", "[]", "'x'", "1",
        "{'lat':1234567890123456789,'lon':2}", "{'lat':0.1e1,'lon':1E-1}", "{'lat':4.9e-324,'lon':1.7976931348623157e308}",
        "{'lat':48.856600000000000000001,'lon':2}", "{'lat':true,'lon':2}", "{'lat':null,'lon':2}", "{'\\u006cat':1,'lon':2}",
        "{'lat':1,'lon':2,'x':01}", "{'lat':1,'lon':2,}", "{ 'lat' : 1 , 'lon' : 2 , 'alt' : 3 }")) {
      cases.add(withLocation(l));
    }
    // correlationId
    for (String c : List.of("'c-1'", "null", "''", "'" + "c".repeat(128) + "'", "'" + "c".repeat(129) + "'", "'c\\'1'", "5",
        "'Zürich'", "'a/b <x> & {y}'", "true", "{}")) {
      cases.add(rec("'d'", "1", "'t'", "{}", "'correlationId':" + c));
    }
    // unknown fields, duplicates and missing fields
    for (String rest : List.of("'id':'x'", "'receivedAt':'y'", "'extra':[1,{'a':'b'}]", "'extra':01", "'extra':'Zürich'",
        "'extra':nul", "'\\u0064eviceId':'e'", "'deviceId':'e'", "'deviceId':'bad id'", "'timestamp':2", "'sensorType':'u'",
        "'payload':{}", "'location':{'lat':1,'lon':2},'location':{'lat':1,'lon':2}", "'correlationId':'a','correlationId':'b'",
        "'correlationId':null,'correlationId':null", "'extra':1,'extra':2", "'extra':" + nested(64), "'extra':" + nested(65))) {
      cases.add(rec("'d'", "1", "'t'", "{}", rest));
    }
    cases.add(rec(null, "1", "'t'", "{}", null));
    cases.add(rec("'d'", null, "'t'", "{}", null));
    cases.add(rec("'d'", "1", null, "{}", null));
    cases.add(rec("'d'", "1", "'t'", null, null));
    cases.add(rec("'d'", "1", "'t'", "{}", "'location':{'lat':1,'lon':2},'correlationId':'c'"));
    // the body around the records
    for (String body : List.of("", " ", "\n\t\r ", "null", "1", "'x'", "[]", "[ ]", "[1]", "[" + BENCH + ",1]", "[" + BENCH + ",]",
        "[" + BENCH + "] x", "[" + BENCH + "]]", BENCH + " " + BENCH, BENCH + " x", BENCH + "}", "[" + BENCH, "[" + BENCH + " " + BENCH + "]",
        "[" + BENCH + "," + BENCH + "]", "\uFEFF" + BENCH, BENCH + "\u00a0", BENCH + "\n\n", "\f" + BENCH, "{", "[", "{}", "[{}]",
        "[[" + BENCH + "]]", "[" + BENCH + "," + withTimestamp("-1") + "]")) {
      cases.add(q(body));
    }
    for (String c : cases) {
      if (same(c)) handled.add(c);
    }
    assertThat(handled).contains(BENCH, FULL, withPayload("{'n':1E+2}"), withLocation("{'lat':-0,'lon':-0.0}"),
        withLocation("{'lat':1,'lon':2,'alt':null}"), rec("'d'", "1", "'t'", "{}", "'extra':[1,{'a':'b'}]"), withPayload(nested(64)));
    assertThat(handled).doesNotContain(withPayload("{'s':'Zürich'}"), withPayload(nested(65)), withPayload("{'n':01}"),
        withTimestamp("'2026-11-25T10:00:00\\u005a'"), rec("'d'", "1", "'t'", "{}", "'deviceId':'e'"));
  }

  @Test
  void mqttRecordsWithoutATopicDeviceAreLeftToJackson() {
    byte[] mqtt = q("{'timestamp':1,'sensorType':'t','payload':{}}").getBytes(StandardCharsets.UTF_8);
    assertThat(TelemetryParser.parseFast(mqtt, false, null, 10, NOW)).isNull();
    assertThat(same(mqtt, false, "m", 10)).isTrue();
    assertThat(TelemetryParser.parseFast(BENCH.getBytes(StandardCharsets.UTF_8), true, null, 10, NOW)).isNull();
    assertThat(TelemetryParser.parseFast(BENCH.getBytes(StandardCharsets.UTF_8), false, null, 0, NOW)).isNull();
    byte[] two = ("[" + BENCH + "," + BENCH + "]").getBytes(StandardCharsets.UTF_8);
    assertThat(TelemetryParser.parseFast(two, false, null, 1, NOW)).isNull();
    assertThat(TelemetryParser.parseFast(two, false, null, 2, NOW)).hasSize(2);
  }

  @Test
  void everyPrefixOfAValidBodyIsHandedOverOrTheSame() {
    byte[] body = ("[" + FULL + "," + BENCH + "," + withLocation("{'lat':1,'lon':2,'alt':3}") + "]  ")
        .getBytes(StandardCharsets.UTF_8);
    int handled = 0;
    for (int n = 0; n <= body.length; n++) {
      if (same(java.util.Arrays.copyOf(body, n), false, null, 1000)) handled++;
    }
    assertThat(handled).isEqualTo(3); // the whole body and the two with only trailing spaces missing
  }

  @Test
  void randomMutationsNeverMakeThePathsDisagree() {
    Random r = new Random(20261125);
    byte[][] bases = {
        BENCH.getBytes(StandardCharsets.UTF_8),
        FULL.getBytes(StandardCharsets.UTF_8),
        ("[" + BENCH + "," + FULL + "]").getBytes(StandardCharsets.UTF_8),
        withLocation("{'lat':-1.5e1,'lon':-0,'alt':null,'x':[true,false,null]}").getBytes(StandardCharsets.UTF_8),
        rec("'d'", "'2026-11-25T10:00:00.5+02:00'", "'a/b'", "{'k':'\\u00e9\\n','n':[0.5e-3,-0,1E+2]}", "'correlationId':'c'")
            .getBytes(StandardCharsets.UTF_8)};
    byte[] alphabet = q("{}[]':,\\ \t\n0123456789.eE+-truefalsn/\u0001").getBytes(StandardCharsets.ISO_8859_1);
    int handled = 0;
    int rejected = 0;
    for (int n = 0; n < 20_000; n++) {
      byte[] b = bases[r.nextInt(bases.length)];
      int edits = 1 + r.nextInt(3);
      for (int e = 0; e < edits; e++) b = mutate(b, r, alphabet);
      boolean topic = r.nextInt(4) == 0;
      if (same(b, false, topic ? "meter-3" : null, 1 + r.nextInt(3))) {
        handled++;
      } else {
        rejected++;
      }
    }
    assertThat(handled).isGreaterThan(1_000);
    assertThat(rejected).isGreaterThan(1_000);
  }

  @Test
  void coordinatesConvertExactlyAsJacksonDoes() {
    Random r = new Random(48);
    int handled = 0;
    for (int n = 0; n < 5_000; n++) {
      String lat = coordinate(r, 2);
      String lon = coordinate(r, 3);
      String alt = coordinate(r, 5);
      if (same(withLocation("{'lat':" + lat + ",'lon':" + lon + ",'alt':" + alt + "}").getBytes(StandardCharsets.UTF_8),
          false, null, 10)) {
        handled++;
      }
    }
    assertThat(handled).isGreaterThan(2_500);
  }

  /** A random JSON number with up to {@code intDigits} integer digits, mostly with a fraction of 1 to 18 digits. */
  static String coordinate(Random r, int intDigits) {
    StringBuilder s = new StringBuilder(r.nextBoolean() ? "-" : "");
    int n = 1 + r.nextInt(intDigits);
    s.append(n == 1 ? r.nextInt(10) : 1 + r.nextInt(9));
    for (int k = 1; k < n; k++) s.append(r.nextInt(10));
    if (r.nextInt(8) > 0) {
      s.append('.');
      int f = 1 + r.nextInt(18);
      for (int k = 0; k < f; k++) s.append(r.nextInt(10));
    }
    if (r.nextInt(10) == 0) s.append(r.nextBoolean() ? "e" : "E-").append(r.nextInt(5));
    return s.toString();
  }

  static byte[] mutate(byte[] b, Random r, byte[] alphabet) {
    int at = r.nextInt(b.length + 1);
    byte c = r.nextInt(8) == 0 ? (byte) r.nextInt(256) : alphabet[r.nextInt(alphabet.length)];
    switch (r.nextInt(3)) {
      case 0 -> { // replace
        if (at == b.length) return b;
        byte[] o = b.clone();
        o[at] = c;
        return o;
      }
      case 1 -> { // insert
        byte[] o = new byte[b.length + 1];
        System.arraycopy(b, 0, o, 0, at);
        o[at] = c;
        System.arraycopy(b, at, o, at + 1, b.length - at);
        return o;
      }
      default -> { // delete
        if (at == b.length) return b;
        byte[] o = new byte[b.length - 1];
        System.arraycopy(b, 0, o, 0, at);
        System.arraycopy(b, at + 1, o, at, b.length - at - 1);
        return o;
      }
    }
  }
}
