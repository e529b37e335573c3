package io.codex.api;

import io.micrometer.core.instrument.MeterRegistry;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import io.vertx.core.Vertx;
import io.vertx.micrometer.backends.BackendRegistries;

/**
 * The node's meter registry, the one {@code GET /metrics} serves. Each node's Vert.x instance has
 * a registry of its own, named when the node starts, so that two nodes in one JVM (as in the
 * tests) keep their meters apart: in one shared registry their counters added up, and a gauge
 * registered by the second node was the first node's (Micrometer returns the meter already
 * registered under the same name and tags).
 */
public final class NodeMetrics {
  private static final String MAP = "codex.node";
  private static final String KEY = "metricsRegistry";

  private NodeMetrics() {
  }

  /** Names the registry of {@code vertx}'s node (the name given to its metrics options). */
  public static void name(Vertx vertx, String registryName) {
    vertx.sharedData().getLocalMap(MAP).put(KEY, registryName);
  }

  /** The registry's name; null when none was named (Vert.x's default registry). */
  public static String registryName(Vertx vertx) {
    return (String) vertx.sharedData().getLocalMap(MAP).get(KEY);
  }

  /** The node's registry; a registry of its own when metrics are off (as in unit tests). */
  public static MeterRegistry registry(Vertx vertx) {
    String name = registryName(vertx);
    MeterRegistry r = name != null ? BackendRegistries.getNow(name) : BackendRegistries.getDefaultNow();
    return r != null ? r : new SimpleMeterRegistry();
  }
}
