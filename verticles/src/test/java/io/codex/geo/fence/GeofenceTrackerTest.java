package io.codex.geo.fence;

import static io.codex.geo.fence.GeofenceIndexTest.circleFence;
import static io.codex.geo.fence.GeofenceIndexTest.polygonFence;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.junit.jupiter.api.Test;

class GeofenceTrackerTest {
  private final GeofenceTracker tracker = new GeofenceTracker();
  private final List<GeofenceTracker.Transition> out = new ArrayList<>();
  private long offset;

  private static final Geofence SQUARE = polygonFence("square", GeofenceValidatorTest.polygon(
      new double[] {0, 0}, new double[] {1, 0}, new double[] {1, 1}, new double[] {0, 1}, new double[] {0, 0}));
  private static final Geofence CIRCLE = circleFence("circle", 2, 0.5, 50_000);

  private static GeofenceIndex index(Map<Geofence, Long> fences) {
    List<GeofenceIndex.Entry> entries = new ArrayList<>();
    fences.forEach((f, v) -> entries.add(GeofenceIndex.compile(f, v)));
    return GeofenceIndex.of(entries);
  }

  /** Drives the device to (lon, lat) and returns the transitions as "enter:square" strings. */
  private List<String> move(GeofenceIndex idx, String device, double lon, double lat) {
    out.clear();
    tracker.evaluate(idx, device, 0, offset++, lon, lat, out);
    List<String> s = new ArrayList<>();
    out.forEach(t -> s.add(t.name() + ":" + t.fence().fence.id()));
    return s;
  }

  @Test
  void entersAndExitsOncePerTransition() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L, CIRCLE, 2L));
    assertThat(move(idx, "d", -1, 0.5)).isEmpty();
    assertThat(move(idx, "d", 0.5, 0.5)).containsExactly("enter:square");
    assertThat(move(idx, "d", 0.6, 0.5)).isEmpty();
    assertThat(move(idx, "d", 0.9, 0.5)).isEmpty();
    assertThat(move(idx, "d", 1.6, 0.5)).containsExactly("exit:square", "enter:circle");
    assertThat(move(idx, "d", 2.0, 0.5)).isEmpty();
    assertThat(move(idx, "d", 3.0, 0.5)).containsExactly("exit:circle");
    assertThat(move(idx, "d", 4.0, 0.5)).isEmpty();
    assertThat(tracker.size()).as("no state for a device outside every fence").isZero();
  }

  @Test
  void theFirstPositionInsideIsAnEnter() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L));
    assertThat(move(idx, "new", 0.5, 0.5)).containsExactly("enter:square");
  }

  @Test
  void aDeletedFenceIsForgottenWithoutAnExit() {
    GeofenceIndex both = index(Map.of(SQUARE, 1L, CIRCLE, 2L));
    assertThat(move(both, "d", 0.5, 0.5)).containsExactly("enter:square");
    GeofenceIndex withoutSquare = index(Map.of(CIRCLE, 2L));
    assertThat(move(withoutSquare, "d", 0.5, 0.5)).isEmpty();
    assertThat(move(withoutSquare, "d", 5, 5)).isEmpty();
    assertThat(tracker.size()).isZero();
  }

  @Test
  void aFenceCreatedWhileADeviceIsInsideGivesAnEnterOnItsNextPosition() {
    assertThat(move(GeofenceIndex.EMPTY, "d", 0.5, 0.5)).isEmpty();
    GeofenceIndex idx = index(Map.of(SQUARE, 1L));
    assertThat(move(idx, "d", 0.5, 0.5)).containsExactly("enter:square");
  }

  @Test
  void aFenceDeletedAndCreatedAgainUnderItsIdIsANewFence() {
    assertThat(move(index(Map.of(SQUARE, 1L)), "d", 0.5, 0.5)).containsExactly("enter:square");
    assertThat(move(index(Map.of(SQUARE, 9L)), "d", 0.5, 0.5)).containsExactly("enter:square");
  }

  @Test
  void aRecordAtOrBelowTheLastEvaluatedOffsetIsSkipped() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L));
    out.clear();
    assertThat(tracker.evaluate(idx, "d", 2, 10, 0.5, 0.5, out)).isTrue();
    assertThat(out).hasSize(1);
    out.clear();
    assertThat(tracker.evaluate(idx, "d", 2, 9, 5, 5, out)).as("older record").isFalse();
    assertThat(tracker.evaluate(idx, "d", 2, 10, 5, 5, out)).as("the same record again").isFalse();
    assertThat(out).isEmpty();
    assertThat(tracker.evaluate(idx, "d", 2, 11, 5, 5, out)).isTrue();
    assertThat(out).extracting(GeofenceTracker.Transition::name).containsExactly("exit");
  }

  @Test
  void aStateFromALogThatIsGoneSkipsNothing() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L));
    out.clear();
    assertThat(tracker.evaluate(idx, "d", 2, 500, 600, 0.5, 0.5, out)).isTrue();
    assertThat(out).extracting(GeofenceTracker.Transition::name).containsExactly("enter");
    out.clear();
    assertThat(tracker.evaluate(idx, "d", 2, 499, 600, 5, 5, out)).as("read again: the log still holds offset 500").isFalse();
    // the topic deleted and created again: its log ends at 3 now, below the state's offset
    assertThat(tracker.evaluate(idx, "d", 2, 1, 3, 5, 5, out)).isTrue();
    assertThat(out).extracting(GeofenceTracker.Transition::name).containsExactly("exit");
    out.clear();
    assertThat(tracker.evaluate(idx, "d", 2, 2, 3, 0.5, 0.5, out)).isTrue();
    assertThat(tracker.evaluate(idx, "d", 2, 1, 3, 5, 5, out)).as("the new log's order holds").isFalse();
    assertThat(out).extracting(GeofenceTracker.Transition::name).containsExactly("enter");
  }

  @Test
  void restoredStateMakesAReplayEmitNothingTwice() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L, CIRCLE, 2L));
    // what an earlier run wrote: entered the square at offset 5, left it for the circle at 8
    GeofenceTracker.Restore r = tracker.restore();
    r.add("d", 0, 5, "square", 1, true);
    r.add("d", 0, 8, "square", 1, false);
    r.add("d", 0, 8, "circle", 2, true);
    r.add("d", 0, 5, "square", 1, true); // a copy written late changes nothing
    r.add("gone", 0, 3, "deleted-fence", 7, true);
    r.add("other-partition", 1, 3, "square", 1, true);
    assertThat(r.finish(idx)).isEqualTo(3);
    assertThat(tracker.inside("d")).containsExactly("circle");
    assertThat(tracker.inside("gone")).isEmpty();
    // the records after the last committed offset (3) are read again: 4..8 change nothing
    double[][] path = {{-1, 0.5}, {0.5, 0.5}, {0.5, 0.6}, {0.9, 0.5}, {2, 0.5}};
    for (int i = 0; i < path.length; i++) {
      out.clear();
      tracker.evaluate(idx, "d", 0, 4 + i, path[i][0], path[i][1], out);
      assertThat(out).as("replayed offset " + (4 + i)).isEmpty();
    }
    out.clear();
    tracker.evaluate(idx, "d", 0, 9, 5, 0.5, out);
    assertThat(out).extracting(t -> t.name() + ":" + t.fence().fence.id()).containsExactly("exit:circle");
  }

  @Test
  void restoreFromWrittenEventsJson() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L));
    GeofencePosition p = new GeofencePosition("rec-1", "d", "2025-01-01T00:00:00.000Z", null, 0.5, 0.5);
    JsonObject ev = GeofenceEvent.toJson(new GeofenceTracker.Transition(true, idx.get("square")), p, 4, 77, "now");
    assertThat(ev.getString("transition")).isEqualTo("enter");
    assertThat(ev.getString("geofenceName")).isEqualTo("square");
    assertThat(ev.getString("id")).isEqualTo(GeofenceEvent.toJson(new GeofenceTracker.Transition(true, idx.get("square")), p, 4, 77,
        "later").getString("id"));
    GeofenceTracker.Restore r = tracker.restore();
    assertThat(GeofenceEvent.restoreInto(r, ev.encode(), Set.of(4))).isTrue();
    assertThat(GeofenceEvent.restoreInto(r, "not json", Set.of(4))).isFalse();
    r.finish(idx);
    assertThat(tracker.inside("d")).containsExactly("square");
    out.clear();
    assertThat(tracker.evaluate(idx, "d", 4, 77, 0.5, 0.5, out)).isFalse();
  }

  @Test
  void droppingAPartitionForgetsItsDevices() {
    GeofenceIndex idx = index(Map.of(SQUARE, 1L));
    tracker.evaluate(idx, "a", 0, 1, 0.5, 0.5, out);
    tracker.evaluate(idx, "b", 1, 1, 0.5, 0.5, out);
    tracker.dropPartitions(Set.of(1));
    assertThat(tracker.inside("a")).containsExactly("square");
    assertThat(tracker.inside("b")).isEmpty();
  }

  @Test
  void positionsAreReadFromTheNormalisedRecord() {
    byte[] rec = ("{\"id\":\"r1\",\"deviceId\":\"d-1\",\"timestamp\":\"2025-01-01T00:00:00.000Z\",\"sensorType\":\"gps\","
        + "\"payload\":{\"location\":{\"lat\":99},\"x\":[1,2]},\"location\":{\"lat\":48.5,\"lon\":2.25,\"alt\":30},"
        + "\"receivedAt\":\"2025-01-01T00:00:01.000Z\"}").getBytes();
    GeofencePosition p = GeofencePosition.parse(rec);
    assertThat(p).isEqualTo(new GeofencePosition("r1", "d-1", "2025-01-01T00:00:00.000Z", "2025-01-01T00:00:01.000Z", 2.25, 48.5));
    assertThat(GeofencePosition.parse("{\"deviceId\":\"d\"}".getBytes()).hasLocation()).isFalse();
    assertThat(GeofencePosition.parse("{\"deviceId\":\"d\",\"location\":{\"lat\":95,\"lon\":1}}".getBytes()).hasLocation()).isFalse();
    assertThat(GeofencePosition.parse("[1]".getBytes())).isNull();
    assertThat(GeofencePosition.parse("{\"deviceId\":".getBytes())).isNull();
  }
}
