package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.List;
import org.junit.jupiter.api.Test;

class GazetteerTest {
  static final Gazetteer G = Gazetteer.bundled();

  static List<GeoPlace> forward(String q) {
    return G.forward(new ForwardQuery(q, 5, null, List.of(), null, null));
  }

  static List<GeoPlace> forward(String q, List<String> countries, double[] proximity, double[] bbox) {
    return G.forward(new ForwardQuery(q, 5, null, countries, proximity, bbox));
  }

  static List<GeoPlace> reverse(double lat, double lon, int limit) {
    return G.reverse(new ReverseQuery(lat, lon, limit, null));
  }

  @Test
  void holdsTheGeoNamesCities() {
    assertThat(G.size()).isGreaterThan(130_000);
  }

  @Test
  void parisIsParisFranceFirst() {
    List<GeoPlace> r = forward("Paris");
    System.out.println(r);
    GeoPlace first = r.get(0);
    assertThat(first.name()).isEqualTo("Paris");
    assertThat(first.countryCode()).isEqualTo("FR");
    assertThat(first.country()).isEqualTo("France");
    assertThat(first.label()).isEqualTo("Paris, Île-de-France, France");
    assertThat(first.provider()).isEqualTo("offline");
    assertThat(first.placeId()).isEqualTo("geonames:2988507");
    assertThat(first.confidence()).isEqualTo(1.0);
    assertThat(first.lat()).isCloseTo(48.853, org.assertj.core.data.Offset.offset(0.01));
    assertThat(first.lon()).isCloseTo(2.349, org.assertj.core.data.Offset.offset(0.01));
  }

  @Test
  void dump() {
    for (String q : List.of("paris", "Zur", "new yo", "Munich", "München", "Vienna", "Wien", "Lisboa", "Moskva", "São Paulo",
        "sao paulo", "Saint-Étienne", "saint etienne", "st etienne", "york", "Springfield", "Springfield, Illinois",
        "Paris, US", "paris texas", "london ontario", "l'aquila", "laquila", "s", "lo", "北京", ",,,", "   ", "x")) {
      System.out.println(q + " -> " + forward(q).stream().map(p -> p.label() + " " + p.confidence()).toList());
    }
    System.out.println(reverse(45.7640, 4.8357, 3));
  }
}
