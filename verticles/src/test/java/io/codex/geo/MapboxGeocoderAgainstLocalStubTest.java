package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.geo.LocalGeoStub.Reply;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The Mapbox provider through the real mapbox-java SDK against a local stub of the Geocoding API v5. */
class MapboxGeocoderAgainstLocalStubTest {
  static final String TOKEN = "pk.eyJ1IjoiY29kZXgiLCJhIjoidGVzdCJ9.stub-token";

  private LocalGeoStub stub;
  private MapboxGeocoder mapbox;

  private MapboxGeocoder start(Reply reply) throws Exception {
    return start(reply, Duration.ofSeconds(2));
  }

  private MapboxGeocoder start(Reply reply, Duration timeout) throws Exception {
    stub = LocalGeoStub.start(r -> reply);
    mapbox = new MapboxGeocoder(new GeocodeConfig.Mapbox(TOKEN, stub.baseUrl()), timeout, 8);
    return mapbox;
  }

  @AfterEach
  void stop() {
    if (mapbox != null) mapbox.close();
    if (stub != null) stub.close();
  }

  static <T> T await(Future<T> f) throws Exception {
    return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
  }

  static Throwable failure(Future<?> f) throws Exception {
    try {
      await(f);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  @Test
  void forwardSendsTheQueryAndItsOptionsAndMapsTheFeatures() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_PARIS));
    List<GeoPlace> places = await(mapbox.forward(new ForwardQuery("Paris", 2, "fr", List.of("FR", "US"),
        new double[] {2.35, 48.85}, new double[] {-100, 30, 10, 50})));

    LocalGeoStub.Request req = stub.last();
    assertThat(req.path()).isEqualTo("/geocoding/v5/mapbox.places/Paris.json");
    assertThat(req.query()).containsEntry("access_token", TOKEN).containsEntry("limit", "2")
        .containsEntry("language", "fr").containsEntry("country", "fr,us")
        .containsEntry("proximity", "2.35,48.85").containsEntry("bbox", "-100,30,10,50");

    assertThat(places).hasSize(2);
    GeoPlace paris = places.get(0);
    assertThat(paris.label()).isEqualTo("Paris, Paris, France");
    assertThat(paris.name()).isEqualTo("Paris");
    assertThat(paris.country()).isEqualTo("France");
    assertThat(paris.countryCode()).isEqualTo("FR");
    assertThat(paris.region()).isEqualTo("Paris");
    assertThat(paris.confidence()).isEqualTo(1.0);
    assertThat(paris.provider()).isEqualTo("mapbox");
    assertThat(paris.placeId()).isEqualTo("place.8879623532944590");
    assertThat(paris.lon()).isEqualTo(2.35183);
    assertThat(paris.lat()).isEqualTo(48.85658);
    assertThat(paris.bbox()).containsExactly(2.224122, 48.815575, 2.469703, 48.902156);
    GeoPlace texas = places.get(1);
    assertThat(texas.countryCode()).isEqualTo("US");
    assertThat(texas.region()).isEqualTo("Texas");
    assertThat(texas.confidence()).isEqualTo(0.94);
  }

  @Test
  void forwardAsksMapboxForAtMostItsOwnLimitAndKeepsTheCallersLimit() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_PARIS));
    List<GeoPlace> one = await(mapbox.forward(new ForwardQuery("Paris", 1, null, List.of(), null, null)));
    assertThat(stub.last().query()).containsEntry("limit", "1").doesNotContainKeys("language", "country", "proximity", "bbox");
    assertThat(one).hasSize(1);
    await(mapbox.forward(new ForwardQuery("Paris", 50, null, List.of(), null, null)));
    assertThat(stub.last().query()).containsEntry("limit", "10");
  }

  @Test
  void aBoxAcrossTheAntimeridianIsAppliedToTheAnswerNotSentToMapbox() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_PARIS));
    List<GeoPlace> places = await(mapbox.forward(new ForwardQuery("Paris", 5, null, List.of(), null, new double[] {170, 20, -60, 60})));
    assertThat(stub.last().query()).doesNotContainKey("bbox");
    assertThat(places).extracting(GeoPlace::countryCode).containsExactly("US");
  }

  @Test
  void aSemicolonNeverStartsABatchQuery() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_EMPTY));
    await(mapbox.forward(new ForwardQuery("Lyon; Paris", 5, null, List.of(), null, null)));
    assertThat(stub.last().path()).isEqualTo("/geocoding/v5/mapbox.places/Lyon, Paris.json");
  }

  @Test
  void aCountryResultTakesItsCodeFromItsOwnProperties() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_COUNTRY));
    GeoPlace france = await(mapbox.forward(new ForwardQuery("France", 1, null, List.of(), null, null))).get(0);
    assertThat(france.country()).isEqualTo("France");
    assertThat(france.countryCode()).isEqualTo("FR");
    assertThat(france.region()).isNull();
  }

  @Test
  void reverseAsksForTheSingleMostSpecificFeature() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_REVERSE_LYON));
    List<GeoPlace> places = await(mapbox.reverse(new ReverseQuery(45.764, 4.8357, 1, null)));
    assertThat(stub.last().path()).isEqualTo("/geocoding/v5/mapbox.places/4.8357,45.764.json");
    assertThat(stub.last().query()).containsEntry("limit", "1").doesNotContainKey("types");
    assertThat(places).singleElement().satisfies(p -> {
      assertThat(p.label()).isEqualTo("10 Place Bellecour, 69002 Lyon, France");
      assertThat(p.name()).isEqualTo("Place Bellecour");
      assertThat(p.region()).isEqualTo("Rhône");
      assertThat(p.countryCode()).isEqualTo("FR");
      assertThat(p.bbox()).isNull();
    });
  }

  @Test
  void reverseWithSeveralResultsAsksForNearbyPlaces() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_EMPTY));
    assertThat(await(mapbox.reverse(new ReverseQuery(45.764, 4.8357, 3, "de")))).isEmpty();
    assertThat(stub.last().query()).containsEntry("types", "place").containsEntry("limit", "3").containsEntry("language", "de");
  }

  @Test
  void invalidTokenIsDenied() throws Exception {
    start(Reply.status(401, GeoWire.MAPBOX_INVALID_TOKEN));
    assertThat(failure(mapbox.forward(paris()))).isInstanceOfSatisfying(GeocodeException.class, e -> {
      assertThat(e.kind()).isEqualTo(GeocodeException.Kind.DENIED);
      assertThat(e.provider()).isEqualTo("mapbox");
      assertThat(e.getMessage()).doesNotContain(TOKEN);
    });
  }

  @Test
  void forbiddenIsDenied() throws Exception {
    start(Reply.status(403, GeoWire.MAPBOX_FORBIDDEN));
    assertThat(((GeocodeException) failure(mapbox.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.DENIED);
  }

  @Test
  void tooManyRequestsIsQuota() throws Exception {
    start(Reply.status(429, GeoWire.MAPBOX_RATE_LIMITED));
    assertThat(((GeocodeException) failure(mapbox.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.QUOTA);
  }

  @Test
  void serverErrorIsUnavailable() throws Exception {
    start(Reply.status(503, "<html>Service Unavailable</html>"));
    assertThat(((GeocodeException) failure(mapbox.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.UNAVAILABLE);
  }

  @Test
  void anUnreadableAnswerIsUnavailable() throws Exception {
    start(Reply.ok("<html>captive portal</html>"));
    assertThat(((GeocodeException) failure(mapbox.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.UNAVAILABLE);
  }

  @Test
  void aQueryMapboxRefusesIsNoResultsNotAnOutage() throws Exception {
    start(Reply.status(422, GeoWire.MAPBOX_QUERY_TOO_LONG));
    assertThat(await(mapbox.forward(new ForwardQuery("a ".repeat(30).trim(), 5, null, List.of(), null, null)))).isEmpty();
  }

  @Test
  void aSlowAnswerTimesOut() throws Exception {
    start(new Reply(200, GeoWire.MAPBOX_PARIS, 1_500), Duration.ofMillis(300));
    long t0 = System.nanoTime();
    assertThat(((GeocodeException) failure(mapbox.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.TIMEOUT);
    assertThat(Duration.ofNanos(System.nanoTime() - t0)).isLessThan(Duration.ofMillis(1_200));
  }

  @Test
  void aRefusedConnectionIsUnavailable() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_PARIS));
    stub.close();
    assertThat(((GeocodeException) failure(mapbox.forward(paris()))).kind()).isEqualTo(GeocodeException.Kind.UNAVAILABLE);
  }

  @Test
  void theAnswerArrivesOnTheCallersEventLoopNotOnOkHttpsThread() throws Exception {
    start(Reply.ok(GeoWire.MAPBOX_PARIS));
    Vertx vertx = Vertx.vertx();
    try {
      CompletableFuture<String[]> seen = new CompletableFuture<>();
      Context ctx = vertx.getOrCreateContext();
      ctx.runOnContext(v -> {
        String caller = Thread.currentThread().getName();
        mapbox.forward(paris()).onComplete(ar -> seen.complete(new String[] {caller, Thread.currentThread().getName(),
            String.valueOf(Vertx.currentContext() == ctx), String.valueOf(ar.succeeded())}));
      });
      String[] s = seen.get(10, TimeUnit.SECONDS);
      assertThat(s[0]).startsWith("vert.x-eventloop-thread");
      assertThat(s[1]).isEqualTo(s[0]);
      assertThat(s[2]).isEqualTo("true");
      assertThat(s[3]).isEqualTo("true");
    } finally {
      vertx.close();
    }
  }

  private static ForwardQuery paris() {
    return new ForwardQuery("Paris", 5, null, List.of(), null, null);
  }
}
