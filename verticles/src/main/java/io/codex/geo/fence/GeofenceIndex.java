package io.codex.geo.fence;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.index.ItemVisitor;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * An immutable spatial index of the fences: a uniform grid over their longitude/latitude
 * envelopes (cells about the size of a typical fence, so a position looks at one cell and the
 * few envelopes registered there; fences far larger than a cell go to a JTS STR-tree instead)
 * picks the candidates for a position, then each candidate decides exactly — a polygon through an
 * indexed point-in-area locator (JTS, O(log n) in its vertices), a circle by its great-circle
 * distance. A point on a polygon's edge counts as inside.
 *
 * <p>Circles are caps on the sphere: one that crosses the antimeridian is indexed under two
 * envelopes (one each side), one that reaches a pole under every longitude. Polygons are planar in
 * longitude/latitude (GeoJSON's model) and never cross the antimeridian (see
 * {@link GeofenceValidator}).
 *
 * <p>Thread-safe once built; a lookup allocates nothing (its scratch space is the caller's
 * {@link Hits}).
 */
public final class GeofenceIndex {
  public static final GeofenceIndex EMPTY = new GeofenceIndex(Collections.emptyList());

  /** A fence registered in a grid cell under one of its envelopes. */
  private static final class Slot {
    final Entry entry;
    final double minX;
    final double maxX;
    final double minY;
    final double maxY;

    Slot(Entry entry, Envelope env) {
      this.entry = entry;
      this.minX = env.getMinX();
      this.maxX = env.getMaxX();
      this.minY = env.getMinY();
      this.maxY = env.getMaxY();
    }
  }

  /** An envelope over more cells than this goes to the tree of large fences. */
  private static final int MAX_CELLS = 64;
  private static final long NO_KEY = Long.MIN_VALUE;

  private final Map<String, Entry> byId = new HashMap<>();
  private final double cell;
  private final int nx;
  private final int ny;
  private final long[] keys;
  private final Slot[][] buckets;
  private final int mask;
  /** Fences whose envelope spans more than {@link #MAX_CELLS} cells; null when there are none. */
  private final STRtree large;

  private GeofenceIndex(Collection<Entry> entries) {
    List<Slot> slots = new ArrayList<>();
    for (Entry e : entries) {
      byId.put(e.fence.id(), e);
      for (Envelope env : e.envelopes) slots.add(new Slot(e, env));
    }
    cell = cellSize(slots);
    nx = (int) Math.ceil(360 / cell);
    ny = (int) Math.ceil(180 / cell);
    Map<Long, List<Slot>> grid = new HashMap<>();
    STRtree tree = null;
    for (Slot sl : slots) {
      int x0 = cellX(sl.minX);
      int x1 = cellX(sl.maxX);
      int y0 = cellY(sl.minY);
      int y1 = cellY(sl.maxY);
      if ((long) (x1 - x0 + 1) * (y1 - y0 + 1) > MAX_CELLS) {
        if (tree == null) tree = new STRtree();
        tree.insert(new Envelope(sl.minX, sl.maxX, sl.minY, sl.maxY), sl.entry);
        continue;
      }
      for (int y = y0; y <= y1; y++) {
        for (int x = x0; x <= x1; x++) grid.computeIfAbsent((long) y * nx + x, k -> new ArrayList<>()).add(sl);
      }
    }
    if (tree != null) tree.build();
    large = tree;
    int cap = Integer.highestOneBit(Math.max(4, grid.size() * 2 - 1)) << 1;
    keys = new long[cap];
    Arrays.fill(keys, NO_KEY);
    buckets = new Slot[cap][];
    mask = cap - 1;
    grid.forEach((key, list) -> {
      int h = hash(key) & mask;
      while (keys[h] != NO_KEY) h = (h + 1) & mask;
      keys[h] = key;
      buckets[h] = list.toArray(Slot[]::new);
    });
  }

  /** About the median fence extent, so that a typical fence covers a few cells and a cell holds a few fences. */
  private static double cellSize(List<Slot> slots) {
    if (slots.isEmpty()) return 1;
    double[] extents = new double[slots.size()];
    for (int i = 0; i < extents.length; i++) {
      Slot sl = slots.get(i);
      extents[i] = Math.max(sl.maxX - sl.minX, sl.maxY - sl.minY);
    }
    Arrays.sort(extents);
    return Math.min(10, Math.max(0.001, extents[extents.length / 2]));
  }

  private int cellX(double lon) {
    return Math.min(nx - 1, Math.max(0, (int) Math.floor((lon + 180) / cell)));
  }

  private int cellY(double lat) {
    return Math.min(ny - 1, Math.max(0, (int) Math.floor((lat + 90) / cell)));
  }

  private static int hash(long key) {
    long h = key * 0x9E3779B97F4A7C15L;
    return (int) (h ^ (h >>> 32));
  }

  public static GeofenceIndex of(Collection<Entry> entries) {
    return entries.isEmpty() ? EMPTY : new GeofenceIndex(entries);
  }

  /** Prepares one fence for lookups (done once per fence, when it is applied to a registry). */
  public static Entry compile(Geofence fence, long version) {
    return new Entry(fence, version);
  }

  public int size() {
    return byId.size();
  }

  /** The entry of a fence id, or null. */
  public Entry get(String id) {
    return byId.get(id);
  }

  /** Whether this exact fence (id and version) is in the index. */
  public boolean holds(String id, long version) {
    Entry e = byId.get(id);
    return e != null && e.version == version;
  }

  /** Puts into {@code hits} (cleared first) every fence that holds the point. */
  public void locate(double lon, double lat, Hits hits) {
    hits.reset(lon, lat);
    if (byId.isEmpty()) return;
    long key = (long) cellY(lat) * nx + cellX(lon);
    for (int h = hash(key) & mask; keys[h] != NO_KEY; h = (h + 1) & mask) {
      if (keys[h] != key) continue;
      for (Slot sl : buckets[h]) {
        if (lon >= sl.minX && lon <= sl.maxX && lat >= sl.minY && lat <= sl.maxY) hits.visitItem(sl.entry);
      }
      break;
    }
    if (large != null) large.query(hits.env, hits);
  }

  /** One fence, ready for exact tests. */
  public static final class Entry {
    public final Geofence fence;
    /** The Kafka offset of the fence's record: tells a re-created fence from its predecessor. */
    public final long version;
    final Envelope[] envelopes;
    private final IndexedPointInAreaLocator locator;
    private final double cLatRad;
    private final double cLonRad;
    private final double cCosLat;
    private final double maxHaversine;

    private Entry(Geofence fence, long version) {
      this.fence = fence;
      this.version = version;
      if (fence.isCircle()) {
        Geofence.Circle c = fence.circle();
        locator = null;
        cLatRad = Math.toRadians(c.lat());
        cLonRad = Math.toRadians(c.lon());
        cCosLat = Math.cos(cLatRad);
        maxHaversine = Spherical.haversineOf(c.radiusMeters());
        double[] box = Spherical.capBox(c.lon(), c.lat(), c.radiusMeters());
        envelopes = box[0] <= box[2]
            ? new Envelope[] {new Envelope(box[0], box[2], box[1], box[3])}
            : new Envelope[] {new Envelope(box[0], 180, box[1], box[3]), new Envelope(-180, box[2], box[1], box[3])};
      } else {
        Geometry g = GeofenceValidator.toJts(fence.geometry());
        locator = new IndexedPointInAreaLocator(g);
        // build the locator's index now, not on the first position
        locator.locate(new Coordinate(g.getEnvelopeInternal().getMinX(), g.getEnvelopeInternal().getMinY()));
        cLatRad = cLonRad = cCosLat = maxHaversine = 0;
        envelopes = new Envelope[] {g.getEnvelopeInternal()};
      }
    }

    /** Exact test; {@code cosLat} is the cosine of the point's latitude (radians), for circles. */
    boolean contains(Coordinate at, double latRad, double cosLat) {
      if (locator != null) return locator.locate(at) != Location.EXTERIOR;
      double sdp = Math.sin((latRad - cLatRad) / 2);
      double sdl = Math.sin((Math.toRadians(at.x) - cLonRad) / 2);
      return sdp * sdp + cCosLat * cosLat * sdl * sdl <= maxHaversine;
    }

    @Override
    public String toString() {
      return fence.id() + "@" + version;
    }
  }

  /**
   * A caller's scratch space and result: the fences found for the last point, and how many exact
   * tests the lookups made (the benchmark's "fence checks"). Not thread-safe: one per thread.
   */
  public static final class Hits implements ItemVisitor {
    private Entry[] items = new Entry[8];
    private int size;
    private long checks;
    private final Envelope env = new Envelope();
    private final Coordinate at = new Coordinate();
    private double latRad;
    private double cosLat;

    void reset(double lon, double lat) {
      size = 0; // the entries left in items are the index's own, nothing to free
      env.init(lon, lon, lat, lat);
      at.x = lon;
      at.y = lat;
      latRad = Math.toRadians(lat);
      cosLat = Math.cos(latRad);
    }

    @Override
    public void visitItem(Object item) {
      Entry e = (Entry) item;
      checks++;
      if (!e.contains(at, latRad, cosLat)) return;
      for (int i = 0; i < size; i++) {
        if (items[i] == e) return; // a circle indexed under two envelopes
      }
      if (size == items.length) items = Arrays.copyOf(items, size * 2);
      items[size++] = e;
    }

    public int size() {
      return size;
    }

    public Entry get(int i) {
      return items[i];
    }

    /** Exact point-in-fence tests made so far by lookups with this instance. */
    public long checks() {
      return checks;
    }
  }
}
