package io.codex.livemap;

import io.codex.codecs.TelemetryRecord;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.Collection;
import java.util.Collections;
import java.util.Comparator;
import java.util.List;
import java.util.PriorityQueue;
import java.util.Set;
import java.util.function.Consumer;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's latest-position index: the newest record of every device (with its last known
 * location), fed by {@code codex.telemetry.received}. One per Vertx, shared by the live map
 * verticle instances (each of which offers every record; the first offer wins, the others get the
 * same {@link Position}) and by the spatial queries ({@link #within}, {@link #nearest}), which
 * look at the grid cells around their point ({@link PositionGrid}) rather than at every device.
 */
public final class LatestPositions implements Shareable {
  /** Below this many devices in a token's {@code devices} claim, a query looks at those devices directly. */
  private static final int SMALL_CLAIM = 4_096;

  private final ConcurrentHashMap<String, Position> byDevice = new ConcurrentHashMap<>();
  private final PositionGrid grid = new PositionGrid();

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
      if (r.hasLocation()) {
        Position p = new Position(r, r.lon(), r.lat(), r.alt(), System.nanoTime());
        grid.move(id, old, p);
        return p;
      }
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
    byDevice.computeIfPresent(deviceId, (id, p) -> {
      grid.remove(id, p);
      return null;
    });
  }

  public int size() {
    return byDevice.size();
  }

  // ---------------------------------------------------------------- spatial queries

  /** A device found by a spatial query: its latest position and its great-circle distance from the query point. */
  public record Nearby(String deviceId, double lon, double lat, double distanceMeters, String sensorType, String timestamp) {}

  /**
   * The devices within {@code radiusMeters} (great-circle) of the point, nearest first (ties by
   * device id), at most {@code limit} of them.
   *
   * @param visible the device ids the caller may see; null: every device
   * @param matched set to how many devices were within the radius (may exceed {@code limit})
   */
  public List<Nearby> within(double lon, double lat, double radiusMeters, int limit, Set<String> visible, int[] matched) {
    PriorityQueue<Nearby> best = new PriorityQueue<>(Math.min(limit, 1024) + 1, NEAREST_FIRST.reversed());
    int[] count = {0};
    Consumer<String> consider = id -> {
      if (visible != null && !visible.contains(id)) return;
      Position p = byDevice.get(id);
      if (p == null) return;
      double d = io.codex.geo.fence.Spherical.distance(lon, lat, p.lon, p.lat);
      if (d > radiusMeters) return;
      count[0]++;
      best.add(new Nearby(p.deviceId, p.lon, p.lat, d, p.sensorType, p.timestamp));
      if (best.size() > limit) best.poll();
    };
    if (visible != null && visible.size() <= SMALL_CLAIM) {
      visible.forEach(consider);
    } else {
      double[] box = io.codex.geo.fence.Spherical.capBox(lon, lat, radiusMeters);
      // a large box has more cells than there are occupied ones: then visit the occupied ones
      if (PositionGrid.cellsIn(box) > grid.cellCount()) {
        grid.forEach(consider);
      } else {
        grid.forEachIn(box, consider);
      }
    }
    if (matched != null) matched[0] = count[0];
    List<Nearby> out = new ArrayList<>(best);
    out.sort(NEAREST_FIRST);
    return out;
  }

  /**
   * The {@code k} devices nearest to the point (great-circle), nearest first: searches ever larger
   * circles (1 km, then 4 times wider) until one holds {@code k} devices or covers the globe.
   */
  public List<Nearby> nearest(double lon, double lat, int k, Set<String> visible) {
    int[] matched = {0};
    for (double r = 1_000; ; r *= 4) {
      boolean all = r >= io.codex.geo.fence.Spherical.MAX_DISTANCE_M;
      List<Nearby> found = within(lon, lat, all ? io.codex.geo.fence.Spherical.MAX_DISTANCE_M : r, k, visible, matched);
      if (matched[0] >= k || all) return found;
    }
  }

  private static final Comparator<Nearby> NEAREST_FIRST =
      Comparator.comparingDouble(Nearby::distanceMeters).thenComparing(Nearby::deviceId);
}
