package io.codex.ingest;

import io.codex.bridge.ProducedTelemetry;
import io.codex.bridge.SharedProducer;
import io.micrometer.core.instrument.Counter;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicReference;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * Hands normalised records to the node's producer: key deviceId (per-device order), headers
 * {@code sensorType} and {@code timestamp}, Kafka timestamp = when Codex received them. The
 * returned future completes on the caller's context once Kafka acknowledged every record (acks=all),
 * or fails once all have an outcome and one failed. The in-flight bound is released per record;
 * each acknowledged record goes to {@link ProducedTelemetry} for this node's live feed.
 */
public final class TelemetryPublisher {
  private final SharedProducer producer;
  private final String topic;
  private final InflightLimiter limiter;
  private final IngestMetrics metrics;
  private final ProducedTelemetry produced;
  // counted from Kafka's I/O thread, which every acknowledgement waits for: looked up once
  private final Counter ok;
  private final Counter kafkaError;

  /** @param protocol {@code http} or {@code mqtt}: the label of what this publisher counts */
  public TelemetryPublisher(SharedProducer producer, ProducedTelemetry produced, String topic, InflightLimiter limiter,
      IngestMetrics metrics, String protocol) {
    this.producer = producer;
    this.produced = produced;
    this.topic = topic;
    this.limiter = limiter;
    this.metrics = metrics;
    this.ok = metrics.counter(protocol, "ok");
    this.kafkaError = metrics.counter(protocol, "kafka_error");
  }

  public static long bytes(List<TelemetryParser.Parsed> records) {
    long n = 0;
    for (TelemetryParser.Parsed r : records) n += r.value().length;
    return n;
  }

  /**
   * Sends the records once {@code acquired} (the limiter's answer for them) succeeded: right away
   * when it already has, the usual case, without composing futures per request.
   */
  public Future<Void> publishAfter(Future<Void> acquired, Context ctx, List<TelemetryParser.Parsed> records, long receivedAtMs) {
    return acquired.succeeded() ? publish(ctx, records, receivedAtMs) : acquired.compose(v -> publish(ctx, records, receivedAtMs));
  }

  /** Sends records whose in-flight share was already acquired from the limiter. */
  public Future<Void> publish(Context ctx, List<TelemetryParser.Parsed> records, long receivedAtMs) {
    Promise<Void> done = Promise.promise();
    ContextCompletions completions = ContextCompletions.of(ctx);
    AtomicInteger left = new AtomicInteger(records.size());
    AtomicReference<Exception> failure = new AtomicReference<>();
    long t0 = System.nanoTime();
    for (TelemetryParser.Parsed r : records) {
      // headers added to the record's own list: a ProducerRecord copies any list it is given
      ProducerRecord<String, byte[]> rec = new ProducerRecord<>(topic, null, receivedAtMs, r.deviceId(), r.value(), null);
      rec.headers()
          .add("sensorType", r.sensorType().getBytes(StandardCharsets.UTF_8))
          .add("timestamp", r.timestamp().getBytes(StandardCharsets.UTF_8));
      int size = r.value().length;
      ProducedTelemetry.Entry note = r.feed();   // for the live feed, once Kafka has the record
      producer.send(rec, (meta, err) -> {
        limiter.release(1, size);
        if (err != null) {
          failure.compareAndSet(null, err);
        } else {
          produced.acknowledged(meta.partition(), meta.offset(), note);
        }
        if (left.decrementAndGet() == 0) {
          Exception e = failure.get();
          if (e == null) {
            metrics.kafkaAck().record(System.nanoTime() - t0, TimeUnit.NANOSECONDS);
            ok.increment(records.size());
            completions.submit(done::complete);
          } else {
            kafkaError.increment(records.size());
            completions.submit(() -> done.fail(e));
          }
        }
      });
    }
    return done.future();
  }
}
