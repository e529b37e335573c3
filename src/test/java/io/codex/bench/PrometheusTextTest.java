package io.codex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;
import static org.junit.jupiter.api.Assertions.assertTrue;

import org.junit.jupiter.api.Test;

class PrometheusTextTest {
  private static final String SCRAPE = """
      # HELP codex_geocode_cache_total geocoding answers
      codex_geocode_cache_total{result="hit"} 30.0
      codex_geocode_cache_total{result="miss"} 10.0
      jvm_memory_used_bytes{area="heap",id="G1 Eden Space"} 1.5E8
      jvm_memory_used_bytes{area="nonheap",id="Metaspace"} 5.0E7
      codex_ingest_kafka_ack_seconds_count 4.0
      codex_ingest_kafka_ack_seconds_sum 0.006
      codex_ingest_kafka_ack_seconds_max 0.002
      """;

  @Test
  void sumsTheSamplesOfEveryLineWithThePrefix() {
    assertEquals(2.0E8, PrometheusText.sum(SCRAPE, "jvm_memory_used_bytes{").getAsDouble());
    assertEquals(30.0, PrometheusText.sum(SCRAPE, "codex_geocode_cache_total{result=\"hit\"").getAsDouble());
    assertEquals(4.0, PrometheusText.sum(SCRAPE, "codex_ingest_kafka_ack_seconds_count", "codex_geocode_nothing").getAsDouble());
    assertEquals(0.006, PrometheusText.sum(SCRAPE, "codex_ingest_kafka_ack_seconds_sum").getAsDouble());
  }

  @Test
  void emptyWhenNoLineHasThePrefixAndCommentsAreNotSamples() {
    assertTrue(PrometheusText.sum(SCRAPE, "codex_up").isEmpty());
    assertTrue(PrometheusText.sum(SCRAPE, "codex_geocode_cache_entries").isEmpty());
    assertTrue(PrometheusText.sum("", "jvm_memory_used_bytes{").isEmpty());
  }
}
