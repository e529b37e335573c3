package io.codex.ingest;

import io.vertx.core.Context;
import java.util.concurrent.ConcurrentLinkedQueue;
import java.util.concurrent.atomic.AtomicBoolean;

/**
 * Hands completions from Kafka's I/O thread back to an event loop, one wake-up per burst: a produce
 * response completes many records at once, and waking the event loop once per record (an eventfd
 * write each) costs more than the work itself. One instance per context.
 */
final class ContextCompletions {
  private static final String KEY = "codex.ingest.completions";

  private final Context ctx;
  private final ConcurrentLinkedQueue<Runnable> queue = new ConcurrentLinkedQueue<>();
  private final AtomicBoolean scheduled = new AtomicBoolean();

  private ContextCompletions(Context ctx) {
    this.ctx = ctx;
  }

  /** The instance of {@code ctx}; call on that context's thread. */
  static ContextCompletions of(Context ctx) {
    ContextCompletions c = ctx.get(KEY);
    if (c == null) {
      c = new ContextCompletions(ctx);
      ctx.put(KEY, c);
    }
    return c;
  }

  /** Runs {@code task} on the context; safe from any thread. */
  void submit(Runnable task) {
    queue.add(task);
    if (scheduled.compareAndSet(false, true)) ctx.runOnContext(v -> drain());
  }

  private void drain() {
    scheduled.set(false);
    Runnable r;
    while ((r = queue.poll()) != null) r.run();
  }
}
