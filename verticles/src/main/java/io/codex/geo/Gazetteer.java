package io.codex.geo;

import java.util.List;

/**
 * The bundled offline gazetteer (GeoNames cities). Loaded once per JVM ({@link #bundled()}, slow:
 * call it off the event loop); searches are fast enough for an event loop.
 * PLACEHOLDER until the gazetteer lands.
 */
public final class Gazetteer {
  private static volatile Gazetteer bundled;

  /** The gazetteer shipped in the jar, loaded on first use (blocking; not on an event loop). */
  public static Gazetteer bundled() {
    Gazetteer g = bundled;
    if (g == null) {
      synchronized (Gazetteer.class) {
        if (bundled == null) bundled = new Gazetteer();
        g = bundled;
      }
    }
    return g;
  }

  public List<GeoPlace> forward(ForwardQuery q) {
    return List.of();
  }

  public List<GeoPlace> reverse(ReverseQuery q) {
    return List.of();
  }

  public int size() {
    return 0;
  }
}
