package io.codex.geo;

import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.BitSet;
import java.util.List;

/**
 * One forward search over the {@link NameIndex}: the best {@code limit} places whose keys start with
 * the folded text, ranked by match quality, then prominence (population, raised near the
 * {@code proximity} point). One instance per search (it holds the running best list).
 *
 * <p>Rank = match score + {@value #POPULATION_WEIGHT} × log10(population × proximity boost) / 7.
 * Match scores: exact name 1.0, exact alternate 0.9, exact word 0.6, prefix of the name 0.75, of an
 * alternate 0.65, of a later word 0.5 — so an exact alternate ("Wien") beats an exact name only for
 * a place ~25× bigger, and a prefix beats an exact name only for a place ~3,000× bigger. The
 * proximity boost is at most {@value #MAX_BOOST}× (right at the point) and fades over a few
 * hundred kilometres: a village next door never outranks a capital far away. The match score is
 * the result's {@code confidence}.
 *
 * <p>Keys are handed out most populous first, so the search stops as soon as nothing left in the
 * key range could enter the best list. It looks at {@value #MAX_VISITS} keys at most
 * ({@value #MAX_VISITS_NEAR} with a proximity: only one or two letters typed get there), or
 * {@value #MAX_FILTERED_VISITS} while filters leave the list short; then, with a proximity, the
 * {@value #NEARBY} places nearest to it whose names start with the text are added, so that "S"
 * near Springfield, Illinois still finds it.
 */
final class ForwardSearch {
  static final double POPULATION_WEIGHT = 0.5;
  static final double MAX_BOOST = 100;
  private static final double BOOST_FADE_KM = 150;
  private static final int MAX_VISITS = 1_000;
  /** With a proximity the bound is loose (a key may be 100× boosted), and the nearby places are added anyway. */
  private static final int MAX_VISITS_NEAR = 300;
  /** While filters leave the list short: "s" in Liechtenstein. */
  private static final int MAX_FILTERED_VISITS = 25_000;
  private static final int NEARBY = 128;
  private static final double KM_PER_DEGREE = 111.195;
  private static final int MIN_POPULATION = 100;

  private final Places places;
  private final NameIndex index;
  private final PointIndex points;
  private final double proximityCosLat;
  private final int maxVisits;
  private final Filter filter;
  private final int limit;
  private final double penalty;
  private final int[] bestPlace;
  private final double[] bestRank;
  private final double[] bestScore;
  private int found;
  private int visits;

  /** Which places may be returned, and where the caller is. */
  record Filter(BitSet countries, double[] bbox, List<Qualifiers.Match> qualifiers, double[] proximity) {
    boolean accepts(Places places, int place) {
      if (countries != null && !countries.get(places.country(place))) return false;
      if (bbox != null && !inBbox(places.lon(place), places.lat(place))) return false;
      for (Qualifiers.Match q : qualifiers) {
        if (!q.matches(places, place)) return false;
      }
      return true;
    }

    private boolean inBbox(double lon, double lat) {
      if (lat < bbox[1] || lat > bbox[3]) return false;
      return bbox[0] <= bbox[2] ? lon >= bbox[0] && lon <= bbox[2] : lon >= bbox[0] || lon <= bbox[2];
    }

    Filter with(Qualifiers.Match extra) {
      List<Qualifiers.Match> all = new ArrayList<>(qualifiers);
      all.add(extra);
      return new Filter(countries, bbox, all, proximity);
    }
  }

  ForwardSearch(Places places, NameIndex index, PointIndex points, Filter filter, int limit, double penalty) {
    this.places = places;
    this.index = index;
    this.points = points;
    this.proximityCosLat = filter.proximity() == null ? 1 : Math.cos(Math.toRadians(filter.proximity()[1]));
    this.maxVisits = filter.proximity() == null ? MAX_VISITS : MAX_VISITS_NEAR;
    this.filter = filter;
    this.limit = limit;
    this.penalty = penalty;
    this.bestPlace = new int[limit];
    this.bestRank = new double[limit];
    this.bestScore = new double[limit];
  }

  /** Runs the search for a folded, non-empty text; returns how many places were found. */
  int run(String folded) {
    byte[] prefix = folded.getBytes(StandardCharsets.UTF_8);
    int from = index.prefixStart(prefix);
    int to = index.prefixEnd(prefix);
    if (from >= to) return 0;
    int exactEnd = index.exactEnd(from, to, prefix.length);
    boolean shortText = folded.length() < 4;
    walk(from, exactEnd, true, shortText);
    walk(exactEnd, to, false, shortText);
    if (visits >= maxVisits && filter.proximity() != null) addNearby(folded, shortText);
    return found;
  }

  int found() {
    return found;
  }

  int place(int i) {
    return bestPlace[i];
  }

  double confidence(int i) {
    return Math.round(bestScore[i] * penalty * 100) / 100.0;
  }

  static double matchScore(NameIndex.Kind kind, boolean exact, boolean shortText) {
    if (exact) {
      // one to three letters typed: an exact "Lo" should not bury London
      return switch (kind) {
        case NAME -> shortText ? 0.8 : 1.0;
        case ALTERNATE -> shortText ? 0.75 : 0.9;
        case WORD -> 0.6;
      };
    }
    return switch (kind) {
      case NAME -> 0.75;
      case ALTERNATE -> 0.65;
      case WORD -> 0.5;
    };
  }

  private void walk(int from, int to, boolean exact, boolean shortText) {
    if (from >= to) return;
    double maxScore = matchScore(NameIndex.Kind.NAME, exact, shortText);
    double maxBoost = filter.proximity() == null ? 1 : MAX_BOOST;
    NameIndex.Cursor cursor = index.cursor(from, to);
    while (visits < maxVisits || (found < limit && visits < MAX_FILTERED_VISITS)) {
      int population = cursor.peekPopulation();
      if (population < 0) return;
      if (found == limit && maxScore + prominence(population, maxBoost) <= bestRank[limit - 1]) return;
      int key = cursor.next();
      visits++;
      int place = index.place(key);
      if (!filter.accepts(places, place)) continue;
      double score = matchScore(index.kind(key), exact, shortText);
      offer(place, score + prominence(population(place), boost(place)), score);
    }
  }

  /** The places nearest to the proximity point whose name (or a later word of it) starts with the text. */
  private void addNearby(String folded, boolean shortText) {
    int[] near = new int[NEARBY];
    double[] km = new double[NEARBY];
    double[] p = filter.proximity();
    int n = points.nearest(p[1], p[0], NEARBY, near, km);
    for (int i = 0; i < n; i++) {
      int place = near[i];
      if (!filter.accepts(places, place)) continue;
      String name = NameFolding.fold(places.name(place));
      double score;
      if (name.startsWith(folded)) {
        score = matchScore(NameIndex.Kind.NAME, name.length() == folded.length(), shortText);
      } else if (name.contains(" " + folded)) {
        score = matchScore(NameIndex.Kind.WORD, false, shortText);
      } else {
        continue;
      }
      offer(place, score + prominence(population(place), boost(place)), score);
    }
  }

  /** The population that ranks a place: a city's district counts for a tenth, so "Zur" lists Zürich before its Kreise. */
  private int population(int place) {
    int population = places.population(place);
    return places.isSection(place) ? population / 10 : population;
  }

  private double boost(int place) {
    double[] p = filter.proximity();
    if (p == null) return 1;
    // equirectangular at the point's latitude: exact enough where the boost matters (a few hundred km)
    double dLat = places.lat(place) - p[1];
    double dLon = Math.abs(places.lon(place) - p[0]);
    if (dLon > 180) dLon = 360 - dLon;
    double km = KM_PER_DEGREE * Math.sqrt(dLat * dLat + dLon * proximityCosLat * dLon * proximityCosLat);
    return 1 + (MAX_BOOST - 1) * Math.exp(-km / BOOST_FADE_KM);
  }

  private static double prominence(int population, double boost) {
    return POPULATION_WEIGHT * Math.log10(Math.max(population, MIN_POPULATION) * boost) / 7;
  }

  private void offer(int place, double rank, double score) {
    for (int i = 0; i < found; i++) {
      if (bestPlace[i] == place) {
        if (bestRank[i] >= rank) return;
        remove(i);
        break;
      }
    }
    if (found == limit && rank <= bestRank[limit - 1]) return;
    int j = found < limit ? found++ : limit - 1;
    while (j > 0 && bestRank[j - 1] < rank) {
      bestPlace[j] = bestPlace[j - 1];
      bestRank[j] = bestRank[j - 1];
      bestScore[j] = bestScore[j - 1];
      j--;
    }
    bestPlace[j] = place;
    bestRank[j] = rank;
    bestScore[j] = score;
  }

  private void remove(int i) {
    System.arraycopy(bestPlace, i + 1, bestPlace, i, found - i - 1);
    System.arraycopy(bestRank, i + 1, bestRank, i, found - i - 1);
    System.arraycopy(bestScore, i + 1, bestScore, i, found - i - 1);
    found--;
  }
}
