package io.codex.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;

/**
 * Where a node keeps the one instance of each Kafka-side object its verticles share (the producer,
 * the admin client, the acknowledged records for the live feed): its Vert.x instance's local map,
 * so that nodes sharing a JVM (tests) keep their own.
 */
final class NodeLocal {
  private NodeLocal() {}

  static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap("codex.bridge");
  }

  /**
   * Makes {@code value} the node's {@code what} under {@code key}; when the node already has one,
   * runs {@code discard} (to close the new one) and fails.
   */
  static void register(Vertx vertx, String key, Shareable value, String what, Runnable discard) {
    if (map(vertx).putIfAbsent(key, value) != null) {
      discard.run();
      throw new IllegalStateException("this Vertx already has a shared " + what);
    }
  }

  /** The node's {@code what} under {@code key}, which the launcher registers before deploying verticles. */
  static Object get(Vertx vertx, String key, String what) {
    Object value = map(vertx).get(key);
    if (value == null) throw new IllegalStateException("no shared " + what + ": the launcher creates it before deploying verticles");
    return value;
  }
}
