package io.codex.testing;

import java.time.Duration;
import java.util.function.Supplier;

/** Polls a condition that another node or consumer makes true asynchronously. */
public final class Eventually {
  private Eventually() {}

  /** Waits until the condition holds; returns how long it took, or fails with {@code what}. */
  public static Duration within(Duration timeout, String what, Supplier<Boolean> condition) throws InterruptedException {
    long t0 = System.nanoTime();
    long deadline = t0 + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (Boolean.TRUE.equals(condition.get())) return Duration.ofNanos(System.nanoTime() - t0);
      Thread.sleep(20);
    }
    throw new AssertionError("not within " + timeout.toMillis() + " ms: " + what);
  }
}
