package io.codex.livemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.codecs.TelemetryRecord;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.List;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SubscriptionTest {
  static Position at(String device, String sensorType, double lon, double lat) {
    return new Position(new TelemetryRecord("id-" + device, device, "2026-11-25T10:00:00.000Z", "2026-11-25T10:00:00.001Z",
        sensorType, "{\"speed\":1}", lat, lon, null, null, 0, 1), lon, lat, null, 1);
  }

  static Subscription parse(String json, Set<String> visible) {
    return Subscription.parse(new JsonObject(json), visible);
  }

  @Test
  void missingFiltersDoNotRestrict() {
    Subscription all = parse("{\"type\":\"subscribe\"}", null);
    assertThat(all.matches(at("a", "gps", 179, -89))).isTrue();
    assertThat(all.matches(at("b", null, -179, 89))).isTrue();
  }

  @Test
  void filtersByBboxDeviceIdsAndSensorTypes() {
    Subscription s = parse("{\"bbox\":[2,48,3,49],\"deviceIds\":[\"a\",\"b\"],\"sensorTypes\":[\"gps\"]}", null);
    assertThat(s.matches(at("a", "gps", 2.35, 48.85))).isTrue();
    assertThat(s.matches(at("c", "gps", 2.35, 48.85))).as("another device").isFalse();
    assertThat(s.matches(at("a", "temp", 2.35, 48.85))).as("another sensor type").isFalse();
    assertThat(s.matches(at("a", "gps", 139.6, 35.6))).as("outside the bbox").isFalse();
  }

  @Test
  void aBboxWithWestGreaterThanEastCrossesTheAntimeridian() {
    Subscription s = parse("{\"bbox\":[170,-20,-170,0]}", null);
    assertThat(s.matches(at("fiji", "gps", 178.4, -18.1))).isTrue();
    assertThat(s.matches(at("samoa", "gps", -172, -13.8))).isTrue();
    assertThat(s.matches(at("paris", "gps", 2.35, -10))).isFalse();
  }

  @Test
  void theTokensDevicesClaimAlwaysNarrows() {
    Subscription s = parse("{\"deviceIds\":[\"seen\",\"hidden\"]}", Set.of("seen"));
    assertThat(s.matches(at("seen", "gps", 0, 0))).isTrue();
    assertThat(s.matches(at("hidden", "gps", 0, 0))).isFalse();
    assertThat(s.mayReceiveEventOf("seen")).isTrue();
    assertThat(s.mayReceiveEventOf("hidden")).isFalse();
    assertThat(s.mayReceiveEventOf(null)).as("an event of no device is not for a narrowed token").isFalse();
  }

  @Test
  void equalSubscriptionsAreEqualSoThatTheyShareAMessage() {
    assertThat(parse("{\"bbox\":[1,2,3,4],\"deviceIds\":[\"a\",\"b\"]}", null))
        .isEqualTo(parse("{\"deviceIds\":[\"b\",\"a\"],\"bbox\":[1,2,3,4.0]}", null))
        .hasSameHashCodeAs(parse("{\"deviceIds\":[\"b\",\"a\"],\"bbox\":[1,2,3,4.0]}", null))
        .isNotEqualTo(parse("{\"bbox\":[1,2,3,4],\"deviceIds\":[\"a\",\"b\"]}", Set.of("a")));
  }

  @Test
  void refusesBadFiltersNamingTheField() {
    for (String bad : List.of("{\"bbox\":[1,2,3]}", "{\"bbox\":\"world\"}", "{\"bbox\":[1,2,3,\"4\"]}",
        "{\"bbox\":[-181,0,0,1]}", "{\"bbox\":[0,-91,1,1]}", "{\"bbox\":[0,10,1,5]}")) {
      assertThatThrownBy(() -> parse(bad, null)).as(bad).isInstanceOfSatisfying(Subscription.Invalid.class,
          e -> assertThat(e.field).isEqualTo("bbox"));
    }
    assertThatThrownBy(() -> parse("{\"deviceIds\":[1]}", null)).isInstanceOfSatisfying(Subscription.Invalid.class,
        e -> assertThat(e.field).isEqualTo("deviceIds"));
    assertThatThrownBy(() -> parse("{\"sensorTypes\":\"gps\"}", null)).isInstanceOfSatisfying(Subscription.Invalid.class,
        e -> assertThat(e.field).isEqualTo("sensorTypes"));
  }

  @Test
  void positionsMessageIsGeoJsonWithThePayloadAsItIs() {
    byte[] msg = Messages.positions(List.of(at("a", "gps", 2.35, 48.85), at("b", "temp", -74, 40.7)), false);
    JsonObject o = new JsonObject(new String(msg, java.nio.charset.StandardCharsets.UTF_8));
    assertThat(o.getString("type")).isEqualTo("positions");
    JsonArray fs = o.getJsonArray("features");
    assertThat(fs).hasSize(2);
    JsonObject f = fs.getJsonObject(0);
    assertThat(f.getString("type")).isEqualTo("Feature");
    assertThat(f.getJsonObject("geometry").getJsonArray("coordinates")).containsExactly(2.35, 48.85);
    assertThat(f.getJsonObject("properties").getString("deviceId")).isEqualTo("a");
    assertThat(f.getJsonObject("properties").getJsonObject("payload").getInteger("speed")).isEqualTo(1);
    assertThat(new JsonObject(new String(Messages.positions(List.of(), true), java.nio.charset.StandardCharsets.UTF_8)))
        .isEqualTo(new JsonObject().put("type", "positions").put("snapshot", true).put("features", new JsonArray()));
  }

  @Test
  void theIndexKeepsTheNewestRecordAndTheLastKnownLocation() {
    LatestPositions index = new LatestPositions();
    TelemetryRecord first = new TelemetryRecord("r1", "d", "t1", "t1", "gps", "{}", 10.0, 20.0, null, null, 3, 5);
    TelemetryRecord older = new TelemetryRecord("r0", "d", "t0", "t0", "gps", "{}", 11.0, 21.0, null, null, 3, 4);
    TelemetryRecord noFix = new TelemetryRecord("r2", "d", "t2", "t2", "temp", "{\"c\":3}", null, null, null, null, 3, 6);
    Position p = index.offer(first);
    assertThat(index.offer(first)).as("the same record offered by another instance").isSameAs(p);
    assertThat(index.offer(older)).as("an older record").isSameAs(p);
    Position latest = index.offer(noFix);
    assertThat(latest.sensorType).isEqualTo("temp");
    assertThat(latest.lat).isEqualTo(10.0);
    assertThat(latest.lon).isEqualTo(20.0);
    assertThat(index.offer(new TelemetryRecord("x", "never-located", "t", "t", "temp", "{}", null, null, null, null, 0, 1))).isNull();
    assertThat(index.size()).isEqualTo(1);
  }
}
