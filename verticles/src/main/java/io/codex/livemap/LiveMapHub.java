package io.codex.livemap;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * Where the HTTP edge hands an upgraded {@code /ws/live} socket to a live map verticle instance:
 * the instances register here when they start, and each new client goes to the one with the
 * fewest clients. The node-wide client bound is kept here too.
 */
final class LiveMapHub implements Shareable {
  private final CopyOnWriteArrayList<LiveMapVerticle> instances = new CopyOnWriteArrayList<>();
  private final AtomicInteger clients = new AtomicInteger();

  static LiveMapHub shared(Vertx vertx) {
    return (LiveMapHub) vertx.sharedData().<String, Object>getLocalMap("codex.livemap").computeIfAbsent("hub", k -> new LiveMapHub());
  }

  void register(LiveMapVerticle v) {
    instances.add(v);
  }

  void unregister(LiveMapVerticle v) {
    instances.remove(v);
  }

  /** The instance with the fewest clients, or null when none is deployed. */
  LiveMapVerticle pick() {
    LiveMapVerticle best = null;
    for (LiveMapVerticle v : instances) {
      if (best == null || v.clientCount() < best.clientCount()) best = v;
    }
    return best;
  }

  /** Takes a client slot if fewer than {@code max} are taken. */
  boolean admit(int max) {
    while (true) {
      int n = clients.get();
      if (n >= max) return false;
      if (clients.compareAndSet(n, n + 1)) return true;
    }
  }

  void release() {
    clients.decrementAndGet();
  }

  int clients() {
    return clients.get();
  }
}
