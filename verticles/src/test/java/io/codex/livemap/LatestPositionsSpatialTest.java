package io.codex.livemap;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.TelemetryRecord;
import io.codex.geo.fence.Spherical;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Random;
import java.util.Set;
import org.junit.jupiter.api.Test;

class LatestPositionsSpatialTest {
  private final LatestPositions index = new LatestPositions();
  private long offset;

  private void put(String id, double lon, double lat) {
    index.offer(new TelemetryRecord("r" + offset, id, "2025-01-01T00:00:00.000Z", null, "gps", "{}", lat, lon, null, null, 0, offset++));
  }

  private static List<String> ids(List<LatestPositions.Nearby> found) {
    return found.stream().map(LatestPositions.Nearby::deviceId).toList();
  }

  @Test
  void nearestAndWithinAreSortedByGreatCircleDistance() {
    // east of Paris at 3, 1, 7 and 12 km (bearing 90 degrees), and one 2 km north
    double[] c = {2.35, 48.85};
    String[] ids = {"e3", "e1", "e7", "e12"};
    double[] km = {3, 1, 7, 12};
    for (int i = 0; i < ids.length; i++) {
      double[] p = Spherical.destination(c[0], c[1], 90, km[i] * 1000);
      put(ids[i], p[0], p[1]);
    }
    double[] n = Spherical.destination(c[0], c[1], 0, 2000);
    put("n2", n[0], n[1]);
    put("tokyo", 139.7, 35.7);

    List<LatestPositions.Nearby> nearest = index.nearest(c[0], c[1], 3, null);
    assertThat(ids(nearest)).containsExactly("e1", "n2", "e3");
    assertThat(nearest.get(0).distanceMeters()).isCloseTo(1000, org.assertj.core.data.Offset.offset(0.5));
    assertThat(ids(index.nearest(c[0], c[1], 10, null))).containsExactly("e1", "n2", "e3", "e7", "e12", "tokyo");

    int[] matched = {0};
    assertThat(ids(index.within(c[0], c[1], 7_500, 100, null, matched))).containsExactly("e1", "n2", "e3", "e7");
    assertThat(matched[0]).isEqualTo(4);
    assertThat(ids(index.within(c[0], c[1], 7_500, 2, null, matched))).as("limited").containsExactly("e1", "n2");
    assertThat(matched[0]).isEqualTo(4);
    assertThat(ids(index.within(c[0], c[1], 500, 100, null, matched))).isEmpty();
  }

  @Test
  void aTokenNarrowedToSomeDevicesFindsOnlyThose() {
    put("a", 0, 0);
    put("b", 0.001, 0);
    put("c", 0.002, 0);
    assertThat(ids(index.nearest(0, 0, 2, Set.of("b", "c")))).containsExactly("b", "c");
    assertThat(ids(index.within(0, 0, 1_000_000, 10, Set.of("c", "unknown"), null))).containsExactly("c");
  }

  @Test
  void findsDevicesAcrossTheAntimeridian() {
    put("west", -179.99, 10);
    put("east", 179.99, 10);
    put("far", 170, 10);
    assertThat(ids(index.within(180, 10, 5_000, 10, null, null))).containsExactlyInAnyOrder("west", "east");
    assertThat(ids(index.nearest(-179.995, 10, 2, null))).containsExactly("west", "east");
  }

  @Test
  void aMovedOrRemovedDeviceIsFoundOnlyWhereItIsNow() {
    put("m", 10, 10);
    put("m", 20, 20);
    assertThat(ids(index.within(10, 10, 1_000, 10, null, null))).isEmpty();
    assertThat(ids(index.within(20, 20, 1_000, 10, null, null))).containsExactly("m");
    index.remove("m");
    assertThat(ids(index.nearest(20, 20, 5, null))).isEmpty();
  }

  @Test
  void agreesWithSortingEveryDevice() {
    Random rnd = new Random(7);
    for (int i = 0; i < 5_000; i++) put("d" + i, -10 + rnd.nextDouble() * 20, 40 + rnd.nextDouble() * 15);
    for (int q = 0; q < 50; q++) {
      double lon = -10 + rnd.nextDouble() * 20;
      double lat = 40 + rnd.nextDouble() * 15;
      List<LatestPositions.Nearby> all = new ArrayList<>();
      for (Position p : index.all()) {
        all.add(new LatestPositions.Nearby(p.deviceId, p.lon, p.lat, Spherical.distance(lon, lat, p.lon, p.lat), null, null));
      }
      all.sort(Comparator.comparingDouble(LatestPositions.Nearby::distanceMeters).thenComparing(LatestPositions.Nearby::deviceId));
      assertThat(ids(index.nearest(lon, lat, 25, null))).isEqualTo(ids(all.subList(0, 25)));
      double r = 20_000 + rnd.nextDouble() * 100_000;
      assertThat(ids(index.within(lon, lat, r, 10_000, null, null)))
          .isEqualTo(ids(all.stream().filter(n -> n.distanceMeters() <= r).toList()));
    }
  }
}
