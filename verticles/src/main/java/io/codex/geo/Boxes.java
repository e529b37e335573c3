package io.codex.geo;

/** Bounding boxes {@code [w, s, e, n]}; {@code w > e} crosses the antimeridian (as the live map's subscriptions do). */
final class Boxes {
  private Boxes() {}

  static boolean crossesAntimeridian(double[] bbox) {
    return bbox[0] > bbox[2];
  }

  static boolean contains(double[] bbox, double lon, double lat) {
    if (lat < bbox[1] || lat > bbox[3]) return false;
    return crossesAntimeridian(bbox) ? lon >= bbox[0] || lon <= bbox[2] : lon >= bbox[0] && lon <= bbox[2];
  }
}
