package io.codex.bridge;

import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicLong;
import java.util.concurrent.locks.LockSupport;
import org.apache.kafka.clients.producer.Producer;
import org.apache.kafka.common.Metric;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Lets a produce request leave before {@code linger.ms} is up once enough records wait for it.
 *
 * <p>The linger groups a node's records into fewer requests while it is below saturation, which
 * saves CPU. But devices that wait for their answers (an MQTT window of QoS 1 messages, HTTP
 * clients awaiting their 202) send nothing more until Kafka acknowledges what they sent, so there
 * the linger only adds its time to every round. Once {@code records} records wait and no request
 * took them, waiting longer cannot make the request much fuller, and they are sent at once: a
 * thread of its own calls {@link Producer#flush()}, the producer's one way to skip the linger (it
 * returns when those records have their outcome; what arrives meanwhile leaves at once too).
 *
 * <p>How many records wait: those handed to the producer, minus those that the producer counted
 * into requests ({@code record-send-total}), minus an offset set whenever every record handed over
 * had its outcome (records that expired before any request, or were counted twice on a retry, would
 * otherwise skew the count). Event loops only count and, every {@code records} records, read that
 * metric; they never wait.
 */
final class EarlySend implements AutoCloseable {
  private static final Logger LOG = LoggerFactory.getLogger(EarlySend.class);

  private final Producer<?, ?> producer;
  private final int records;
  private final Metric inRequests;
  private final AtomicLong handedOver = new AtomicLong();
  private final AtomicLong completed = new AtomicLong();
  private final AtomicLong sends = new AtomicLong();
  private final AtomicBoolean wanted = new AtomicBoolean();
  private final Thread thread;
  private volatile long offset;
  // records known to have left in requests at the last look (plus the offset)
  private volatile long seenLeft;
  private volatile boolean closed;

  private EarlySend(Producer<?, ?> producer, int records, Metric inRequests) {
    this.producer = producer;
    this.records = records;
    this.inRequests = inRequests;
    this.thread = new Thread(this::run, "codex-kafka-early-send");
    thread.setDaemon(true);
  }

  /** Null when {@code records} is 0 (off) or the producer has no {@code record-send-total} metric. */
  static EarlySend start(Producer<?, ?> producer, int records) {
    if (records <= 0) return null;
    Metric m = producer.metrics().entrySet().stream()
        .filter(e -> e.getKey().name().equals("record-send-total") && e.getKey().group().equals("producer-metrics"))
        .map(java.util.Map.Entry::getValue).findFirst().orElse(null);
    if (m == null) {
      LOG.warn("the Kafka producer has no record-send-total metric: requests leave on the linger only");
      return null;
    }
    EarlySend s = new EarlySend(producer, records, m);
    s.thread.start();
    return s;
  }

  /** After the producer accepted a record (any thread; never waits). */
  void handedOver() {
    long n = handedOver.incrementAndGet();
    if (n - seenLeft < records || wanted.get()) return;
    long left = left();
    seenLeft = left;
    if (n - left >= records && wanted.compareAndSet(false, true)) LockSupport.unpark(thread);
  }

  /** After a record handed over had its outcome (the producer's I/O thread). */
  void completed() {
    long c = completed.incrementAndGet();
    if (c == handedOver.get()) {
      // nothing waits and nothing is out: whatever the metric says, none of them is waiting
      offset = c - sentInRequests();
      seenLeft = c;
    }
  }

  /** How many times records were sent before the linger was up. */
  long earlySends() {
    return sends.get();
  }

  private long left() {
    return sentInRequests() + offset;
  }

  private long sentInRequests() {
    Object v = inRequests.metricValue();
    return v instanceof Number n ? n.longValue() : 0;
  }

  private void run() {
    while (!closed) {
      if (!wanted.get()) {
        LockSupport.park(this);
        continue;
      }
      try {
        producer.flush();
        sends.incrementAndGet();
      } catch (RuntimeException e) {
        if (closed) return;
        LOG.debug("early send: {}", e.toString());
      }
      wanted.set(false);
    }
  }

  @Override
  public void close() {
    closed = true;
    thread.interrupt();
    try {
      thread.join(1_000);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
    }
  }
}
