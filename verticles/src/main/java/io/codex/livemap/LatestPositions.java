package io.codex.livemap;

import io.codex.codecs.TelemetryRecord;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Collection;
import java.util.Collections;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's latest-position index: the newest record of every device (with its last known
 * location), fed by {@code codex.telemetry.received}. One per Vertx, shared by the live map
 * verticle instances (each of which offers every record; the first offer wins, the others get the
 * same {@link Position}) and, later, by spatial queries.
 */
public final class LatestPositions implements Shareable {
  private final ConcurrentHashMap<String, Position> byDevice = new ConcurrentHashMap<>();

  public static LatestPositions shared(Vertx vertx) {
    return (LatestPositions) vertx.sharedData().<String, Object>getLocalMap("codex.livemap")
        .computeIfAbsent("latestPositions", k -> new LatestPositions());
  }

  /**
   * Applies a record; returns the device's position afterwards (the existing one when the record
   * was already applied or is older), or null while the device has never reported a location.
   */
  Position offer(TelemetryRecord r) {
    if (r.deviceId() == null) return null;
    return byDevice.compute(r.deviceId(), (id, old) -> {
      if (old != null && old.supersedes(r)) return old;
      if (r.hasLocation()) return new Position(r, r.lon(), r.lat(), r.alt(), System.nanoTime());
      return old == null ? null : new Position(r, old.lon, old.lat, old.alt, System.nanoTime());
    });
  }

  Collection<Position> all() {
    return Collections.unmodifiableCollection(byDevice.values());
  }

  Position get(String deviceId) {
    return byDevice.get(deviceId);
  }

  /** A revoked device leaves the map. */
  void remove(String deviceId) {
    byDevice.remove(deviceId);
  }

  public int size() {
    return byDevice.size();
  }
}
