package io.codex.geo;

import java.nio.charset.StandardCharsets;
import java.util.BitSet;
import java.util.Locale;

/**
 * The places of the gazetteer, column by column in primitive arrays (no object per place): GeoNames
 * id, UTF-8 name, country, region, population, position and whether it is a district of a city.
 * A place is its index. Immutable once built, so any number of threads may read it.
 */
final class Places {
  static final int NO_REGION = -1;

  private final int size;
  private final int[] geonamesId;
  private final int[] population;
  private final int[] lonE5;
  private final int[] latE5;
  private final short[] country;
  private final short[] region;
  private final BitSet sections;
  private final byte[] names;
  private final int[] nameStart;
  private final String[] countryCodes;
  private final String[] countryNames;
  private final String[] regionNames;
  private final String[] regionCodes;

  Places(int size, int[] geonamesId, int[] population, int[] lonE5, int[] latE5, short[] country, short[] region,
      BitSet sections, byte[] names, int[] nameStart, String[] countryCodes, String[] regionCodes, String[] regionNames) {
    this.size = size;
    this.geonamesId = geonamesId;
    this.population = population;
    this.lonE5 = lonE5;
    this.latE5 = latE5;
    this.country = country;
    this.region = region;
    this.sections = sections;
    this.names = names;
    this.nameStart = nameStart;
    this.countryCodes = countryCodes;
    this.regionCodes = regionCodes;
    this.regionNames = regionNames;
    this.countryNames = new String[countryCodes.length];
    for (int i = 0; i < countryCodes.length; i++) countryNames[i] = countryName(countryCodes[i]);
  }

  /** The English name of an ISO 3166-1 alpha-2 code, from the JDK's locale data; the code when it has none. */
  static String countryName(String code) {
    String name = new Locale("", code).getDisplayCountry(Locale.ENGLISH);
    return name.isEmpty() || name.equalsIgnoreCase(code) ? code : name;
  }

  int size() {
    return size;
  }

  int geonamesId(int place) {
    return geonamesId[place];
  }

  int population(int place) {
    return population[place];
  }

  double lon(int place) {
    return lonE5[place] / 1e5;
  }

  double lat(int place) {
    return latE5[place] / 1e5;
  }

  String name(int place) {
    return new String(names, nameStart[place], nameStart[place + 1] - nameStart[place], StandardCharsets.UTF_8);
  }

  int country(int place) {
    return country[place];
  }

  /** The region index of a place, or {@link #NO_REGION}. */
  int region(int place) {
    return region[place];
  }

  /** Whether the place is a section of a bigger one (a district, GeoNames PPLX). */
  boolean isSection(int place) {
    return sections.get(place);
  }

  int countryCount() {
    return countryCodes.length;
  }

  String countryCode(int country) {
    return countryCodes[country];
  }

  String countryName(int country) {
    return countryNames[country];
  }

  int regionCount() {
    return regionNames.length;
  }

  String regionName(int region) {
    return regionNames[region];
  }

  /** The GeoNames admin1 code of a region, without its country ("IL" for Illinois, "84" for Auvergne-Rhône-Alpes). */
  String regionCode(int region) {
    return regionCodes[region];
  }

  /** The place as a result: label "name, region, country" (the region left out when unknown or equal to the name). */
  GeoPlace toGeoPlace(int place, double confidence) {
    String name = name(place);
    String countryName = countryNames[country[place]];
    String regionName = region[place] == NO_REGION ? null : regionNames[region[place]];
    StringBuilder label = new StringBuilder(name.length() + 40).append(name);
    if (regionName != null && !regionName.equals(name)) label.append(", ").append(regionName);
    label.append(", ").append(countryName);
    return new GeoPlace(lon(place), lat(place), label.toString(), name, countryName, countryCodes[country[place]],
        regionName, confidence, OfflineGeocoder.NAME, "geonames:" + geonamesId[place], null);
  }

  /** Approximate bytes held by the arrays (for the load report). */
  long footprintBytes() {
    return 4L * (geonamesId.length + population.length + lonE5.length + latE5.length + nameStart.length)
        + 2L * (country.length + region.length) + names.length;
  }
}
