package io.codex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.TestNode;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.io.OutputStreamWriter;
import java.io.Writer;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The raw-producer side of {@code bench ingest}'s HTTP turn-taking: Kafka's ProducerPerformance kept
 * warm in a child JVM sends, turn after turn, the records each turn asks for, and the counts the
 * bench reads from its output are what the broker holds.
 */
class RawProducerTurnsIT {
  @TempDir Path dir;

  @Test
  void eachTurnSendsTheRecordsAskedForAndTheBrokerHoldsThem() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"));
        Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic(IngestBench.RAW_TOPIC, 6, (short) 1))).all().get();
      Process p = new ProcessBuilder(IngestBench.rawCommand(RawProducerTurns.class.getName(), node.bootstrapServers()))
          .redirectErrorStream(true).start();
      double[] first;
      double[] second;
      try (BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
          Writer to = new OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
        first = IngestBench.rawTurn(from, to, 20_000);
        second = IngestBench.rawTurn(from, to, 30_000);
      } finally {
        p.destroy();
      }
      assertThat(first[0]).isEqualTo(20_000);
      assertThat(second[0]).isEqualTo(30_000);
      assertThat(first[1]).as("seconds of the first turn").isPositive();
      assertThat(second[1]).as("seconds of the second turn").isPositive();

      Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
      for (int i = 0; i < 6; i++) ends.put(new TopicPartition(IngestBench.RAW_TOPIC, i), OffsetSpec.latest());
      long held = admin.listOffsets(ends).all().get().values().stream().mapToLong(r -> r.offset()).sum();
      assertThat(held).isEqualTo(50_000);
    }
  }
}
