package io.codex.livemap;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.TelemetryRecord;
import org.junit.jupiter.api.Test;

class LatestPositionsOrderTest {
  private final LatestPositions index = new LatestPositions();

  private static TelemetryRecord at(String id, String receivedAt, double lat, int partition, long offset) {
    return new TelemetryRecord(id, "truck-1", "2026-11-27T10:00:00.000Z", receivedAt, "gps", "{}", lat, 4.8, null, null, partition, offset);
  }

  private double lat() {
    return index.get("truck-1").lat;
  }

  @Test
  void anOlderRecordOfferedLateDoesNotMoveTheDeviceBack() {
    index.offer(at("r1", "2026-11-27T10:00:00.100Z", 45.1, 2, 100));
    index.offer(at("r2", "2026-11-27T10:00:00.200Z", 45.2, 2, 101));
    // a live map instance that lags behind offers what another applied already
    index.offer(at("r1", "2026-11-27T10:00:00.100Z", 45.1, 2, 100));
    assertThat(lat()).isEqualTo(45.2);
    index.offer(at("r0", "2026-11-27T10:00:00.050Z", 45.0, 2, 99));
    assertThat(lat()).isEqualTo(45.2);
    index.offer(at("r1b", "2026-11-27T10:00:00.200Z", 45.15, 2, 100));
    assertThat(lat()).as("received in the same millisecond: the offset decides").isEqualTo(45.2);
  }

  @Test
  void afterTheTopicIsRecreatedLowerOffsetsReceivedLaterMoveTheDevice() {
    index.offer(at("r1", "2026-11-27T10:00:00.100Z", 45.1, 2, 5_000));
    index.offer(at("n1", "2026-11-27T10:05:00.000Z", 46.0, 2, 0));
    assertThat(lat()).isEqualTo(46.0);
    index.offer(at("n2", "2026-11-27T10:05:01.000Z", 46.1, 2, 1));
    index.offer(at("n1", "2026-11-27T10:05:00.000Z", 46.0, 2, 0));
    assertThat(lat()).as("the new log's order holds").isEqualTo(46.1);
  }

  @Test
  void receivedTimesCompareAsTimes() {
    assertThat(Position.receivedAfter("2026-11-27T10:00:00.200Z", "2026-11-27T10:00:00.100Z")).isTrue();
    assertThat(Position.receivedAfter("2026-11-27T10:00:00.100Z", "2026-11-27T10:00:00.100Z")).isFalse();
    assertThat(Position.receivedAfter("2026-11-27T09:59:59.999Z", "2026-11-27T10:00:00.000Z")).isFalse();
    assertThat(Position.receivedAfter("2026-11-27T10:00:00.1Z", "2026-11-27T10:00:00.05Z")).as("other lengths: parsed").isTrue();
    assertThat(Position.receivedAfter("2026-11-27T11:00:00+02:00", "2026-11-27T09:30:00Z")).as("offsets: parsed").isFalse();
    assertThat(Position.receivedAfter("2026-11-27T12:00:00+02:00", "2026-11-27T09:30:00Z")).isTrue();
    assertThat(Position.receivedAfter(null, "2026-11-27T09:30:00Z")).isFalse();
    assertThat(Position.receivedAfter("soon", "2026-11-27T09:30:00Z")).isFalse();
  }

  @Test
  void withoutAReadableReceivedAtTheOffsetDecides() {
    index.offer(at("r1", null, 45.1, 2, 100));
    index.offer(at("r0", "2026-11-27T10:00:00.000Z", 45.0, 2, 99));
    assertThat(lat()).isEqualTo(45.1);
    index.offer(at("r2", "yesterday", 45.3, 2, 101));
    index.offer(at("r1", "2026-11-27T10:00:00.000Z", 45.1, 2, 100));
    assertThat(lat()).isEqualTo(45.3);
  }
}
