package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.TelemetryRecord;
import io.codex.ingest.TelemetryParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducedTelemetryTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00.123Z");

  static List<TelemetryParser.Parsed> parse(String json) {
    return TelemetryParser.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), false, null, 100, NOW);
  }

  @Test
  void anAcknowledgedRecordIsBuiltAsDecodingItsValueWouldGiveIt() {
    List<TelemetryParser.Parsed> rs = parse("[{'deviceId':'truck-1','timestamp':1764158400000,'sensorType':'gps',"
        + "'payload':{'speed':12.5,'note':'ünï \\\"q\\\"'},'location':{'lat':48.8566,'lon':2.3522,'alt':35},'correlationId':'c\\n9'},"
        + "{'deviceId':'meter-2','timestamp':'2026-11-26T13:00:00+01:00','sensorType':'kwh','payload':{}}]");
    ProducedTelemetry produced = new ProducedTelemetry(new SimpleMeterRegistry());
    produced.open();
    produced.acknowledged(2, 1000, rs.get(0).feed());
    produced.acknowledged(0, 7, rs.get(1).feed());
    List<ProducedTelemetry.Entry> acked = new ArrayList<>();
    assertThat(produced.drainTo(acked)).isEqualTo(2);

    TelemetryRecord first = acked.get(0).record();
    assertThat(first).isEqualTo(TelemetryRecordReader.read(rs.get(0).value(), 2, 1000));
    assertThat(first.payloadJson()).isEqualTo("{\"speed\":12.5,\"note\":\"ünï \\\"q\\\"\"}");
    assertThat(first.alt()).isEqualTo(35.0);
    assertThat(first.correlationId()).isEqualTo("c\n9");
    TelemetryRecord second = acked.get(1).record();
    assertThat(second).isEqualTo(TelemetryRecordReader.read(rs.get(1).value(), 0, 7));
    assertThat(second.lat()).isNull();
    assertThat(second.timestamp()).isEqualTo("2026-11-26T12:00:00.000Z");
  }

  @Test
  void describesOnlyTheSameBytes() {
    List<TelemetryParser.Parsed> rs = parse("[{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{'v':1}},"
        + "{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{'v':1}}]");
    ProducedTelemetry.Entry e = rs.get(0).feed();
    assertThat(e.describes(rs.get(0).value().clone())).isTrue();
    assertThat(e.describes(rs.get(1).value())).as("another record (another id)").isFalse();
    byte[] longer = java.util.Arrays.copyOf(rs.get(0).value(), rs.get(0).value().length + 1);
    assertThat(e.describes(longer)).as("the same id, another length").isFalse();
    byte[] otherId = rs.get(0).value().clone();
    otherId[7 + 35] = (byte) (otherId[7 + 35] == '0' ? '1' : '0');
    assertThat(e.describes(otherId)).as("the last digit of the id differs").isFalse();
    otherId[7 + 35] = 'X';
    assertThat(e.describes(otherId)).as("not an id").isFalse();
  }

  @Test
  void keepsNothingWithoutAFeedAndAtMostItsCapacity() {
    TelemetryParser.Parsed r = parse("{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{}}").get(0);
    ProducedTelemetry produced = new ProducedTelemetry(new SimpleMeterRegistry());
    List<ProducedTelemetry.Entry> acked = new ArrayList<>();
    produced.acknowledged(0, 1, r.feed());
    produced.open();
    assertThat(produced.drainTo(acked)).as("acknowledged before any feed read").isZero();

    for (int i = 0; i < ProducedTelemetry.CAPACITY + 10; i++) {
      produced.acknowledged(0, i, parse("{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{}}").get(0).feed());
    }
    assertThat(produced.drainTo(acked)).as("the rest is read back from Kafka").isEqualTo(ProducedTelemetry.CAPACITY);

    acked.clear();
    produced.acknowledged(0, 2, r.feed());
    produced.close();
    produced.open();
    assertThat(produced.drainTo(acked)).as("dropped when the last feed stopped").isZero();
  }
}
