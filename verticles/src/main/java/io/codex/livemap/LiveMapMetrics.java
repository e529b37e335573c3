package io.codex.livemap;

import io.codex.api.NodeMetrics;
import io.micrometer.core.instrument.Counter;
import io.micrometer.core.instrument.Gauge;
import io.micrometer.core.instrument.MeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicInteger;

/** Live map meters, one set per node: clients, what they were sent, who fell behind or was dropped. */
final class LiveMapMetrics implements Shareable {
  private final MeterRegistry registry;
  final AtomicInteger clients = new AtomicInteger();
  final Counter features;
  final Counter behind;
  private final ConcurrentHashMap<String, Counter> counters = new ConcurrentHashMap<>();

  private LiveMapMetrics(MeterRegistry registry, LatestPositions index) {
    this.registry = registry;
    Gauge.builder("codex.livemap.clients", clients, AtomicInteger::get)
        .description("WebSocket clients connected to /ws/live on this node").register(registry);
    Gauge.builder("codex.livemap.devices", index, LatestPositions::size)
        .description("devices in this node's latest-position index").register(registry);
    features = Counter.builder("codex.livemap.features").description("position features sent to clients").register(registry);
    behind = Counter.builder("codex.livemap.behind")
        .description("times a client's send queue was over livemap.maxQueuedBytes (it then gets only the newest state)")
        .register(registry);
  }

  static LiveMapMetrics shared(Vertx vertx) {
    return (LiveMapMetrics) vertx.sharedData().<String, Object>getLocalMap("codex.livemap").computeIfAbsent("metrics", k -> {
      return new LiveMapMetrics(NodeMetrics.registry(vertx), LatestPositions.shared(vertx));
    });
  }

  /** Messages sent, by type (positions, alert, geofence, …). */
  void message(String type) {
    counters.computeIfAbsent("m/" + type, k -> Counter.builder("codex.livemap.messages")
        .description("messages sent to live map clients").tag("type", type).register(registry)).increment();
  }

  /** Connections closed by the server, by reason (too_slow, idle, unauthorized, …). */
  void disconnect(String reason) {
    counters.computeIfAbsent("d/" + reason, k -> Counter.builder("codex.livemap.disconnects")
        .description("live map connections closed by the server").tag("reason", reason).register(registry)).increment();
  }

  /** Alert and geofence messages not sent to a client whose queue was full. */
  void dropped(String type) {
    counters.computeIfAbsent("x/" + type, k -> Counter.builder("codex.livemap.dropped")
        .description("event messages skipped for clients that were behind").tag("type", type).register(registry)).increment();
  }
}
