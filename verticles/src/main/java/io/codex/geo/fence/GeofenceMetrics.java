package io.codex.geo.fence;

import io.codex.api.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;

/** Geofence meters, one set per node: positions evaluated here, exact fence tests, transitions, fences held. */
final class GeofenceMetrics implements Shareable {
  private final Counter positions;
  private final Counter checks;
  private final Counter enters;
  private final Counter exits;
  private final Counter resyncs;
  private final java.util.concurrent.atomic.AtomicInteger paused = new java.util.concurrent.atomic.AtomicInteger();

  private GeofenceMetrics(MeterRegistry registry, GeofenceRegistry fences) {
    positions = Counter.builder("codex.geofences.positions")
        .description("positions evaluated against the geofences on this node (its share of the consumer group)").register(registry);
    checks = Counter.builder("codex.geofences.checks")
        .description("exact point-in-fence tests (candidates the spatial index picked)").register(registry);
    enters = Counter.builder("codex.geofences.transitions").tag("transition", "enter")
        .description("transitions written to codex.geofence-events").register(registry);
    exits = Counter.builder("codex.geofences.transitions").tag("transition", "exit")
        .description("transitions written to codex.geofence-events").register(registry);
    resyncs = Counter.builder("codex.geofences.resyncs")
        .description("times the evaluator rewound to its committed offsets after a failure").register(registry);
    Gauge.builder("codex.geofences.partitions.paused", paused, java.util.concurrent.atomic.AtomicInteger::get)
        .description("telemetry partitions this node's evaluator is not reading because no fence exists").register(registry);
    Gauge.builder("codex.geofences.fences", fences, GeofenceRegistry::size)
        .description("geofences in this node's registry").register(registry);
  }

  static GeofenceMetrics shared(Vertx vertx) {
    return (GeofenceMetrics) vertx.sharedData().<String, Object>getLocalMap("codex.geofences").computeIfAbsent("metrics", k -> {
      return new GeofenceMetrics(NodeMetrics.registry(vertx), GeofenceRegistry.shared(vertx));
    });
  }

  void evaluated(int positions, long checks) {
    if (positions > 0) this.positions.increment(positions);
    if (checks > 0) this.checks.increment(checks);
  }

  void transition(String name) {
    ("enter".equals(name) ? enters : exits).increment();
  }

  void paused(int partitions) {
    paused.set(partitions);
  }

  void resync() {
    resyncs.increment();
  }
}
