package io.codex.geo.fence;

import java.util.Arrays;
import java.util.Collection;
import java.util.Collections;
import java.util.HashMap;
import java.util.Map;
import org.locationtech.jts.algorithm.locate.IndexedPointInAreaLocator;
import org.locationtech.jts.geom.Coordinate;
import org.locationtech.jts.geom.Envelope;
import org.locationtech.jts.geom.Geometry;
import org.locationtech.jts.geom.Location;
import org.locationtech.jts.index.ItemVisitor;
import org.locationtech.jts.index.strtree.STRtree;

/**
 * An immutable spatial index of the fences: an STR-packed R-tree over their longitude/latitude
 * envelopes picks the candidates for a position, then each candidate decides exactly — a polygon
 * through an indexed point-in-area locator (JTS, O(log n) in its vertices), a circle by its
 * great-circle distance. A point on a polygon's edge counts as inside.
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

  private final STRtree tree = new STRtree();
  private final Map<String, Entry> byId = new HashMap<>();

  private GeofenceIndex(Collection<Entry> entries) {
    for (Entry e : entries) {
      byId.put(e.fence.id(), e);
      for (Envelope env : e.envelopes) tree.insert(env, e);
    }
    tree.build();
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
    tree.query(hits.env, hits);
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
      Arrays.fill(items, 0, size, null);
      size = 0;
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
