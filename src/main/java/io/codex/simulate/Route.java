package io.codex.simulate;

import java.util.Random;

/**
 * A device's route: a closed loop of waypoints around a start city, driven at a constant speed,
 * so that positions change smoothly and plausibly between two reports.
 */
final class Route {
  private static final double[][] CITIES = {
      {48.8566, 2.3522}, {51.5074, -0.1278}, {52.5200, 13.4050}, {40.4168, -3.7038}, {41.9028, 12.4964},
      {47.3769, 8.5417}, {59.3293, 18.0686}, {40.7128, -74.0060}, {37.7749, -122.4194}, {35.6762, 139.6503},
      {-23.5505, -46.6333}, {-33.8688, 151.2093}, {19.4326, -99.1332}, {28.6139, 77.2090}, {1.3521, 103.8198}};

  private final double[][] points;
  private final double speedMps;
  private int leg;
  private double along;

  Route(Random random) {
    double[] city = CITIES[random.nextInt(CITIES.length)];
    int n = 4 + random.nextInt(5);
    points = new double[n][];
    for (int i = 0; i < n; i++) {
      points[i] = new double[] {city[0] + (random.nextDouble() - 0.5) * 0.2, city[1] + (random.nextDouble() - 0.5) * 0.3};
    }
    speedMps = 5 + random.nextDouble() * 25;
  }

  /** Moves {@code seconds} along the route; returns {lat, lon, heading degrees, speed m/s}. */
  double[] advance(double seconds) {
    double left = speedMps * seconds;
    while (true) {
      double[] a = points[leg];
      double[] b = points[(leg + 1) % points.length];
      double legLength = metres(a, b);
      if (along + left < legLength) {
        along += left;
        double f = legLength == 0 ? 0 : along / legLength;
        double lat = a[0] + (b[0] - a[0]) * f;
        double lon = a[1] + (b[1] - a[1]) * f;
        double heading = (Math.toDegrees(Math.atan2(b[1] - a[1], b[0] - a[0])) + 360) % 360;
        return new double[] {lat, lon, heading, speedMps};
      }
      left -= legLength - along;
      along = 0;
      leg = (leg + 1) % points.length;
    }
  }

  static double metres(double[] a, double[] b) {
    double dLat = Math.toRadians(b[0] - a[0]);
    double dLon = Math.toRadians(b[1] - a[1]);
    double h = Math.sin(dLat / 2) * Math.sin(dLat / 2)
        + Math.cos(Math.toRadians(a[0])) * Math.cos(Math.toRadians(b[0])) * Math.sin(dLon / 2) * Math.sin(dLon / 2);
    return 2 * 6_371_000 * Math.asin(Math.sqrt(h));
  }
}
