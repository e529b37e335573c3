package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.within;

import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.junit.jupiter.api.Test;

class GazetteerTest {
  static final Gazetteer G = Gazetteer.bundled();
  static final String PARIS_FR = "geonames:2988507";
  static final String SAO_PAULO = "geonames:3448439";
  static final String ZURICH = "geonames:2657896";
  static final String MUNICH = "geonames:2867714";
  static final String VIENNA = "geonames:2761369";
  static final String LISBON = "geonames:2267057";
  static final String MOSCOW = "geonames:524901";
  static final String NEW_YORK = "geonames:5128581";
  static final String LYON = "geonames:2996944";
  static final String SUVA = "geonames:2198148";
  static final String SPRINGFIELD_IL = "geonames:4250542";
  static final String SPRINGFIELD_MA = "geonames:4951788";

  static List<GeoPlace> forward(String q) {
    return forward(q, List.of(), null, null);
  }

  static List<GeoPlace> forward(String q, List<String> countries, double[] proximity, double[] bbox) {
    return G.forward(new ForwardQuery(q, 5, null, countries, proximity, bbox));
  }

  static List<GeoPlace> reverse(double lat, double lon, int limit) {
    return G.reverse(new ReverseQuery(lat, lon, limit, null));
  }

  static String first(List<GeoPlace> results) {
    assertThat(results).isNotEmpty();
    return results.get(0).placeId();
  }

  @Test
  void holdsTheGeoNamesCitiesOfAThousandPeopleOrMore() {
    assertThat(G.size()).isGreaterThan(130_000);
  }

  @Test
  void parisIsParisFranceFirstWithEveryProperty() {
    GeoPlace paris = forward("Paris").get(0);
    assertThat(paris.placeId()).isEqualTo(PARIS_FR);
    assertThat(paris.name()).isEqualTo("Paris");
    assertThat(paris.countryCode()).isEqualTo("FR");
    assertThat(paris.country()).isEqualTo("France");
    assertThat(paris.region()).isEqualTo("Île-de-France");
    assertThat(paris.label()).isEqualTo("Paris, Île-de-France, France");
    assertThat(paris.provider()).isEqualTo("offline");
    assertThat(paris.confidence()).isEqualTo(1.0);
    assertThat(paris.lat()).isCloseTo(48.853, within(0.01));
    assertThat(paris.lon()).isCloseTo(2.349, within(0.01));
    assertThat(paris.bbox()).isNull();
  }

  @Test
  void aRegionNamedLikeThePlaceIsLeftOutOfTheLabel() {
    GeoPlace vienna = forward("Vienna").get(0);
    assertThat(vienna.placeId()).isEqualTo(VIENNA);
    assertThat(vienna.label()).isEqualTo("Vienna, Austria");
    assertThat(vienna.region()).isEqualTo("Vienna");
  }

  @Test
  void theCountriesFilterFindsAParisInTheUnitedStates() {
    List<GeoPlace> r = forward("paris", List.of("US"), null, null);
    assertThat(r).isNotEmpty().allSatisfy(p -> {
      assertThat(p.countryCode()).isEqualTo("US");
      assertThat(p.name()).isEqualTo("Paris");
    });
    assertThat(r.get(0).label()).isEqualTo("Paris, Texas, United States");
    assertThat(forward("paris", List.of("us", "CA"), null, null)).extracting(GeoPlace::countryCode).containsOnly("US", "CA");
    assertThat(forward("paris", List.of("ZZ"), null, null)).as("an unknown country matches nothing").isEmpty();
  }

  @Test
  void saoPauloWithOrWithoutAccentsOrCapitals() {
    for (String q : List.of("São Paulo", "Sao Paulo", "sao paulo", "SÃO PAULO", "  sao   paulo ", "Sao-Paulo")) {
      assertThat(first(forward(q))).as(q).isEqualTo(SAO_PAULO);
      assertThat(forward(q).get(0).confidence()).as(q).isEqualTo(1.0);
    }
  }

  @Test
  void typeAheadPrefixes() {
    assertThat(first(forward("Zur"))).isEqualTo(ZURICH);
    assertThat(first(forward("zür"))).isEqualTo(ZURICH);
    assertThat(first(forward("new yo"))).isEqualTo(NEW_YORK);
    assertThat(first(forward("New York"))).isEqualTo(NEW_YORK);
    assertThat(first(forward("s"))).as("one letter: the biggest city").isIn("geonames:1796236", SAO_PAULO); // Shanghai
    assertThat(forward("lo").get(0).name()).as("an exact 'Lo' does not bury London").isEqualTo("London");
  }

  @Test
  void aCitysDistrictsComeAfterTheCity() {
    List<GeoPlace> r = G.forward(new ForwardQuery("Zürich", 5, null, List.of(), null, null));
    assertThat(r.get(0).placeId()).isEqualTo(ZURICH);
  }

  @Test
  void alternateNamesFindTheCity() {
    assertThat(first(forward("Munich"))).isEqualTo(MUNICH);
    assertThat(first(forward("München"))).isEqualTo(MUNICH);
    assertThat(first(forward("Muenchen"))).isEqualTo(MUNICH);
    assertThat(first(forward("Vienna"))).isEqualTo(VIENNA);
    assertThat(first(forward("Wien"))).isEqualTo(VIENNA);
    assertThat(first(forward("Lisboa"))).isEqualTo(LISBON);
    assertThat(first(forward("Moskva"))).as("beats a village named Moskva").isEqualTo(MOSCOW);
    assertThat(forward("Wien").get(0).name()).as("results carry the GeoNames name").isEqualTo("Vienna");
  }

  @Test
  void accentsPunctuationAndAbbreviationsFold() {
    String saintEtienne = first(forward("Saint-Étienne"));
    assertThat(forward("Saint-Étienne").get(0).name()).isEqualTo("Saint-Étienne");
    assertThat(first(forward("saint etienne"))).isEqualTo(saintEtienne);
    assertThat(first(forward("SAINT ETIENNE"))).isEqualTo(saintEtienne);
    assertThat(first(forward("St. Etienne"))).isEqualTo(saintEtienne);
    assertThat(forward("Mt Vernon, Ohio").get(0).name()).isEqualTo("Mount Vernon");
    assertThat(forward("Saint Petersburg").get(0).countryCode()).isEqualTo("RU");
    assertThat(first(forward("St Petersburg"))).isEqualTo(first(forward("Saint Petersburg")));
    assertThat(first(forward("l'aquila"))).isEqualTo(first(forward("L’Aquila"))).isEqualTo(first(forward("laquila")))
        .isEqualTo(first(forward("l aquila")));
    assertThat(forward("Łódź").get(0).name()).isEqualTo("Łódź");
    assertThat(first(forward("lodz"))).isEqualTo(first(forward("Łódź")));
    assertThat(first(forward("Malmo"))).isEqualTo(first(forward("Malmö")));
    assertThat(first(forward("Tromso"))).isEqualTo(first(forward("Tromsø")));
  }

  @Test
  void laterWordsOfANameMatchAfterWholeNames() {
    List<GeoPlace> york = forward("york");
    assertThat(york.get(0).name()).isEqualTo("York");
    List<GeoPlace> angeles = forward("angeles");
    assertThat(angeles).extracting(GeoPlace::name).contains("Los Angeles");
  }

  @Test
  void aQualifierNarrowsToACountryOrRegion() {
    assertThat(forward("Paris, US").get(0).countryCode()).isEqualTo("US");
    assertThat(forward("Paris, United States")).extracting(GeoPlace::countryCode).containsOnly("US");
    assertThat(forward("Paris, USA")).extracting(GeoPlace::countryCode).containsOnly("US");
    assertThat(first(forward("Paris, France"))).isEqualTo(PARIS_FR);
    assertThat(forward("Springfield, Illinois")).extracting(GeoPlace::placeId).containsExactly(SPRINGFIELD_IL);
    assertThat(first(forward("Springfield, IL"))).isEqualTo(SPRINGFIELD_IL);
    assertThat(first(forward("Springfield, Illi"))).as("a prefix of the region, typed ahead").isEqualTo(SPRINGFIELD_IL);
    assertThat(first(forward("Springfield, Massachusetts, US"))).isEqualTo(SPRINGFIELD_MA);
    assertThat(forward("London, Ontario").get(0).label()).isEqualTo("London, Ontario, Canada");
    assertThat(forward("Lyon, FR").get(0).placeId()).isEqualTo(LYON);
    assertThat(forward("Lyon, FRA").get(0).placeId()).isEqualTo(LYON);
    assertThat(forward("Paris, Germany")).as("a known qualifier is a filter").isEmpty();
  }

  @Test
  void trailingWordsNamingACountryOrRegionActAsAQualifier() {
    assertThat(forward("paris texas").get(0).label()).isEqualTo("Paris, Texas, United States");
    assertThat(forward("london ontario").get(0).label()).isEqualTo("London, Ontario, Canada");
    assertThat(forward("san jose costa rica").get(0).countryCode()).isEqualTo("CR");
  }

  @Test
  void anUnknownQualifierIsIgnoredWithLessConfidence() {
    GeoPlace paris = forward("Paris, 75001").get(0);
    assertThat(paris.placeId()).isEqualTo(PARIS_FR);
    assertThat(paris.confidence()).isEqualTo(0.8);
  }

  @Test
  void confidenceReflectsMatchQuality() {
    double exactName = forward("Paris").get(0).confidence();
    double exactAlternate = forward("Wien").get(0).confidence();
    double prefix = forward("Marseil").get(0).confidence();
    double alternatePrefix = forward("Münch").get(0).confidence();
    assertThat(first(forward("Münch"))).isEqualTo(MUNICH);
    double word = forward("etienne").stream().filter(p -> p.name().equals("Saint-Étienne")).findFirst().orElseThrow().confidence();
    assertThat(exactName).isEqualTo(1.0);
    assertThat(exactAlternate).isLessThan(exactName);
    assertThat(prefix).isLessThan(exactAlternate);
    assertThat(alternatePrefix).isLessThan(prefix);
    assertThat(word).isLessThan(alternatePrefix);
    assertThat(forward("Marseil").get(0).name()).isEqualTo("Marseille");
    assertThat(forward("Pari").get(0).placeId()).as("\"Pari\" is also one of its alternate names").isEqualTo(PARIS_FR);
    for (String q : List.of("Paris", "s", "new yo", "Springfield, IL", "Paris, 75001", "angeles")) {
      assertThat(G.forward(new ForwardQuery(q, 50, null, List.of(), null, null)))
          .allSatisfy(p -> assertThat(p.confidence()).isBetween(0.0, 1.0));
    }
  }

  @Test
  void proximityRaisesNearbyPlaces() {
    double[] illinois = {-89.65, 39.80};
    double[] massachusetts = {-72.59, 42.10};
    assertThat(first(forward("Springfield", List.of(), illinois, null))).isEqualTo(SPRINGFIELD_IL);
    assertThat(first(forward("Springfield", List.of(), massachusetts, null))).isEqualTo(SPRINGFIELD_MA);
    assertThat(forward("Paris", List.of(), new double[] {-95.55, 33.66}, null).get(0).label())
        .as("a town of 25,000 next door beats a far capital").isEqualTo("Paris, Texas, United States");
  }

  @Test
  void oneLetterNearATownListsIt() {
    assertThat(forward("S", List.of(), new double[] {-89.65, 39.80}, null)).extracting(GeoPlace::placeId).contains(SPRINGFIELD_IL);
    assertThat(forward("S", List.of(), null, null)).extracting(GeoPlace::placeId).doesNotContain(SPRINGFIELD_IL);
  }

  @Test
  void oneLetterInASmallCountryStillFindsItsPlaces() {
    assertThat(forward("s", List.of("LI"), null, null)).isNotEmpty().extracting(GeoPlace::countryCode).containsOnly("LI");
    assertThat(forward("s", List.of("LI"), null, null).get(0).name()).isEqualTo("Schaan");
  }

  @Test
  void proximityDoesNotLetASmallTownBeatACapital() {
    // Paris, Kentucky (about 10,000 people) right at the point, Paris, France 7,000 km away
    assertThat(first(forward("Paris", List.of(), new double[] {-84.25, 38.21}, null))).isEqualTo(PARIS_FR);
    // London, Kentucky (about 8,000)
    assertThat(forward("London", List.of(), new double[] {-84.08, 37.13}, null).get(0).countryCode()).isEqualTo("GB");
  }

  @Test
  void theBboxFilterExcludesEverythingOutside() {
    double[] texas = {-107, 25, -94, 37};
    assertThat(forward("Paris", List.of(), null, texas)).extracting(GeoPlace::label).containsExactly("Paris, Texas, United States");
    assertThat(forward("Paris", List.of(), null, new double[] {-10, 35, 30, 60})).extracting(GeoPlace::countryCode)
        .doesNotContain("US", "CA").contains("FR");
    assertThat(forward("Paris", List.of(), null, new double[] {0, 0, 10, 10})).isEmpty();
    assertThat(first(forward("Suva", List.of(), null, new double[] {170, -20, -170, -10})))
        .as("a bbox across the antimeridian").isEqualTo(SUVA);
    assertThat(forward("Suva", List.of(), null, new double[] {-170, -20, 170, -10})).extracting(GeoPlace::placeId)
        .doesNotContain(SUVA);
  }

  @Test
  void limitsAreHonouredWithDistinctPlaces() {
    List<GeoPlace> r = G.forward(new ForwardQuery("s", 50, null, List.of(), null, null));
    assertThat(r).hasSize(50);
    assertThat(r).extracting(GeoPlace::placeId).doesNotHaveDuplicates();
    assertThat(G.forward(new ForwardQuery("Paris", 1, null, List.of(), null, null))).hasSize(1);
    assertThat(G.reverse(new ReverseQuery(0, 0, 50, null))).hasSize(50);
  }

  @Test
  void oddTextNeverThrows() {
    List<String> odd = new ArrayList<>(List.of("", " ", ",", ",,,", ", US", "'", "-", "北京", "東京", "Москва", "😀",
        "\u0000\t\n", "\uD800", "a\u0301", "ß", "ǅ", "İstanbul", "%", "?q=1&x", "a".repeat(600), "Paris,,, ,US",
        "x x x x x x x x x x", "1000", "\u200B"));
    for (String q : odd) {
      assertThat(G.forward(new ForwardQuery(q, 5, null, List.of(), null, null))).as(q).isNotNull();
      assertThat(G.forward(new ForwardQuery(q, 5, "de", List.of("FR", "xx"), new double[] {2, 48}, new double[] {-180, -90, 180, 90})))
          .as(q).isNotNull();
    }
    assertThat(G.forward(new ForwardQuery(null, 5, null, null, null, null))).isEmpty();
    assertThat(G.forward(new ForwardQuery("Paris", 0, null, null, new double[] {Double.NaN, 1}, new double[] {1})))
        .as("a bad limit, proximity or bbox is ignored").hasSize(1);
    assertThat(first(forward("Istanbul"))).isEqualTo(first(forward("İstanbul")));
    assertThat(G.reverse(new ReverseQuery(Double.NaN, 0, 1, null))).isEmpty();
  }

  @Test
  void reverseOfAPointInLyonIsLyon() {
    List<GeoPlace> r = reverse(45.7640, 4.8357, 5);
    assertThat(r.get(0).placeId()).isEqualTo(LYON);
    assertThat(r.get(0).label()).isEqualTo("Lyon, Auvergne-Rhône-Alpes, France");
    assertThat(r.get(0).confidence()).isGreaterThan(0.9);
    assertThat(r).hasSize(5);
    for (int i = 1; i < r.size(); i++) {
      assertThat(r.get(i).confidence()).isLessThanOrEqualTo(r.get(i - 1).confidence());
      assertThat(km(45.7640, 4.8357, r.get(i))).isGreaterThanOrEqualTo(km(45.7640, 4.8357, r.get(i - 1)));
    }
  }

  @Test
  void reverseWorksAcrossTheAntimeridian() {
    assertThat(reverse(-18.14, 178.44, 1).get(0).placeId()).isEqualTo(SUVA);
    // Fiji straddles 180°: from just east of it, the nearest places are on both sides
    List<GeoPlace> r = reverse(-17.0, -179.99, 5);
    assertThat(r).extracting(GeoPlace::countryCode).containsOnly("FJ");
    assertThat(r).anySatisfy(p -> assertThat(p.lon()).isPositive()).anySatisfy(p -> assertThat(p.lon()).isNegative());
    assertThat(reverse(-16.5, 179.99, 1).get(0).name()).isEqualTo("Labasa");
    assertThat(reverse(-16.5, -180.0, 1).get(0).name()).isEqualTo("Labasa");
  }

  @Test
  void reverseWorksNearThePoles() {
    assertThat(reverse(89.99, 0, 1).get(0).name()).isEqualTo("Longyearbyen");
    assertThat(reverse(90, 123, 1).get(0).name()).isEqualTo("Longyearbyen");
    assertThat(reverse(-90, 0, 1).get(0).countryCode()).isEqualTo("AQ");
  }

  @Test
  void concurrentReadersGetTheSameAnswers() throws Exception {
    List<String> queries = List.of("Paris", "Zur", "new yo", "Springfield, IL", "sao paulo", "Wien", "s", "lo");
    List<List<GeoPlace>> expected = queries.stream().map(GazetteerTest::forward).toList();
    List<GeoPlace> expectedReverse = reverse(45.7640, 4.8357, 10);
    ExecutorService pool = Executors.newFixedThreadPool(4);
    try {
      List<Future<Boolean>> runs = new ArrayList<>();
      for (int t = 0; t < 4; t++) {
        runs.add(pool.submit(() -> {
          for (int i = 0; i < 500; i++) {
            int q = i % queries.size();
            if (!sameIds(forward(queries.get(q)), expected.get(q))) return false;
            if (!sameIds(reverse(45.7640, 4.8357, 10), expectedReverse)) return false;
          }
          return true;
        }));
      }
      for (Future<Boolean> run : runs) assertThat(run.get()).isTrue();
    } finally {
      pool.shutdownNow();
    }
  }

  static boolean sameIds(List<GeoPlace> a, List<GeoPlace> b) {
    return a.stream().map(GeoPlace::placeId).toList().equals(b.stream().map(GeoPlace::placeId).toList());
  }

  static double km(double lat, double lon, GeoPlace p) {
    return PointIndex.distanceKm(lat, lon, p.lat(), p.lon());
  }
}
