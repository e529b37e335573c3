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
      String line = IngestBench.closedLoopBound(160, 168_000, 1.25, 0.80);
      // 160 messages each waiting at least 0.80 ms: at most 200,000 per second
      assertTrue(line.startsWith("mqtt closed-loop bound = 200,000 msg/s"), line);
      assertTrue(line.contains("Codex's mean Kafka ack 0.80 ms"), line);
      assertTrue(line.contains("Mosquitto's best 168,000 = 0.84 of it"), line);
      assertTrue(IngestBench.closedLoopBound(160, 0, null, 2.0).startsWith("mqtt closed-loop bound = 80,000 msg/s"));
      assertEquals(-1, IngestBench.closedLoopBound(160, 0, 1.0, null).indexOf("Mosquitto"));
      assertNull(IngestBench.closedLoopBound(160, 100_000, null, null), "no ack measured, no bound");
    } finally {
      Locale.setDefault(before);
    }
  }

  @Test
  void aRemoteNodesDevicesGetAPrefixOfTheirOwnAsLongAsBenchs() {
    java.util.Set<String> seen = new java.util.HashSet<>();
    for (int i = 0; i < 200; i++) {
      String p = IngestBench.runPrefix();
      assertTrue(p.matches("b[0-9a-z]{4}-"), p);
      assertEquals("bench-".length(), p.length());
      seen.add(p);
    }
    assertTrue(seen.size() > 190, "new on (almost) every run: " + seen.size());
  }

  @Test
  void aRemoteNodesMemoryIsWhatItsJvmReportsInUse() {
    String scrape = "# HELP jvm_memory_used_bytes The amount of used memory\n"
        + "jvm_memory_used_bytes{area=\"heap\",id=\"G1 Eden Space\"} 1.048576E8\n"
        + "jvm_memory_used_bytes{area=\"nonheap\",id=\"Metaspace\"} 5.24288E7\n"
        + "jvm_memory_max_bytes{area=\"heap\",id=\"G1 Eden Space\"} 9.99E9\n";
    assertEquals(150, IngestBench.jvmMemoryUsedMb(scrape));
    assertEquals(-1, IngestBench.jvmMemoryUsedMb("codex_up 1\n"));
  }

  @Test
  void theKafkaAckIsSplitIntoTheRecordsWaitAndTheRequestFromTheProducersOwnMetrics() {
    String scrape = "# TYPE kafka_producer_record_queue_time_avg gauge\n"
        + "kafka_producer_record_queue_time_avg{client_id=\"codex-producer\",kafka_version=\"4.4.0\"} 1.0716\n"
        + "kafka_producer_request_latency_avg{client_id=\"codex-producer\",kafka_version=\"4.4.0\"} 0.638\n"
        + "kafka_producer_request_latency_max{client_id=\"codex-producer\",kafka_version=\"4.4.0\"} 9.0\n";
    assertEquals("  kafka-record-wait=1.07ms  kafka-request=0.64ms", IngestBench.producerSplit(scrape));
    // a producer that has sent nothing yet reports NaN: no split rather than "NaN ms"
    assertEquals("", IngestBench.producerSplit(scrape.replace("1.0716", "NaN")));
    assertEquals("", IngestBench.producerSplit("codex_up 1\n"));
    assertEquals("", IngestBench.producerSplit(null));
  }
}
