package io.codex.bench;

import io.codex.geo.fence.Geofence;
import io.codex.geo.fence.GeofenceIndex;
import io.codex.geo.fence.GeofencePosition;
import io.codex.geo.fence.GeofenceTracker;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;

/**
 * Geofence evaluation in this process, through the code the evaluator verticle runs for every
 * telemetry record ({@link GeofenceTracker#evaluate} against a {@link GeofenceIndex}; and, in the
 * second figure, {@link GeofencePosition#parseLocation} of the normalised record before it): 1,000 fences
 * — half circles of 200 m to 5 km, half irregular polygons of 8 to 40 vertices, 0.4 to 8 km
 * across, one in ten with a hole — spread over a 2° × 2° region (about 150 × 220 km, around
 * Paris), where about 45% of positions fall inside a fence, and 10,000 devices moving about the same region in
 * small steps, so that positions enter and leave fences. One thread. Prints one line.
 */
public final class GeofenceBench {
  static final double WEST = 1.35;
  static final double SOUTH = 47.85;
  static final double SPAN = 2.0;

  private GeofenceBench() {}

  public static void main(String[] args) {
    double seconds = args.length > 0 ? Double.parseDouble(args[0]) : 10;
    System.out.println(run(1_000, 10_000, Duration.ofSeconds(3), Duration.ofMillis((long) (seconds * 1000))));
  }

  /** Builds the fences and positions, warms up, measures; returns the result line. */
  public static String run(int fences, int devices, Duration warmUp, Duration measure) {
    Random rnd = new Random(20_250_101);
    List<GeofenceIndex.Entry> entries = new ArrayList<>();
    int polygons = 0;
    for (int i = 0; i < fences; i++) {
      double lon = WEST + rnd.nextDouble() * SPAN;
      double lat = SOUTH + rnd.nextDouble() * SPAN;
      Geofence f;
      if (i % 2 == 0) {
        f = new Geofence("c" + i, "circle " + i, null, new Geofence.Circle(lon, lat, 200 + rnd.nextDouble() * 4_800),
            new JsonObject(), "bench", "bench");
      } else {
        f = new Geofence("p" + i, "polygon " + i, polygon(rnd, lon, lat, i % 10 == 1), null, new JsonObject(), "bench", "bench");
        polygons++;
      }
      entries.add(GeofenceIndex.compile(f, i));
    }
    GeofenceIndex index = GeofenceIndex.of(entries);

    // 10,000 devices on random walks of ~50 m steps: 2,000,000 positions, replayed in order
    int steps = 200;
    int n = devices * steps;
    String[] ids = new String[devices];
    double[] lon = new double[n];
    double[] lat = new double[n];
    double[] dl = new double[devices];
    double[] dp = new double[devices];
    double[] cl = new double[devices];
    double[] cp = new double[devices];
    for (int d = 0; d < devices; d++) {
      ids[d] = String.format("bench-%05d", d);
      cl[d] = WEST + rnd.nextDouble() * SPAN;
      cp[d] = SOUTH + rnd.nextDouble() * SPAN;
      double heading = rnd.nextDouble() * 2 * Math.PI;
      dl[d] = Math.cos(heading) * 0.0007;
      dp[d] = Math.sin(heading) * 0.00045;
    }
    for (int s = 0; s < steps; s++) {
      for (int d = 0; d < devices; d++) {
        cl[d] = bounce(cl[d] + dl[d], WEST);
        cp[d] = bounce(cp[d] + dp[d], SOUTH);
        lon[s * devices + d] = cl[d];
        lat[s * devices + d] = cp[d];
      }
    }
    // the same positions as normalised telemetry records, for the figure with parsing
    int records = Math.min(n, 200_000);
    byte[][] json = new byte[records][];
    for (int i = 0; i < records; i++) {
      json[i] = new JsonObject().put("id", "rec-" + i).put("deviceId", ids[i % devices]).put("timestamp", "2025-01-01T00:00:00.000Z")
          .put("sensorType", "gps").put("payload", new JsonObject().put("speed", 12.5).put("heading", 90))
          .put("location", new JsonObject().put("lat", lat[i]).put("lon", lon[i]))
          .put("receivedAt", "2025-01-01T00:00:00.123Z").encode().getBytes(StandardCharsets.UTF_8);
    }

    Pass warm = new Pass();
    warm.evaluate(index, ids, lon, lat, warmUp.toNanos() / 2);
    warm.parseAndEvaluate(index, json, warmUp.toNanos() / 2);
    Pass eval = new Pass();
    eval.evaluate(index, ids, lon, lat, measure.toNanos());
    Pass parsed = new Pass();
    parsed.parseAndEvaluate(index, json, Math.max(1, measure.toNanos() / 2));

    double secs = eval.nanos / 1e9;
    return String.format(
        "geofence evaluation: %d fences (%d polygons, %d circles), %d devices, 1 thread: %,.0f positions/s, %,.0f fence checks/s "
            + "(%.2f per position), %.1f%% of positions inside a fence, %,.0f transitions/s; with JSON parsing of each record: "
            + "%,.0f positions/s",
        fences, polygons, fences - polygons, devices, eval.positions / secs, eval.checks / secs,
        (double) eval.checks / eval.positions, 100.0 * eval.inside / eval.positions, eval.transitions / secs,
        parsed.positions / (parsed.nanos / 1e9));
  }

  /** One measured run: a fresh tracker, positions in order until the time is up. */
  private static final class Pass {
    long positions;
    long checks;
    long inside;
    long transitions;
    long nanos;
    private final GeofenceTracker tracker = new GeofenceTracker();
    private final List<GeofenceTracker.Transition> out = new ArrayList<>();

    void evaluate(GeofenceIndex index, String[] ids, double[] lon, double[] lat, long forNanos) {
      long t0 = System.nanoTime();
      long offset = 0;
      int n = lon.length;
      int devices = ids.length;
      long c0 = tracker.checks();
      while (true) {
        for (int i = 0; i < 10_000; i++) {
          int k = (int) (offset % n);
          out.clear();
          tracker.evaluate(index, ids[k % devices], 0, offset++, lon[k], lat[k], out);
          transitions += out.size();
        }
        positions += 10_000;
        if (System.nanoTime() - t0 >= forNanos) break;
      }
      nanos = System.nanoTime() - t0;
      checks = tracker.checks() - c0;
      inside = estimateInside(index, ids, lon, lat);
    }

    void parseAndEvaluate(GeofenceIndex index, byte[][] json, long forNanos) {
      long t0 = System.nanoTime();
      long offset = 0;
      while (true) {
        for (int i = 0; i < 10_000; i++) {
          byte[] value = json[(int) (offset % json.length)];
          GeofencePosition p = GeofencePosition.parse(value);
          out.clear();
          tracker.evaluate(index, p.deviceId(), 0, offset++, p.lon(), p.lat(), out);
          transitions += out.size();
        }
        positions += 10_000;
        if (System.nanoTime() - t0 >= forNanos) break;
      }
      nanos = System.nanoTime() - t0;
    }

    /** Positions inside at least one fence, per {@link #positions} (from a sample). */
    private long estimateInside(GeofenceIndex index, String[] ids, double[] lon, double[] lat) {
      GeofenceIndex.Hits hits = new GeofenceIndex.Hits();
      int sample = Math.min(lon.length, 100_000);
      long in = 0;
      for (int i = 0; i < sample; i++) {
        index.locate(lon[i], lat[i], hits);
        if (hits.size() > 0) in++;
      }
      return in * positions / sample;
    }
  }

  private static double bounce(double v, double min) {
    if (v < min) return min + (min - v);
    if (v > min + SPAN) return min + SPAN - (v - min - SPAN);
    return v;
  }

  /** An irregular star-shaped polygon around (lon, lat), optionally with a hole. */
  private static JsonObject polygon(Random rnd, double lon, double lat, boolean hole) {
    int k = 8 + rnd.nextInt(33);
    double radiusM = 200 + rnd.nextDouble() * 3_800;
    double mPerDegLat = 111_195;
    double mPerDegLon = 111_195 * Math.cos(Math.toRadians(lat));
    JsonArray shell = new JsonArray();
    for (int i = 0; i < k; i++) {
      double a = 2 * Math.PI * i / k;
      double r = radiusM * (0.6 + 0.4 * rnd.nextDouble());
      shell.add(new JsonArray().add(lon + r * Math.cos(a) / mPerDegLon).add(lat + r * Math.sin(a) / mPerDegLat));
    }
    shell.add(shell.getJsonArray(0).copy());
    JsonArray rings = new JsonArray().add(shell);
    if (hole) {
      JsonArray h = new JsonArray();
      double r = radiusM * 0.25;
      for (int i = 0; i < 6; i++) {
        double a = -2 * Math.PI * i / 6;
        h.add(new JsonArray().add(lon + r * Math.cos(a) / mPerDegLon).add(lat + r * Math.sin(a) / mPerDegLat));
      }
      h.add(h.getJsonArray(0).copy());
      rings.add(h);
    }
    return new JsonObject().put("type", "Polygon").put("coordinates", rings);
  }
}
