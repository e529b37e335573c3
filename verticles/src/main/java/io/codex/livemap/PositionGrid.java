package io.codex.livemap;

import java.util.Set;
import java.util.concurrent.ConcurrentHashMap;
import java.util.function.Consumer;

/**
 * The devices of the latest-position index by grid cell ({@value #CELL_DEGREES}° of longitude and
 * latitude, about 5.5 km at the equator), so that a spatial query looks at the cells around its
 * point rather than at every device. Only cells holding devices exist. Updated inside the index's
 * per-device atomic section, so a device is in exactly the cell of its latest position.
 */
final class PositionGrid {
  static final double CELL_DEGREES = 0.05;
  static final int NX = 7200;
  static final int NY = 3600;

  private final ConcurrentHashMap<Integer, Set<String>> cells = new ConcurrentHashMap<>();

  static int cellX(double lon) {
    return Math.min(NX - 1, Math.max(0, (int) Math.floor((lon + 180) / CELL_DEGREES)));
  }

  static int cellY(double lat) {
    return Math.min(NY - 1, Math.max(0, (int) Math.floor((lat + 90) / CELL_DEGREES)));
  }

  static int cell(double lon, double lat) {
    return cellY(lat) * NX + cellX(lon);
  }

  /** The device moved from {@code from} (null: it was not in the grid) to {@code to}. */
  void move(String deviceId, Position from, Position to) {
    int c = cell(to.lon, to.lat);
    if (from != null) {
      int old = cell(from.lon, from.lat);
      if (old == c) return;
      remove(deviceId, old);
    }
    cells.compute(c, (k, set) -> {
      if (set == null) set = ConcurrentHashMap.newKeySet();
      set.add(deviceId);
      return set;
    });
  }

  void remove(String deviceId, Position at) {
    remove(deviceId, cell(at.lon, at.lat));
  }

  private void remove(String deviceId, int c) {
    cells.computeIfPresent(c, (k, set) -> {
      set.remove(deviceId);
      return set.isEmpty() ? null : set;
    });
  }

  /** Cells that hold at least one device. */
  int cellCount() {
    return cells.size();
  }

  /** How many cells the box {@code [w, s, e, n]} ({@code w > e}: across the antimeridian) covers. */
  static long cellsIn(double[] box) {
    long nx = box[0] <= box[2] ? cellX(box[2]) - cellX(box[0]) + 1 : (NX - cellX(box[0])) + cellX(box[2]) + 1L;
    return nx * (cellY(box[3]) - cellY(box[1]) + 1);
  }

  /** Every device of the cells that the box touches (a device may also lie just outside the box). */
  void forEachIn(double[] box, Consumer<String> visitor) {
    int y0 = cellY(box[1]);
    int y1 = cellY(box[3]);
    int x0 = cellX(box[0]);
    int x1 = cellX(box[2]);
    for (int y = y0; y <= y1; y++) {
      if (x0 <= x1 && box[0] <= box[2]) {
        for (int x = x0; x <= x1; x++) visit(y * NX + x, visitor);
      } else {
        for (int x = x0; x < NX; x++) visit(y * NX + x, visitor);
        for (int x = 0; x <= x1; x++) visit(y * NX + x, visitor);
      }
    }
  }

  /** Every device in the grid. */
  void forEach(Consumer<String> visitor) {
    cells.values().forEach(set -> set.forEach(visitor));
  }

  private void visit(int c, Consumer<String> visitor) {
    Set<String> set = cells.get(c);
    if (set != null) set.forEach(visitor);
  }
}
