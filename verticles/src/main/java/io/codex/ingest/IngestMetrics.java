package io.codex.ingest;

import io.codex.api.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.atomic.AtomicInteger;

/** Ingest meters, named by what they measure; one set per node. */
public final class IngestMetrics implements Shareable {
  private final MeterRegistry registry;
  private final Timer kafkaAck;
  private final java.util.concurrent.ConcurrentHashMap<String, Counter> counters = new java.util.concurrent.ConcurrentHashMap<>();
  final AtomicInteger mqttConnections = new AtomicInteger();
  /** MQTT connections whose socket reads are stopped right now (too many PUBACKs held). */
  final AtomicInteger mqttPausedConnections = new AtomicInteger();
  final Counter mqttReadPauses;

  private IngestMetrics(MeterRegistry registry, InflightLimiter limiter) {
    this.registry = registry;
    this.kafkaAck = Timer.builder("codex.ingest.kafka.ack")
        .description("time from handing a request's records to Kafka to the last ack")
        .serviceLevelObjectives(java.time.Duration.ofMillis(1), java.time.Duration.ofMillis(5), java.time.Duration.ofMillis(10),
            java.time.Duration.ofMillis(20), java.time.Duration.ofMillis(50), java.time.Duration.ofMillis(100),
            java.time.Duration.ofMillis(250), java.time.Duration.ofSeconds(1), java.time.Duration.ofSeconds(5))
        .register(registry);
    Gauge.builder("codex.ingest.inflight.records", limiter, InflightLimiter::inflightRecords)
        .description("telemetry records sent to Kafka and not yet acknowledged").register(registry);
    Gauge.builder("codex.ingest.inflight.bytes", limiter, InflightLimiter::inflightBytes).register(registry);
    Gauge.builder("codex.mqtt.connections", mqttConnections, AtomicInteger::get).register(registry);
    Gauge.builder("codex.mqtt.connections.paused", mqttPausedConnections, AtomicInteger::get)
        .description("MQTT connections not read from until their held PUBACKs go out").register(registry);
    this.mqttReadPauses = Counter.builder("codex.mqtt.read.pauses")
        .description("times a connection's reads were stopped: receive window full of unacknowledged messages").register(registry);
  }

  public static IngestMetrics shared(Vertx vertx, InflightLimiter limiter) {
    return (IngestMetrics) vertx.sharedData().<String, Object>getLocalMap("codex.ingest").computeIfAbsent("metrics", k -> {
      return new IngestMetrics(NodeMetrics.registry(vertx), limiter);
    });
  }

  /**
   * Records that reached Kafka (outcome ok) or did not (kafka_error, overload); refused requests and
   * MQTT messages (invalid, forbidden, too_large), one each.
   */
  public void records(String protocol, String outcome, int n) {
    counter(protocol, outcome).increment(n);
  }

  /** The counter of {@link #records}, for callers that count on a hot path (look it up once). */
  public Counter counter(String protocol, String outcome) {
    return counters.computeIfAbsent(protocol + '/' + outcome, k -> Counter.builder("codex.ingest.records")
        .description("telemetry records by protocol and outcome")
        .tag("protocol", protocol).tag("outcome", outcome).register(registry));
  }

  public Timer kafkaAck() {
    return kafkaAck;
  }
}
