package io.codex.testing;

import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;

/** Reads a topic from the beginning with an independent consumer, as an outside tool would. */
public final class KafkaTopics {
  private KafkaTopics() {}

  public static List<ConsumerRecord<String, String>> readAll(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrap, "group.id", "test-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      List<ConsumerRecord<String, String>> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 15_000;
      while (System.currentTimeMillis() < deadline) {
        c.poll(Duration.ofMillis(300)).forEach(out::add);
        if (!c.assignment().isEmpty()) {
          Map<org.apache.kafka.common.TopicPartition, Long> ends = c.endOffsets(c.assignment());
          if (c.assignment().stream().allMatch(tp -> c.position(tp) >= ends.get(tp))) break;
        }
      }
      return out;
    }
  }

  /** The {@code payload.marker} of every record in {@code codex.telemetry}, in the order read (per partition, Kafka's). */
  public static List<String> telemetryMarkers(TestNode node) {
    return readAll(node.bootstrapServers(), "codex.telemetry").stream()
        .map(r -> new io.vertx.core.json.JsonObject(r.value()).getJsonObject("payload").getString("marker")).toList();
  }
}
