package io.codex.ingest;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import io.vertx.micrometer.backends.BackendRegistries;
import java.util.concurrent.atomic.AtomicInteger;

/** Ingest meters, named by what they measure; one set per node. */
public final class IngestMetrics implements Shareable {
  private final MeterRegistry registry;
  private final Timer kafkaAck;
  final AtomicInteger mqttConnections = new AtomicInteger();

  private IngestMetrics(MeterRegistry registry, InflightLimiter limiter) {
    this.registry = registry;
    this.kafkaAck = Timer.builder("codex.ingest.kafka.ack")
        .description("time from handing a request's records to Kafka to the last ack")
        .publishPercentiles(0.5, 0.99).register(registry);
    Gauge.builder("codex.ingest.inflight.records", limiter, InflightLimiter::inflightRecords)
        .description("telemetry records sent to Kafka and not yet acknowledged").register(registry);
    Gauge.builder("codex.ingest.inflight.bytes", limiter, InflightLimiter::inflightBytes).register(registry);
    Gauge.builder("codex.mqtt.connections", mqttConnections, AtomicInteger::get).register(registry);
  }

  public static IngestMetrics shared(Vertx vertx, InflightLimiter limiter) {
    return (IngestMetrics) vertx.sharedData().<String, Object>getLocalMap("codex.ingest").computeIfAbsent("metrics", k -> {
      MeterRegistry r = BackendRegistries.getDefaultNow();
      return new IngestMetrics(r != null ? r : new SimpleMeterRegistry(), limiter);
    });
  }

  /** Records that reached Kafka (outcome ok) or did not (kafka_error, overload, invalid, forbidden). */
  public void records(String protocol, String outcome, int n) {
    Counter.builder("codex.ingest.records").tag("protocol", protocol).tag("outcome", outcome)
        .register(registry).increment(n);
  }

  public Timer kafkaAck() {
    return kafkaAck;
  }
}
