package io.codex.geo;

/**
 * Nearest places to a point: a k-d tree over the places as unit vectors on the sphere (x, y, z), so
 * the straight-line (chord) distance it compares is monotonic in the great-circle distance, with
 * no special case at the antimeridian or the poles. Built once (O(n log n)), immutable, so any
 * number of threads may search it; a search allocates only its result arrays.
 */
final class PointIndex {
  /** Earth's mean radius in kilometres (the great-circle distances are on this sphere). */
  static final double EARTH_RADIUS_KM = 6371.0088;
  private static final int LEAF = 8;

  private final int[] place;
  private final float[] x;
  private final float[] y;
  private final float[] z;
  private final byte[] axis;

  PointIndex(Places places) {
    int n = places.size();
    place = new int[n];
    x = new float[n];
    y = new float[n];
    z = new float[n];
    axis = new byte[n];
    for (int i = 0; i < n; i++) {
      place[i] = i;
      double lat = Math.toRadians(places.lat(i));
      double lon = Math.toRadians(places.lon(i));
      x[i] = (float) (Math.cos(lat) * Math.cos(lon));
      y[i] = (float) (Math.cos(lat) * Math.sin(lon));
      z[i] = (float) Math.sin(lat);
    }
    build(0, n);
  }

  /** The great-circle distance in kilometres between two points given in degrees (haversine). */
  static double distanceKm(double lat1, double lon1, double lat2, double lon2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double dp = p2 - p1;
    double dl = Math.toRadians(lon2 - lon1);
    double h = Math.sin(dp / 2) * Math.sin(dp / 2) + Math.cos(p1) * Math.cos(p2) * Math.sin(dl / 2) * Math.sin(dl / 2);
    return 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, Math.sqrt(h)));
  }

  private void build(int lo, int hi) {
    // iterative over the larger half would bound the stack; depth is log2(n / LEAF) ≈ 15 here anyway
    if (hi - lo <= LEAF) return;
    int a = widestAxis(lo, hi);
    int mid = (lo + hi) >>> 1;
    select(lo, hi - 1, mid, a);
    axis[mid] = (byte) a;
    build(lo, mid);
    build(mid + 1, hi);
  }

  /** The axis along which [lo, hi) spreads most, judged on at most 512 evenly spaced points. */
  private int widestAxis(int lo, int hi) {
    int step = Math.max(1, (hi - lo) / 512);
    float minX = Float.MAX_VALUE, maxX = -Float.MAX_VALUE;
    float minY = Float.MAX_VALUE, maxY = -Float.MAX_VALUE;
    float minZ = Float.MAX_VALUE, maxZ = -Float.MAX_VALUE;
    for (int i = lo; i < hi; i += step) {
      minX = Math.min(minX, x[i]);
      maxX = Math.max(maxX, x[i]);
      minY = Math.min(minY, y[i]);
      maxY = Math.max(maxY, y[i]);
      minZ = Math.min(minZ, z[i]);
      maxZ = Math.max(maxZ, z[i]);
    }
    float dx = maxX - minX, dy = maxY - minY, dz = maxZ - minZ;
    return dx >= dy && dx >= dz ? 0 : dy >= dz ? 1 : 2;
  }

  /** Quickselect: puts the k-th smallest along axis {@code a} of [lo, hi] at k, smaller before, larger after. */
  private void select(int lo, int hi, int k, int a) {
    float[] c = a == 0 ? x : a == 1 ? y : z;
    while (hi > lo) {
      int m = (lo + hi) >>> 1;
      // median of three as the pivot, moved to hi
      if (c[m] < c[lo]) swap(m, lo);
      if (c[hi] < c[lo]) swap(hi, lo);
      if (c[m] < c[hi]) swap(m, hi);
      float pivot = c[hi];
      int store = lo;
      for (int i = lo; i < hi; i++) {
        if (c[i] < pivot) swap(i, store++);
      }
      swap(store, hi);
      if (store == k) return;
      if (store < k) lo = store + 1;
      else hi = store - 1;
    }
  }

  private void swap(int i, int j) {
    if (i == j) return;
    int p = place[i];
    place[i] = place[j];
    place[j] = p;
    float t = x[i];
    x[i] = x[j];
    x[j] = t;
    t = y[i];
    y[i] = y[j];
    y[j] = t;
    t = z[i];
    z[i] = z[j];
    z[j] = t;
  }

  /**
   * The {@code k} places nearest to the point, nearest first.
   *
   * @param outPlaces   receives the places (length ≥ k)
   * @param outDistance receives their great-circle distances in kilometres
   * @return how many were found (fewer than k only when the gazetteer is smaller)
   */
  int nearest(double lat, double lon, int k, int[] outPlaces, double[] outDistance) {
    double la = Math.toRadians(lat);
    double lo = Math.toRadians(lon);
    Search s = new Search((float) (Math.cos(la) * Math.cos(lo)), (float) (Math.cos(la) * Math.sin(lo)),
        (float) Math.sin(la), k);
    s.visit(0, place.length);
    for (int i = 0; i < s.found; i++) {
      outPlaces[i] = place[s.index[i]];
      double chord = Math.sqrt(s.distance[i]);
      outDistance[i] = 2 * EARTH_RADIUS_KM * Math.asin(Math.min(1, chord / 2));
    }
    return s.found;
  }

  /** One k-nearest search: the k best so far, sorted by squared chord length. */
  private final class Search {
    final float qx, qy, qz;
    final int k;
    final int[] index;
    final double[] distance;
    int found;

    Search(float qx, float qy, float qz, int k) {
      this.qx = qx;
      this.qy = qy;
      this.qz = qz;
      this.k = k;
      this.index = new int[k];
      this.distance = new double[k];
    }

    double worst() {
      return found < k ? Double.MAX_VALUE : distance[k - 1];
    }

    void offer(int i) {
      double dx = x[i] - qx, dy = y[i] - qy, dz = z[i] - qz;
      double d = dx * dx + dy * dy + dz * dz;
      if (found == k && d >= distance[k - 1]) return;
      int j = found < k ? found++ : k - 1;
      while (j > 0 && distance[j - 1] > d) {
        distance[j] = distance[j - 1];
        index[j] = index[j - 1];
        j--;
      }
      distance[j] = d;
      index[j] = i;
    }

    void visit(int lo, int hi) {
      while (hi - lo > LEAF) {
        int mid = (lo + hi) >>> 1;
        offer(mid);
        int a = axis[mid];
        double diff = a == 0 ? qx - x[mid] : a == 1 ? qy - y[mid] : qz - z[mid];
        if (diff < 0) {
          visit(lo, mid);
          if (diff * diff >= worst()) return;
          lo = mid + 1;
        } else {
          visit(mid + 1, hi);
          if (diff * diff >= worst()) return;
          hi = mid;
        }
      }
      for (int i = lo; i < hi; i++) offer(i);
    }
  }

  long footprintBytes() {
    return 4L * (place.length + x.length + y.length + z.length) + axis.length;
  }
}
