package io.codex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertNull;
import static org.junit.jupiter.api.Assertions.assertTrue;

import java.util.Locale;
import org.junit.jupiter.api.Test;

class IngestBenchTest {

  @Test
  void theClosedLoopBoundIsTheMessagesInFlightOverTheFasterKafkaAck() {
    Locale before = Locale.getDefault();
    Locale.setDefault(Locale.US);
    try {
      String line = IngestBench.closedLoopBound(160, 1.25, 0.80, 168_000);
      // 160 messages each waiting at least 0.80 ms: at most 200,000 per second
      assertTrue(line.startsWith("mqtt closed-loop bound = 200,000 msg/s"), line);
      assertTrue(line.contains("Codex's mean Kafka ack 0.80 ms"), line);
      assertTrue(line.contains("Mosquitto's best 168,000 = 0.84 of it"), line);
      assertTrue(IngestBench.closedLoopBound(160, null, 2.0, 0).startsWith("mqtt closed-loop bound = 80,000 msg/s"));
      assertEquals(-1, IngestBench.closedLoopBound(160, 1.0, null, 0).indexOf("Mosquitto"));
      assertNull(IngestBench.closedLoopBound(160, null, null, 100_000), "no ack measured, no bound");
    } finally {
      Locale.setDefault(before);
    }
  }
}
