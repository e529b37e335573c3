package io.codex.geo.fence;

/**
 * Great-circle geometry on a spherical Earth (mean radius 6,371,008.8 m), in degrees at the edges:
 * distances, the point at a distance and bearing, and the longitude/latitude box that holds a
 * spherical cap (a "circle" of a given radius), poles and the antimeridian included.
 */
public final class Spherical {
  /** The mean Earth radius (IUGG), metres. */
  public static final double EARTH_RADIUS_M = 6_371_008.8;
  /** Half the circumference: no two points are further apart. */
  public static final double MAX_DISTANCE_M = Math.PI * EARTH_RADIUS_M;

  private Spherical() {}

  /** Great-circle distance in metres (haversine). */
  public static double distance(double lon1, double lat1, double lon2, double lat2) {
    return 2 * EARTH_RADIUS_M * Math.asin(Math.min(1, Math.sqrt(haversine(lon1, lat1, lon2, lat2))));
  }

  /**
   * The haversine of the central angle, {@code sin²(Δφ/2) + cos φ1 cos φ2 sin²(Δλ/2)}: monotonic in
   * the distance, so comparing it with {@link #haversineOf(double)} of a radius avoids asin/sqrt.
   */
  public static double haversine(double lon1, double lat1, double lon2, double lat2) {
    double p1 = Math.toRadians(lat1);
    double p2 = Math.toRadians(lat2);
    double sdp = Math.sin((p2 - p1) / 2);
    double sdl = Math.sin(Math.toRadians(lon2 - lon1) / 2);
    return sdp * sdp + Math.cos(p1) * Math.cos(p2) * sdl * sdl;
  }

  /** The haversine value of a distance: {@code sin²(d / 2R)}. */
  public static double haversineOf(double meters) {
    double s = Math.sin(Math.min(meters, MAX_DISTANCE_M) / (2 * EARTH_RADIUS_M));
    return s * s;
  }

  /** {@code [lon, lat]} of the point {@code meters} away from the start on the initial bearing (degrees from north). */
  public static double[] destination(double lon, double lat, double bearingDeg, double meters) {
    double d = meters / EARTH_RADIUS_M;
    double p1 = Math.toRadians(lat);
    double l1 = Math.toRadians(lon);
    double b = Math.toRadians(bearingDeg);
    double p2 = Math.asin(Math.sin(p1) * Math.cos(d) + Math.cos(p1) * Math.sin(d) * Math.cos(b));
    double l2 = l1 + Math.atan2(Math.sin(b) * Math.sin(d) * Math.cos(p1), Math.cos(d) - Math.sin(p1) * Math.sin(p2));
    return new double[] {Math.toDegrees(l2), Math.toDegrees(p2)};
  }

  /**
   * The smallest longitude/latitude box holding every point within {@code meters} of the centre:
   * {@code [west, south, east, north]}. When the cap reaches a pole the box spans every longitude
   * ({@code west = -180, east = 180}); when it crosses the antimeridian, {@code west > east}.
   */
  public static double[] capBox(double lon, double lat, double meters) {
    double d = Math.toDegrees(Math.min(meters, MAX_DISTANCE_M) / EARTH_RADIUS_M);
    double south = lat - d;
    double north = lat + d;
    if (north >= 90 || south <= -90) {
      return new double[] {-180, Math.max(-90, south), 180, Math.min(90, north)};
    }
    // the widest longitude of a cap of angular radius d around latitude φ: asin(sin d / cos φ)
    double s = Math.sin(Math.toRadians(d)) / Math.cos(Math.toRadians(lat));
    if (s >= 1) return new double[] {-180, south, 180, north};
    double dl = Math.toDegrees(Math.asin(s));
    double west = lon - dl;
    double east = lon + dl;
    if (west < -180) west += 360;
    if (east > 180) east -= 360;
    return new double[] {west, south, east, north};
  }

  /** A longitude brought into [-180, 180]. */
  public static double normalizeLon(double lon) {
    if (lon >= -180 && lon <= 180) return lon;
    double l = ((lon + 180) % 360 + 360) % 360 - 180;
    return l == -180 && lon > 0 ? 180 : l;
  }
}
