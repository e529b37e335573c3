package io.codex.bridge;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Map;
import org.apache.kafka.clients.producer.Callback;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.clients.producer.RecordMetadata;
import org.apache.kafka.common.errors.TimeoutException;
import org.apache.kafka.common.serialization.ByteArraySerializer;
import org.apache.kafka.common.serialization.StringSerializer;

/**
 * The one Kafka producer of a node (acks=all, idempotent, batching), created by the launcher and
 * shared by every verticle. Sends are made straight from event loops: {@code max.block.ms} is 0, so
 * {@code send} never waits for metadata or buffer space (ingest bounds what is in flight far below
 * {@code buffer.memory}); a send that would have waited fails at once and is retried on a timer.
 */
public final class SharedProducer implements Shareable, AutoCloseable {
  private static final String KEY = "producer";
  private static final int METADATA_RETRIES = 40;

  private final Producer<String, byte[]> producer;
  private final EarlySend early;   // null: requests leave on the linger only

  private SharedProducer(Producer<String, byte[]> producer, int earlySendRecords) {
    this.producer = producer;
    this.early = EarlySend.start(producer, earlySendRecords);
  }

  /** Creates the node's producer and makes it the one {@link #of} returns. */
  public static SharedProducer create(Vertx vertx, KafkaSettings settings) {
    Map<String, Object> props = new java.util.HashMap<>(settings.producerConfig());
    props.remove("key.serializer");
    props.remove("value.serializer");
    SharedProducer p = new SharedProducer(new KafkaProducer<>(props, new StringSerializer(), new ByteArraySerializer()),
        settings.lingerMs() > 0 ? settings.earlySendRecords() : 0);
    NodeLocal.register(vertx, KEY, p, "producer", () -> {
      p.stopEarlySend();
      p.producer.close(Duration.ZERO);
    });
    return p;
  }

  public static SharedProducer of(Vertx vertx) {
    return (SharedProducer) NodeLocal.get(vertx, KEY, "producer");
  }

  public Producer<String, byte[]> raw() {
    return producer;
  }

  /** Sends on the producer's I/O thread; the callback runs there too (hop to a context yourself). */
  public void send(ProducerRecord<String, byte[]> record, Callback callback) {
    EarlySend e = early;
    try {
      if (e == null) {
        producer.send(record, callback);
      } else {
        producer.send(record, (meta, err) -> {
          e.completed();
          callback.onCompletion(meta, err);
        });
        e.handedOver();
      }
    } catch (RuntimeException ex) {
      callback.onCompletion(null, ex);
    }
  }

  /** How many times records were sent before the linger was up ({@code kafka.producer.earlySendRecords}). */
  public long earlySends() {
    return early == null ? 0 : early.earlySends();
  }

  private void stopEarlySend() {
    if (early != null) early.close();
  }

  /** For low-rate writes (registry, audit): completes on the caller's context. */
  public Future<RecordMetadata> send(Vertx vertx, String topic, String key, String valueOrNull) {
    byte[] value = valueOrNull == null ? null : valueOrNull.getBytes(StandardCharsets.UTF_8);
    Context ctx = vertx.getOrCreateContext();
    Promise<RecordMetadata> promise = Promise.promise();
    attempt(vertx, ctx, new ProducerRecord<>(topic, key, value), promise, 0);
    return promise.future();
  }

  private void attempt(Vertx vertx, Context ctx, ProducerRecord<String, byte[]> record, Promise<RecordMetadata> promise, int tries) {
    send(record, (meta, err) -> ctx.runOnContext(v -> {
      if (err == null) {
        promise.complete(meta);
      } else if (err instanceof TimeoutException && meta == null && tries < METADATA_RETRIES) {
        // metadata or buffer not available right now: the producer fetches it in the background
        vertx.setTimer(50, id -> attempt(vertx, ctx, record, promise, tries + 1));
      } else {
        promise.fail(err);
      }
    }));
  }

  /** Waits (launcher thread, before verticles) until the producer knows where these topics live. */
  public void warmUp(Iterable<String> topics, Duration timeout) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    for (String topic : topics) {
      while (true) {
        try {
          producer.partitionsFor(topic);
          break;
        } catch (TimeoutException e) {
          if (System.nanoTime() > deadline) throw new IllegalStateException("no metadata for topic " + topic + " within " + timeout);
          Thread.sleep(20);
        }
      }
    }
  }

  /** Flushes what is buffered (waits for the acks) and closes. */
  @Override
  public void close() {
    stopEarlySend();
    producer.flush();
    producer.close(Duration.ofSeconds(10));
  }
}
