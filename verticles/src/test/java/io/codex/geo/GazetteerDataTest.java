package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.List;
import java.util.SplittableRandom;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;

/** The bundled data file and the indexes built from it, checked against brute force. */
class GazetteerDataTest {
  static Places places;
  static NameIndex names;

  @BeforeAll
  static void read() throws IOException {
    try (InputStream in = Gazetteer.class.getResourceAsStream(Gazetteer.RESOURCE)) {
      GazetteerReader.Parsed parsed = GazetteerReader.read(in);
      places = parsed.places();
      names = parsed.names();
    }
  }

  @Test
  void theGeneratorFoldsNamesAsNameFoldingDoes() {
    List<String> mismatches = new ArrayList<>();
    for (int p = 0; p < places.size(); p++) {
      String key = NameFolding.fold(places.name(p));
      if (key.isEmpty()) continue;
      if (!hasKey(key, p, NameIndex.Kind.NAME)) mismatches.add(places.name(p) + " -> " + key);
    }
    assertThat(mismatches).as("names whose Java folding is not a key of theirs").isEmpty();
  }

  @Test
  void everyKeyIsFoldedAndTheKeysAreSorted() {
    byte[] previous = new byte[0];
    for (int k = 0; k < names.size(); k++) {
      String key = names.key(k);
      assertThat(NameFolding.fold(key)).as("key %d", k).isEqualTo(key);
      byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
      assertThat(java.util.Arrays.compareUnsigned(previous, bytes)).as("key %d after %d", k, k - 1).isLessThanOrEqualTo(0);
      previous = bytes;
    }
  }

  @Test
  void placesHaveCountryAndMostHaveRegionNames() {
    int withRegion = 0;
    for (int p = 0; p < places.size(); p++) {
      if (places.region(p) != Places.NO_REGION) withRegion++;
      assertThat(places.countryCode(places.country(p))).hasSize(2);
    }
    assertThat(withRegion).isGreaterThan(places.size() * 99 / 100);
    int named = 0;
    for (int c = 0; c < places.countryCount(); c++) {
      if (!places.countryName(c).equals(places.countryCode(c))) named++;
    }
    assertThat(named).isGreaterThanOrEqualTo(places.countryCount() - 2);
  }

  @Test
  void nearestMatchesABruteForceScanEverywhere() {
    PointIndex index = new PointIndex(places);
    SplittableRandom random = new SplittableRandom(42);
    List<double[]> points = new ArrayList<>();
    for (int i = 0; i < 200; i++) points.add(new double[] {random.nextDouble(-90, 90), random.nextDouble(-180, 180)});
    points.add(new double[] {90, 0});
    points.add(new double[] {-90, 0});
    points.add(new double[] {-17, 180});
    points.add(new double[] {-17, -180});
    points.add(new double[] {65.5, -168.9}); // Bering Strait
    int k = 7;
    int[] found = new int[k];
    double[] km = new double[k];
    for (double[] pt : points) {
      int n = index.nearest(pt[0], pt[1], k, found, km);
      assertThat(n).isEqualTo(k);
      double[] brute = bruteForceDistances(pt[0], pt[1], k);
      for (int i = 0; i < k; i++) {
        assertThat(km[i]).as("distance %d at %s", i, java.util.Arrays.toString(pt)).isCloseTo(brute[i], org.assertj.core.data.Offset.offset(0.01));
        assertThat(PointIndex.distanceKm(pt[0], pt[1], places.lat(found[i]), places.lon(found[i])))
            .isCloseTo(km[i], org.assertj.core.data.Offset.offset(0.01));
      }
    }
  }

  @Test
  void prefixRangesHoldExactlyTheKeysWithThePrefix() {
    for (String prefix : new String[] {"paris", "s", "zur", "new york", "sao paulo", "zzzzzz", "a"}) {
      byte[] p = prefix.getBytes(StandardCharsets.UTF_8);
      int from = names.prefixStart(p);
      int to = names.prefixEnd(p);
      int expected = 0;
      for (int k = 0; k < names.size(); k++) {
        if (names.key(k).startsWith(prefix)) {
          expected++;
          assertThat(k).isBetween(from, to - 1);
        }
      }
      assertThat(to - from).as(prefix).isEqualTo(expected);
      int exactEnd = names.exactEnd(from, to, p.length);
      for (int k = from; k < to; k++) assertThat(names.key(k).equals(prefix)).isEqualTo(k < exactEnd);
    }
  }

  @Test
  void aCursorHandsOutEveryKeyOfItsRangeMostPopulousFirst() {
    byte[] p = "sa".getBytes(StandardCharsets.UTF_8);
    int from = names.prefixStart(p);
    int to = names.prefixEnd(p);
    NameIndex.Cursor cursor = names.cursor(from, to);
    int seen = 0;
    int last = Integer.MAX_VALUE;
    boolean[] handed = new boolean[to - from];
    for (int key = cursor.next(); key >= 0; key = cursor.next()) {
      int population = places.population(names.place(key));
      assertThat(population).isLessThanOrEqualTo(last);
      last = population;
      assertThat(key).isBetween(from, to - 1);
      assertThat(handed[key - from]).isFalse();
      handed[key - from] = true;
      seen++;
    }
    assertThat(seen).isEqualTo(to - from);
  }

  boolean hasKey(String key, int place, NameIndex.Kind kind) {
    byte[] bytes = key.getBytes(StandardCharsets.UTF_8);
    int from = names.prefixStart(bytes);
    int to = names.exactEnd(from, names.prefixEnd(bytes), bytes.length);
    for (int k = from; k < to; k++) {
      if (names.place(k) == place && names.kind(k) == kind) return true;
    }
    return false;
  }

  /** The k smallest great-circle distances to every place, through unit vectors (exact, and quick enough to scan). */
  static double[] bruteForceDistances(double lat, double lon, int k) {
    if (unit == null) {
      double[] u = new double[places.size() * 3];
      for (int p = 0; p < places.size(); p++) vector(places.lat(p), places.lon(p), u, 3 * p);
      unit = u;
    }
    double[] q = new double[3];
    vector(lat, lon, q, 0);
    double[] best = new double[k];
    java.util.Arrays.fill(best, Double.MAX_VALUE);
    for (int p = 0; p < places.size(); p++) {
      double dx = unit[3 * p] - q[0], dy = unit[3 * p + 1] - q[1], dz = unit[3 * p + 2] - q[2];
      double d = dx * dx + dy * dy + dz * dz;
      if (d < best[k - 1]) {
        int j = k - 1;
        while (j > 0 && best[j - 1] > d) {
          best[j] = best[j - 1];
          j--;
        }
        best[j] = d;
      }
    }
    for (int i = 0; i < k; i++) best[i] = 2 * PointIndex.EARTH_RADIUS_KM * Math.asin(Math.sqrt(best[i]) / 2);
    return best;
  }

  static double[] unit;

  static void vector(double lat, double lon, double[] out, int at) {
    double la = Math.toRadians(lat), lo = Math.toRadians(lon);
    out[at] = Math.cos(la) * Math.cos(lo);
    out[at + 1] = Math.cos(la) * Math.sin(lo);
    out[at + 2] = Math.sin(la);
  }
}
