package io.codex.codecs;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;
import java.util.ArrayList;
import java.util.List;
import java.util.stream.Collectors;
import java.util.stream.IntStream;
import org.junit.jupiter.api.Test;

class CodecRoundTripTest {

  private static final String UNICODE = "Zürich ✓ 東京 😀";
  private static final byte[] JUNK = {1, 2, 3, 4, 5, 6, 7};

  /** Encodes after junk bytes and decodes at that position, as the clustered event bus does. */
  private static <T> T roundTrip(MessageCodec<T, T> codec, T value) {
    Buffer b = Buffer.buffer().appendBytes(JUNK);
    codec.encodeToWire(b, value);
    return codec.decodeFromWire(JUNK.length, b);
  }

  private static TelemetryRecord fullRecord() {
    return new TelemetryRecord("id-1", "dev-" + UNICODE, "2024-05-01T12:00:00.123Z", "2024-05-01T12:00:01Z",
        "gps", "{\"city\":\"" + UNICODE + "\"}", 47.3769, 8.5417, 408.0, "corr-1", 3, 42L);
  }

  @Test
  void telemetryRecordWithEveryFieldSetSurvivesRoundTrip() {
    TelemetryRecord r = fullRecord();
    assertThat(roundTrip(new TelemetryRecordCodec(), r)).isEqualTo(r);
  }

  @Test
  void telemetryRecordWithNullsAndEmptyStringsSurvivesRoundTrip() {
    TelemetryRecord r = new TelemetryRecord("", "", "", "", "", "", null, null, null, null, -1, -1L);
    TelemetryRecord back = roundTrip(new TelemetryRecordCodec(), r);
    assertThat(back).isEqualTo(r);
    assertThat(back.hasLocation()).isFalse();
  }

  @Test
  void telemetryRecordWithMaximalValuesSurvivesRoundTrip() {
    String payload = "{\"blob\":\"" + "ä".repeat(50 * 1024) + "\"}"; // > 100 KB of UTF-8
    TelemetryRecord r = new TelemetryRecord(UNICODE, UNICODE, UNICODE, UNICODE, UNICODE, payload,
        Double.MAX_VALUE, -Double.MAX_VALUE, Double.MIN_VALUE, UNICODE, Integer.MAX_VALUE, Long.MAX_VALUE);
    assertThat(roundTrip(new TelemetryRecordCodec(), r)).isEqualTo(r);
  }

  @Test
  void telemetryRecordCodecWritesEveryRecordComponent() {
    // Fails when a field is added to the record but not to the wire format.
    assertThat(TelemetryRecord.class.getRecordComponents()).hasSize(TelemetryRecordCodec.FIELD_COUNT);
  }

  @Test
  void hasLocationNeedsLatitudeAndLongitudeButNotAltitude() {
    TelemetryRecord r = fullRecord();
    assertThat(r.hasLocation()).isTrue();
    assertThat(new TelemetryRecord("i", "d", "t", "r", "s", "{}", 1.0, 2.0, null, null, -1, -1).hasLocation()).isTrue();
    assertThat(new TelemetryRecord("i", "d", "t", "r", "s", "{}", 1.0, null, 3.0, null, -1, -1).hasLocation()).isFalse();
  }

  @Test
  void deviceChangeWithUnicodeSurvivesRoundTrip() {
    DeviceChange c = new DeviceChange(UNICODE, DeviceChange.Kind.UPSERTED, true, List.of(UNICODE, "", "dev-2"));
    assertThat(roundTrip(new DeviceChangeCodec(), c)).isEqualTo(c);
  }

  @Test
  void deviceChangeWithNullsAndNoDevicesSurvivesRoundTrip() {
    DeviceChange c = new DeviceChange(null, null, false, null);
    DeviceChange back = roundTrip(new DeviceChangeCodec(), c);
    assertThat(back).isEqualTo(c);
    assertThat(back.devices()).isEmpty();
  }

  @Test
  void deviceChangeWithManyDevicesSurvivesRoundTrip() {
    List<String> devices = IntStream.range(0, 10_000).mapToObj(i -> "device-" + i + "-" + UNICODE)
        .collect(Collectors.toList());
    DeviceChange c = new DeviceChange("gw-1", DeviceChange.Kind.REVOKED, true, devices);
    assertThat(roundTrip(new DeviceChangeCodec(), c)).isEqualTo(c);
  }

  @Test
  void deviceChangeKeepsAnUnmodifiableCopyOfDevices() {
    List<String> devices = new ArrayList<>(List.of("a"));
    DeviceChange c = new DeviceChange("gw", DeviceChange.Kind.UPSERTED, true, devices);
    devices.add("b");
    assertThat(c.devices()).containsExactly("a");
    assertThat(c.devices()).isUnmodifiable();
  }

  @Test
  void transformReturnsTheSameImmutableInstance() {
    TelemetryRecord r = fullRecord();
    DeviceChange c = new DeviceChange("d", DeviceChange.Kind.REVOKED, false, List.of());
    assertThat(new TelemetryRecordCodec().transform(r)).isSameAs(r);
    assertThat(new DeviceChangeCodec().transform(c)).isSameAs(c);
  }

  @Test
  void everyCodecHasAUniqueVersionedNameAndIsNotASystemCodec() {
    assertThat(Codecs.all()).extracting(MessageCodec::name)
        .containsExactlyInAnyOrder(TelemetryRecordCodec.NAME, DeviceChangeCodec.NAME)
        .doesNotHaveDuplicates()
        .allMatch(n -> n.startsWith("codex.") && n.endsWith(".v1"));
    assertThat(Codecs.all()).allMatch(c -> c.systemCodecID() == -1);
  }
}
