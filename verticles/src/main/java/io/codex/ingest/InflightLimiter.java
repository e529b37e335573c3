package io.codex.ingest;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The node-wide bound on telemetry not yet acknowledged by Kafka, in records and in bytes. Work
 * over the bound waits in a bounded FIFO for a bounded time, and is refused past that: the
 * platform never queues without limit, whatever Kafka does.
 */
public final class InflightLimiter implements Shareable {
  /** Refusal when the node is at capacity; HTTP answers it with 503 and Retry-After. */
  public static final class Full extends RuntimeException {
    Full(String message) {
      super(message, null, false, false);
    }
  }

  private final long maxRecords;
  private final long maxBytes;
  private final int maxWaiters;
  private final AtomicLong records = new AtomicLong();
  private final AtomicLong bytes = new AtomicLong();
  private final AtomicInteger waiting = new AtomicInteger();
  private final ConcurrentLinkedQueue<Waiter> waiters = new ConcurrentLinkedQueue<>();

  private record Waiter(int records, long bytes, Context ctx, Promise<Void> promise, AtomicBoolean done) {}

  public InflightLimiter(long maxRecords, long maxBytes, int maxWaiters) {
    this.maxRecords = maxRecords;
    this.maxBytes = maxBytes;
    this.maxWaiters = maxWaiters;
  }

  /** The node's limiter: one per Vertx, shared by the HTTP and MQTT verticles. */
  public static InflightLimiter shared(Vertx vertx, IngestConfig cfg) {
    return (InflightLimiter) vertx.sharedData().<String, Object>getLocalMap("codex.ingest").computeIfAbsent("limiter",
        k -> new InflightLimiter(cfg.maxInflightRecords(), cfg.maxInflightBytes(), cfg.maxWaiters()));
  }

  public boolean tryAcquire(int n, long size) {
    while (true) {
      long r = records.get();
      // a single request larger than the byte bound still passes when nothing else is in flight
      if (r + n > maxRecords || (r > 0 && bytes.get() + size > maxBytes)) return false;
      if (records.compareAndSet(r, r + n)) {
        bytes.addAndGet(size);
        return true;
      }
    }
  }

  /**
   * Acquires now, or waits in FIFO order up to {@code maxWaitMs} (0: do not wait; negative: wait
   * as long as it takes). Completes on {@code ctx}; fails with {@link Full}.
   */
  public Future<Void> acquire(Context ctx, int n, long size, long maxWaitMs) {
    if (waiters.isEmpty() && tryAcquire(n, size)) return Future.succeededFuture();
    if (maxWaitMs == 0 || waiting.get() >= maxWaiters) {
      return Future.failedFuture(new Full("ingest is at capacity (" + records.get() + " records in flight)"));
    }
    Promise<Void> promise = Promise.promise();
    Waiter w = new Waiter(n, size, ctx, promise, new AtomicBoolean());
    waiting.incrementAndGet();
    waiters.add(w);
    if (maxWaitMs > 0) {
      long timer = ctx.owner().setTimer(maxWaitMs, id -> {
        if (w.done().compareAndSet(false, true)) {
          waiting.decrementAndGet();
          w.promise().fail(new Full("ingest stayed at capacity for " + maxWaitMs + " ms"));
        }
      });
      promise.future().onComplete(ar -> ctx.owner().cancelTimer(timer));
    }
    drain();
    return promise.future();
  }

  public void release(int n, long size) {
    records.addAndGet(-n);
    bytes.addAndGet(-size);
    if (!waiters.isEmpty()) drain();
  }

  private void drain() {
    Waiter w;
    while ((w = waiters.peek()) != null) {
      if (w.done().get()) {
        waiters.remove(w);
        continue;
      }
      if (!tryAcquire(w.records(), w.bytes())) return;
      waiters.remove(w);
      if (w.done().compareAndSet(false, true)) {
        waiting.decrementAndGet();
        Promise<Void> p = w.promise();
        w.ctx().runOnContext(v -> p.complete());
      } else {
        release(w.records(), w.bytes());
      }
    }
  }

  public long inflightRecords() {
    return records.get();
  }

  public long inflightBytes() {
    return bytes.get();
  }
}
