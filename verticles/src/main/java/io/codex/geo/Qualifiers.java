package io.codex.geo;

import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.List;
import java.util.Locale;

/**
 * Resolves the qualifier of a query such as "Paris, US", "Springfield, Illinois" or "Lyon, France" to
 * the countries and regions it may name: ISO 3166 alpha-2 and alpha-3 codes, English country names
 * (and a few everyday ones: "USA", "UK", "Holland"), region (GeoNames admin1) names, and letter
 * admin1 codes ("IL", "ZH"); a prefix of three letters or more of a name also counts, for
 * type-ahead ("Springfield, Illi"). A qualifier may name several things ("CA": Canada and
 * California, "Georgia": the country and the state); a place matches if it is in any of them.
 * Immutable.
 */
final class Qualifiers {
  private static final int MIN_PREFIX = 3;
  private static final String[][] COUNTRY_ALIASES = {
      {"usa", "US"}, {"united states of america", "US"}, {"america", "US"}, {"uk", "GB"}, {"great britain", "GB"},
      {"britain", "GB"}, {"holland", "NL"}, {"czechia", "CZ"}, {"russia", "RU"}, {"south korea", "KR"},
      {"north korea", "KP"}, {"ivory coast", "CI"}, {"uae", "AE"}, {"vatican", "VA"}, {"turkey", "TR"},
      {"burma", "MM"}, {"macedonia", "MK"}, {"swaziland", "SZ"}, {"cape verde", "CV"}, {"east timor", "TL"},
  };

  private final Places places;
  /** Folded aliases, sorted, each with the country (≥ 0) or region (-1 - index) it names. */
  private final String[] alias;
  private final int[] target;
  /** Aliases that must match whole (codes): a prefix of "usa" must not name the United States. */
  private final boolean[] wholeOnly;

  Qualifiers(Places places) {
    this.places = places;
    List<Object[]> entries = new ArrayList<>();
    for (int c = 0; c < places.countryCount(); c++) {
      String code = places.countryCode(c);
      entries.add(new Object[] {code.toLowerCase(Locale.ROOT), c, true});
      try {
        String iso3 = new Locale("", code).getISO3Country();
        if (!iso3.isEmpty()) entries.add(new Object[] {iso3.toLowerCase(Locale.ROOT), c, true});
      } catch (java.util.MissingResourceException e) {
        // a code the JDK does not know (e.g. XK): its alpha-2 code and name still work
      }
      String name = NameFolding.fold(places.countryName(c));
      if (!name.isEmpty()) entries.add(new Object[] {name, c, false});
    }
    for (String[] a : COUNTRY_ALIASES) {
      int c = countryIndex(a[1]);
      if (c >= 0) entries.add(new Object[] {a[0], c, !a[0].contains(" ") && a[0].length() <= 3});
    }
    for (int r = 0; r < places.regionCount(); r++) {
      String name = NameFolding.fold(places.regionName(r));
      if (!name.isEmpty()) entries.add(new Object[] {name, -1 - r, false});
      String code = places.regionCode(r);
      if (code.length() >= 2 && code.chars().allMatch(Character::isLetter)) {
        entries.add(new Object[] {code.toLowerCase(Locale.ROOT), -1 - r, true});
      }
    }
    entries.sort((a, b) -> ((String) a[0]).compareTo((String) b[0]));
    alias = new String[entries.size()];
    target = new int[entries.size()];
    wholeOnly = new boolean[entries.size()];
    for (int i = 0; i < alias.length; i++) {
      alias[i] = (String) entries.get(i)[0];
      target[i] = (Integer) entries.get(i)[1];
      wholeOnly[i] = (Boolean) entries.get(i)[2];
    }
  }

  /** The country index of an ISO alpha-2 code (any case), or -1. */
  int countryIndex(String code) {
    for (int c = 0; c < places.countryCount(); c++) {
      if (places.countryCode(c).equalsIgnoreCase(code)) return c;
    }
    return -1;
  }

  /** What a folded qualifier names, or null when it names nothing. */
  Match resolve(String folded) {
    if (folded.isEmpty()) return null;
    int from = lowerBound(folded);
    BitSet countries = new BitSet();
    BitSet regions = new BitSet();
    boolean exact = false;
    for (int i = from; i < alias.length && alias[i].equals(folded); i++) {
      add(i, countries, regions);
      exact = true;
    }
    if (!exact && folded.length() >= MIN_PREFIX) {
      for (int i = from; i < alias.length && alias[i].startsWith(folded); i++) {
        if (!wholeOnly[i]) add(i, countries, regions);
      }
    }
    return countries.isEmpty() && regions.isEmpty() ? null : new Match(countries, regions);
  }

  private void add(int i, BitSet countries, BitSet regions) {
    int t = target[i];
    if (t >= 0) countries.set(t);
    else regions.set(-1 - t);
  }

  private int lowerBound(String key) {
    int i = Arrays.binarySearch(alias, key);
    if (i < 0) return -1 - i;
    while (i > 0 && alias[i - 1].equals(key)) i--;
    return i;
  }

  /** The countries and regions a qualifier names; a place matches if it lies in any of them. */
  record Match(BitSet countries, BitSet regions) {
    boolean matches(Places places, int place) {
      if (countries.get(places.country(place))) return true;
      int region = places.region(place);
      return region != Places.NO_REGION && regions.get(region);
    }
  }
}
