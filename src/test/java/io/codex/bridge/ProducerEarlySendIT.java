package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.Devices;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.MarkedRecords;
import io.codex.testing.TestNode;
import java.nio.file.Path;
import java.util.Map;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code kafka.producer.earlySendRecords}: once that many records wait for a produce request, they
 * leave without waiting out {@code lingerMs}; fewer wait for the linger. With a linger of
 * {@link #LINGER_MS}, the answer to a request that carries enough records comes long before it.
 */
class ProducerEarlySendIT {
  static final int LINGER_MS = 6_000;
  static final int EARLY = 20;
  @TempDir Path dir;

  @Test
  void enoughWaitingRecordsLeaveBeforeTheLingerAndFewerWaitForIt() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of(
        "kafka.producer.lingerMs", LINGER_MS, "kafka.producer.earlySendRecords", EARLY))) {
      String auth = Http.basic("pump-1", new Devices(node).create("pump-1"));
      String url = node.url("/api/v1/telemetry");
      double earlyBefore = node.metric("codex_kafka_producer_early_sends_total");

      long t0 = System.nanoTime();
      Http.Response few = Http.send("POST", url, auth, "application/json", MarkedRecords.array("pump-1", "few", EARLY - 5));
      long fewMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(few.status()).as(few.body()).isEqualTo(202);
      assertThat(fewMs).as("%d records, fewer than %d, wait for the linger", EARLY - 5, EARLY).isGreaterThanOrEqualTo(LINGER_MS - 1_000);
      assertThat(node.metric("codex_kafka_producer_early_sends_total")).isEqualTo(earlyBefore);

      t0 = System.nanoTime();
      Http.Response enough = Http.send("POST", url, auth, "application/json", MarkedRecords.array("pump-1", "enough", EARLY));
      long enoughMs = (System.nanoTime() - t0) / 1_000_000;
      assertThat(enough.status()).as(enough.body()).isEqualTo(202);
      assertThat(enoughMs).as("%d records leave without waiting out a linger of %d ms", EARLY, LINGER_MS).isLessThan(LINGER_MS / 2);
      assertThat(node.metric("codex_kafka_producer_early_sends_total")).isGreaterThan(earlyBefore);

      assertThat(KafkaTopics.telemetryMarkers(node)).contains("few-0", "few-14", "enough-0", "enough-19");
    }
  }
}
