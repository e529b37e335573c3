package io.codex.geo;

import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.Meter;
import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.Timer;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.function.Supplier;

/**
 * Geocoding meters, named by what they measure, one set per node: provider calls by outcome and
 * their latency, cache hits and misses, callers refused by the rate limit, each provider's circuit
 * state. Removed from the registry when the node's geocoding service closes.
 */
final class GeocodeMetrics {
  private static final Duration[] SLOS = {Duration.ofMillis(1), Duration.ofMillis(5), Duration.ofMillis(10),
      Duration.ofMillis(25), Duration.ofMillis(50), Duration.ofMillis(100), Duration.ofMillis(250),
      Duration.ofMillis(500), Duration.ofSeconds(1), Duration.ofSeconds(2), Duration.ofSeconds(5)};

  private final MeterRegistry registry;
  private final List<Meter> meters = new CopyOnWriteArrayList<>();
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();
  private final ConcurrentHashMap<String, Timer> timers = new ConcurrentHashMap<>();
  private final Counter cacheHits;
  private final Counter cacheMisses;

  GeocodeMetrics(MeterRegistry registry) {
    this.registry = registry;
    cacheHits = keep(Counter.builder("codex.geocode.cache").description("geocoding answers served from the cache (hit) or not (miss)")
        .tag("result", "hit").register(registry));
    cacheMisses = keep(Counter.builder("codex.geocode.cache").description("geocoding answers served from the cache (hit) or not (miss)")
        .tag("result", "miss").register(registry));
  }

  <T extends Meter> T keep(T meter) {
    meters.add(meter);
    return meter;
  }

  void cacheSize(Supplier<Number> size) {
    keep(Gauge.builder("codex.geocode.cache.entries", size).description("answers held in the geocoding cache").register(registry));
  }

  /** The circuit of a provider: 0 closed, 1 half-open (one trial call), 2 open (not called). */
  void breakerState(String provider, Supplier<Number> state) {
    keep(Gauge.builder("codex.geocode.breaker.state", state)
        .description("circuit breaker of a geocoding provider: 0 closed, 1 half-open, 2 open")
        .tag("provider", provider).register(registry));
  }

  void inflight(String provider, Supplier<Number> n) {
    keep(Gauge.builder("codex.geocode.inflight", n).description("calls to a geocoding provider waiting for an answer")
        .tag("provider", provider).register(registry));
  }

  void cache(boolean hit) {
    (hit ? cacheHits : cacheMisses).increment();
  }

  /**
   * One provider call (or skip) by outcome: ok, empty (no results), quota, denied, timeout,
   * unavailable, open (circuit open: not called), busy (at geo.maxInflight: not called).
   */
  void call(String provider, String kind, String outcome, long nanos) {
    counters.computeIfAbsent(provider + '/' + kind + '/' + outcome, k -> keep(Counter.builder("codex.geocode.requests")
        .description("geocoding provider calls by provider, kind (forward, reverse) and outcome")
        .tag("provider", provider).tag("kind", kind).tag("outcome", outcome).register(registry))).increment();
    if (nanos >= 0) {
      timers.computeIfAbsent(provider + '/' + kind, k -> keep(Timer.builder("codex.geocode.latency")
          .description("time a geocoding provider took to answer (or fail)")
          .tag("provider", provider).tag("kind", kind).serviceLevelObjectives(SLOS).register(registry)))
          .record(nanos, java.util.concurrent.TimeUnit.NANOSECONDS);
    }
  }

  void rateLimited() {
    counters.computeIfAbsent("ratelimited", k -> keep(Counter.builder("codex.geocode.ratelimited")
        .description("geocoding requests refused with 429 by the per-caller rate limit").register(registry))).increment();
  }

  void close() {
    meters.forEach(registry::remove);
    meters.clear();
  }
}
