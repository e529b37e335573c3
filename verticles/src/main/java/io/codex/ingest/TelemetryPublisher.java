package io.codex.ingest;

import io.codex.bridge.SharedProducer;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.header.internals.RecordHeaders;

/**
 * Hands normalised records to the node's producer: key deviceId (per-device order), headers
 * {@code sensorType} and {@code timestamp}, Kafka timestamp = when Codex received them. The
 * returned future completes on the caller's context once Kafka acknowledged every record (acks=all),
 * or fails once all have an outcome and one failed. The in-flight bound is released per record.
 */
public final class TelemetryPublisher {
  private final SharedProducer producer;
  private final String topic;
  private final InflightLimiter limiter;
  private final IngestMetrics metrics;

  public TelemetryPublisher(SharedProducer producer, String topic, InflightLimiter limiter, IngestMetrics metrics) {
    this.producer = producer;
    this.topic = topic;
    this.limiter = limiter;
    this.metrics = metrics;
  }

  public static long bytes(List<TelemetryParser.Parsed> records) {
    long n = 0;
    for (TelemetryParser.Parsed r : records) n += r.value().length;
    return n;
  }

  /** Sends records whose in-flight share was already acquired from the limiter. */
  public Future<Void> publish(Context ctx, List<TelemetryParser.Parsed> records, long receivedAtMs, String protocol) {
    Promise<Void> done = Promise.promise();
    ContextCompletions completions = ContextCompletions.of(ctx);
    AtomicInteger left = new AtomicInteger(records.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    for (TelemetryParser.Parsed r : records) {
      RecordHeaders headers = new RecordHeaders();
      headers.add("sensorType", r.sensorType().getBytes(StandardCharsets.UTF_8));
      headers.add("timestamp", r.timestamp().getBytes(StandardCharsets.UTF_8));
      ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, null, receivedAtMs, r.deviceId(), r.value(), headers);
      int size = r.value().length;
      producer.send(rec, (meta, err) -> {
        limiter.release(1, size);
        if (err != null) failure.compareAndSet(null, err);
        if (left.decrementAndGet() == 0) {
          Exception e = failure.get();
          if (e == null) {
            metrics.kafkaAck().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            metrics.records(protocol, "ok", records.size());
            completions.submit(done::complete);
          } else {
            metrics.records(protocol, "kafka_error", records.size());
            completions.submit(() -> done.fail(e));
          }
        }
      });
    }
    return done.future();
  }
}
