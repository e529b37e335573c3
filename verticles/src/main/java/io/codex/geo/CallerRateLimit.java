package io.codex.geo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import java.time.Duration;

/**
 * A token bucket per caller (the token's subject): {@code perSecond} tokens a second up to
 * {@code burst}. Buckets live in a bounded map and are forgotten once idle long enough to be full
 * again, so that forgetting one changes nothing; a node with more distinct callers than the bound
 * forgets the least recent, which can only make it more lenient.
 */
final class CallerRateLimit {
  static final int MAX_CALLERS = 100_000;

  private final double perSecond;
  private final double burst;
  private final Ticker ticker;
  private final Cache<String, Bucket> buckets;

  CallerRateLimit(double perSecond, int burst, Ticker ticker) {
    this.perSecond = perSecond;
    this.burst = burst;
    this.ticker = ticker;
    long refillNanos = (long) Math.ceil(burst / perSecond * 1e9);
    this.buckets = Caffeine.newBuilder()
        .maximumSize(MAX_CALLERS)
        .expireAfterAccess(Duration.ofNanos(Math.max(refillNanos, 1_000_000_000L)))
        .ticker(ticker)
        .executor(Runnable::run)
        .build();
  }

  /** Takes a token for {@code caller}: 0 when the call may go on, else the seconds until one is free (≥ 1). */
  long acquire(String caller) {
    long now = ticker.read();
    return buckets.get(caller, k -> new Bucket(burst, now)).take(now, perSecond, burst);
  }

  private static final class Bucket {
    private double tokens;
    private long at;

    Bucket(double tokens, long at) {
      this.tokens = tokens;
      this.at = at;
    }

    synchronized long take(long now, double perSecond, double burst) {
      if (now > at) {
        tokens = Math.min(burst, tokens + (now - at) / 1e9 * perSecond);
        at = now;
      }
      if (tokens >= 1) {
        tokens -= 1;
        return 0;
      }
      return Math.max(1, (long) Math.ceil((1 - tokens) / perSecond));
    }
  }
}
