package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.TelemetryRecord;
import io.codex.ingest.TelemetryParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.nio.charset.StandardCharsets;
import java.time.Instant;
import java.util.List;
import org.junit.jupiter.api.Test;

class ProducedTelemetryTest {
  private static final Instant NOW = Instant.parse("2026-11-26T12:00:00.123Z");

  private static List<TelemetryParser.Parsed> parse(String json) {
    return TelemetryParser.parse(json.replace('\'', '"').getBytes(StandardCharsets.UTF_8), false, null, 100, NOW);
  }

  @Test
  void theFeedTakesWhatThisNodeProducedAsDecodingWouldGiveIt() {
    List<TelemetryParser.Parsed> rs = parse("[{'deviceId':'truck-1','timestamp':1764158400000,'sensorType':'gps',"
        + "'payload':{'speed':12.5,'note':'ünï \\\"q\\\"'},'location':{'lat':48.8566,'lon':2.3522,'alt':35},'correlationId':'c\\n9'},"
        + "{'deviceId':'meter-2','timestamp':'2026-11-26T13:00:00+01:00','sensorType':'kwh','payload':{}}]");
    ProducedTelemetry produced = new ProducedTelemetry(new SimpleMeterRegistry());
    produced.open();
    produced.acknowledged(2, 1000, rs.get(0).feed());
    produced.acknowledged(0, 7, rs.get(1).feed());

    TelemetryRecord first = produced.take(2, 1000, rs.get(0).value().clone());
    assertThat(first).isEqualTo(TelemetryRecordReader.read(rs.get(0).value(), 2, 1000));
    assertThat(first.payloadJson()).isEqualTo("{\"speed\":12.5,\"note\":\"ünï \\\"q\\\"\"}");
    assertThat(first.alt()).isEqualTo(35.0);
    assertThat(first.correlationId()).isEqualTo("c\n9");
    TelemetryRecord second = produced.take(0, 7, rs.get(1).value().clone());
    assertThat(second).isEqualTo(TelemetryRecordReader.read(rs.get(1).value(), 0, 7));
    assertThat(second.lat()).isNull();
    assertThat(second.timestamp()).isEqualTo("2026-11-26T12:00:00.000Z");

    // taken once: read again (a rebalance, a restart) it is decoded
    assertThat(produced.take(2, 1000, rs.get(0).value())).isNull();
  }

  @Test
  void takesOnlyTheSameBytesAtTheSamePosition() {
    List<TelemetryParser.Parsed> rs = parse("[{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{'v':1}},"
        + "{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{'v':1}}]");
    ProducedTelemetry produced = new ProducedTelemetry(new SimpleMeterRegistry());
    produced.open();
    produced.acknowledged(1, 5, rs.get(0).feed());
    assertThat(produced.take(1, 5, rs.get(1).value())).as("another record (another id) at that offset").isNull();
    byte[] longer = java.util.Arrays.copyOf(rs.get(0).value(), rs.get(0).value().length + 1);
    assertThat(produced.take(1, 5, longer)).as("the same id, another length").isNull();
    byte[] otherId = rs.get(0).value().clone();
    otherId[7 + 35] = (byte) (otherId[7 + 35] == '0' ? '1' : '0');
    assertThat(produced.take(1, 5, otherId)).as("the last digit of the id differs").isNull();
    otherId[7 + 35] = 'X';
    assertThat(produced.take(1, 5, otherId)).as("not an id").isNull();
    assertThat(produced.take(0, 5, rs.get(0).value())).as("another partition").isNull();
    assertThat(produced.take(1, 5 + ProducedTelemetry.SLOTS, rs.get(0).value())).as("the same record in that slot, a ring of offsets later: its fields are read all the same")
        .isNotNull();
    assertThat(produced.take(7, 5, rs.get(0).value())).as("a partition never produced to").isNull();
    assertThat(produced.take(1, 6, null)).isNull();
  }

  @Test
  void keepsNothingWithoutAFeedAndAtMostARingPerPartition() {
    TelemetryParser.Parsed r = parse("{'deviceId':'a','timestamp':1,'sensorType':'t','payload':{}}").get(0);
    ProducedTelemetry produced = new ProducedTelemetry(new SimpleMeterRegistry());
    produced.acknowledged(0, 1, r.feed());
    produced.open();
    assertThat(produced.take(0, 1, r.value())).as("acknowledged before any feed read").isNull();

    produced.acknowledged(0, 1, r.feed());
    TelemetryParser.Parsed later = parse("{'deviceId':'b','timestamp':1,'sensorType':'t','payload':{}}").get(0);
    produced.acknowledged(0, 1 + ProducedTelemetry.SLOTS, later.feed());
    assertThat(produced.take(0, 1, r.value())).as("overwritten a ring later").isNull();
    assertThat(produced.take(0, 1 + ProducedTelemetry.SLOTS, later.value())).isNotNull();

    produced.acknowledged(0, 2, r.feed());
    produced.close();
    produced.open();
    assertThat(produced.take(0, 2, r.value())).as("dropped when the last feed stopped").isNull();
  }
}
