package io.codex.geo;

import static io.codex.geo.MapboxGeocoderAgainstLocalStubTest.await;
import static io.codex.geo.MapboxGeocoderAgainstLocalStubTest.failure;
import static org.assertj.core.api.Assertions.assertThat;

import io.codex.geo.LocalGeoStub.Reply;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Google provider through the real google-maps-services-java SDK against a local stub of the Geocoding API. */
class GoogleGeocoderAgainstLocalStubTest {
  static final String KEY = "AIzaSyStubKeyForLocalTests0123456789abc";

  private LocalGeoStub stub;
  private GoogleGeocoder google;

  private void start(Reply reply) throws Exception {
    start(reply, Duration.ofSeconds(2));
  }

  private void start(Reply reply, Duration timeout) throws Exception {
    stub = LocalGeoStub.start(r -> reply);
    google = new GoogleGeocoder(new GeocodeConfig.Google(KEY, stub.baseUrl(), 50), timeout);
  }

  @AfterEach
  void stop() {
    if (google != null) google.close();
    if (stub != null) stub.close();
  }

  @Test
  void forwardSendsTheAddressAndItsOptionsAndMapsTheResults() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    List<GeoPlace> places = await(google.forward(new ForwardQuery("Paris", 5, "fr", List.of(), null, null)));

    LocalGeoStub.Request req = stub.last();
    assertThat(req.path()).isEqualTo("/maps/api/geocode/json");
    assertThat(req.query()).containsEntry("key", KEY).containsEntry("address", "Paris").containsEntry("language", "fr")
        .doesNotContainKeys("components", "bounds");

    assertThat(places).hasSize(2);
    GeoPlace paris = places.get(0);
    assertThat(paris.label()).isEqualTo("Paris, France");
    assertThat(paris.name()).isEqualTo("Paris");
    assertThat(paris.country()).isEqualTo("France");
    assertThat(paris.countryCode()).isEqualTo("FR");
    assertThat(paris.region()).isEqualTo("Île-de-France");
    assertThat(paris.confidence()).as("a full match; a city is always APPROXIMATE").isEqualTo(1.0);
    assertThat(paris.provider()).isEqualTo("google");
    assertThat(paris.placeId()).isEqualTo("ChIJD7fiBh9u5kcRYJSMaMOCCwQ");
    assertThat(paris.lat()).isEqualTo(48.856614);
    assertThat(paris.lon()).isEqualTo(2.3522219);
    assertThat(paris.bbox()).containsExactly(2.224199, 48.815573, 2.4699208, 48.9021449);
    GeoPlace texas = places.get(1);
    assertThat(texas.confidence()).as("partial_match").isEqualTo(0.5);
    assertThat(texas.region()).isEqualTo("Texas");
    assertThat(texas.bbox()).as("the viewport when there are no bounds").containsExactly(-95.627286, 33.6186, -95.470047, 33.7405);
  }

  @Test
  void oneCountryIsAComponentFilter() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    List<GeoPlace> places = await(google.forward(new ForwardQuery("Paris", 5, null, List.of("US"), null, null)));
    assertThat(stub.last().query()).containsEntry("components", "country:US");
    assertThat(places).extracting(GeoPlace::countryCode).containsExactly("US");
  }

  @Test
  void severalCountriesFilterTheAnswer() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    List<GeoPlace> places = await(google.forward(new ForwardQuery("Paris", 5, null, List.of("FR", "BE"), null, null)));
    assertThat(stub.last().query()).doesNotContainKey("components");
    assertThat(places).extracting(GeoPlace::countryCode).containsExactly("FR");
  }

  @Test
  void aBboxBiasesGoogleAndFiltersTheAnswer() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    List<GeoPlace> places = await(google.forward(new ForwardQuery("Paris", 5, null, List.of(), null, new double[] {-10, 40, 10, 55})));
    assertThat(stub.last().query()).containsEntry("bounds", "40.00000000,-10.00000000|55.00000000,10.00000000");
    assertThat(places).extracting(GeoPlace::placeId).containsExactly("ChIJD7fiBh9u5kcRYJSMaMOCCwQ");
  }

  @Test
  void aBoxAcrossTheAntimeridianBiasesGoogleAndFiltersTheAnswer() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    List<GeoPlace> places = await(google.forward(new ForwardQuery("Paris", 5, null, List.of(), null, new double[] {170, 20, -60, 60})));
    assertThat(stub.last().query()).containsEntry("bounds", "20.00000000,170.00000000|60.00000000,-60.00000000");
    assertThat(places).extracting(GeoPlace::countryCode).containsExactly("US");
  }

  @Test
  void aProximityBiasesTowardsABoxAroundIt() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    await(google.forward(new ForwardQuery("Paris", 5, null, List.of(), new double[] {-95.5, 33.6}, null)));
    assertThat(stub.last().query()).containsEntry("bounds", "33.35000000,-95.75000000|33.85000000,-95.25000000");
  }

  @Test
  void reverseSendsTheLatLngAndKeepsTheLimit() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_REVERSE_LYON));
    List<GeoPlace> places = await(google.reverse(new ReverseQuery(45.764, 4.8357, 1, "en")));
    assertThat(stub.last().query()).containsEntry("latlng", "45.76400000,4.83570000").containsEntry("language", "en");
    assertThat(places).singleElement().satisfies(p -> {
      assertThat(p.label()).isEqualTo("10 Pl. Bellecour, 69002 Lyon, France");
      assertThat(p.name()).as("an address has no component of its type: the first part of the label").isEqualTo("10 Pl. Bellecour");
      assertThat(p.region()).isEqualTo("Auvergne-Rhône-Alpes");
      assertThat(p.countryCode()).isEqualTo("FR");
      assertThat(p.confidence()).as("ROOFTOP").isEqualTo(1.0);
    });
    assertThat(await(google.reverse(new ReverseQuery(45.764, 4.8357, 5, null)))).extracting(GeoPlace::name)
        .containsExactly("10 Pl. Bellecour", "Lyon");
  }

  @Test
  void zeroResultsIsAnEmptyAnswer() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_ZERO_RESULTS));
    assertThat(await(google.forward(new ForwardQuery("xqzzyv", 5, null, List.of(), null, null)))).isEmpty();
  }

  @Test
  void overQueryLimitIsQuotaAndIsNotRetried() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_OVER_QUERY_LIMIT));
    long t0 = System.nanoTime();
    assertThat(((GeocodeException) failure(google.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.QUOTA);
    assertThat(stub.count()).as("the SDK's own retries are off").isEqualTo(1);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofSeconds(2));
  }

  @Test
  void requestDeniedIsDeniedAndNeverShowsTheKey() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_REQUEST_DENIED));
    assertThat(failure(google.forward(paris()))).isInstanceOfSatisfying(GeocodeException.class, e -> {
      assertThat(e.kind()).isEqualTo(GeocodeException.Kind.DENIED);
      assertThat(e.getMessage()).contains("The provided API key is invalid").doesNotContain(KEY);
    });
  }

  @Test
  void anInvalidRequestIsNoResultsNotAnOutage() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_INVALID_REQUEST));
    assertThat(await(google.forward(paris()))).isEmpty();
  }

  @Test
  void unknownErrorAndServerErrorsAreUnavailable() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_UNKNOWN_ERROR));
    assertThat(((GeocodeException) failure(google.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.UNAVAILABLE);
    stub.responder = r -> Reply.status(500, "<html>Server Error</html>");
    assertThat(((GeocodeException) failure(google.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.UNAVAILABLE);
    assertThat(stub.count()).as("a 500 is not retried either").isEqualTo(2);
  }

  @Test
  void aSlowAnswerTimesOut() throws Exception {
    start(new Reply(200, GeoWire.GOOGLE_PARIS, 1_500), Duration.ofMillis(300));
    assertThat(((GeocodeException) failure(google.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.TIMEOUT);
  }

  @Test
  void theAnswerArrivesOnTheCallersEventLoop() throws Exception {
    start(Reply.ok(GeoWire.GOOGLE_PARIS));
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<Boolean> sameContext = new CompletableFuture<>();
      Context ctx = vertx.getOrCreateContext();
      ctx.runOnContext(v -> google.forward(paris()).onComplete(ar ->
          sameContext.complete(ar.succeeded() && Vertx.currentContext() == ctx && Context.isOnEventLoopThread())));
      assertThat(sameContext.get(10, TimeUnit.SECONDS)).isTrue();
    } finally {
      vertx.close();
    }
  }

  private static ForwardQuery paris() {
    return new ForwardQuery("Paris", 5, null, List.of(), null, null);
  }
}
