package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codex.geo.ProviderStub.Reply;
import io.codex.security.Role;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.MethodOrderer;
import org.junit.jupiter.api.Order;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.TestMethodOrder;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/**
 * The geocoding proxy on a real node (its own Kafka broker), with the chain
 * {@code [mapbox, google, offline]} where Mapbox and Google are local stubs serving their
 * documented wire formats through the real SDKs, configured with the base-URL keys. Each test uses
 * its own caller (rate limit) and its own queries (cache). The breaker test runs first, on a node
 * whose providers have not failed yet, so that it can count exactly.
 */
@TestMethodOrder(MethodOrderer.OrderAnnotation.class)
class GeocodeIT {
  static final String MAPBOX_TOKEN = "pk.eyJ1IjoiY29kZXgtaXQiLCJhIjoic3R1YiJ9.geocode-it-token";
  static final String GOOGLE_KEY = "AIzaSyGeocodeItStubKey0123456789";
  static final int MAX_FAILURES = 5;
  static final Duration RESET = Duration.ofSeconds(2);
  static final int BURST = 20;

  @TempDir static Path dir;
  static TestNode node;
  static Tokens tokens;
  static ProviderStub mapbox;
  static ProviderStub google;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeAll
  static void start() throws Exception {
    logs.start();
    root.addAppender(logs);
    mapbox = new ProviderStub(r -> Reply.ok(ProviderStub.MAPBOX_PARIS));
    google = new ProviderStub(r -> Reply.ok(ProviderStub.GOOGLE_PARIS));
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("http.accessLog", true);
    cfg.put("geo.providers", "mapbox,google,offline");
    cfg.put("geo.mapbox.token", MAPBOX_TOKEN);
    cfg.put("geo.mapbox.baseUrl", mapbox.baseUrl());
    cfg.put("geo.google.apiKey", GOOGLE_KEY);
    cfg.put("geo.google.baseUrl", google.baseUrl());
    cfg.put("geo.timeout", "1s");
    cfg.put("geo.breaker.maxFailures", MAX_FAILURES);
    cfg.put("geo.breaker.resetTimeout", RESET.toMillis() + "ms");
    cfg.put("geo.rateLimit.perSecond", "0.5");
    cfg.put("geo.rateLimit.burst", BURST);
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), cfg);
    tokens = new Tokens(node);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    if (mapbox != null) mapbox.close();
    if (google != null) google.close();
    root.detachAppender(logs);
  }

  /** A caller of its own (each test has its own rate-limit bucket). */
  static String caller(String subject, Role role) {
    return Http.bearer(tokens.issue(subject, EnumSet.of(role), null, Duration.ofMinutes(10)));
  }

  static Http.Response geocode(String auth, String query) {
    return Http.get(node.url("/api/v1/geocode?" + query), auth);
  }

  static String q(String text) {
    return "q=" + URLEncoder.encode(text, StandardCharsets.UTF_8);
  }

  static JsonObject properties(Http.Response r, int i) {
    return r.json().getJsonArray("features").getJsonObject(i).getJsonObject("properties");
  }

  static boolean gazetteerHasData() {
    return Gazetteer.bundled().size() > 0;
  }

  @Test
  @Order(1)
  void aFailingProviderIsNoLongerCalledAfterMaxFailuresUntilItsCircuitResets() throws Exception {
    String auth = caller("it-breaker", Role.VIEWER);
    mapbox.responder = r -> ProviderStub.SERVER_ERROR;
    int before = mapbox.count();
    for (int i = 1; i <= MAX_FAILURES; i++) {
      Http.Response r = geocode(auth, q("Breaker town " + i));
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(r.header("X-Geocode-Provider")).isEqualTo("google");
    }
    assertThat(mapbox.count() - before).isEqualTo(MAX_FAILURES);
    assertThat(metric("codex_geocode_breaker_state{provider=\"mapbox\"")).isEqualTo(2.0);

    for (int i = 1; i <= 3; i++) {
      Http.Response r = geocode(auth, q("Open circuit town " + i));
      assertThat(r.status()).isEqualTo(200);
      assertThat(properties(r, 0).getString("provider")).isEqualTo("google");
    }
    assertThat(mapbox.count() - before).as("the circuit is open: Mapbox is not called").isEqualTo(MAX_FAILURES);
    assertThat(metric("codex_geocode_requests_total{kind=\"forward\",outcome=\"open\",provider=\"mapbox\"")).isGreaterThanOrEqualTo(3.0);

    mapbox.responder = r -> Reply.ok(ProviderStub.MAPBOX_PARIS);
    Thread.sleep(RESET.toMillis() + 300);
    Http.Response trial = geocode(auth, q("Recovered town"));
    assertThat(trial.header("X-Geocode-Provider")).as("one trial call after the reset timeout").isEqualTo("mapbox");
    assertThat(mapbox.count() - before).isEqualTo(MAX_FAILURES + 1);
    assertThat(metric("codex_geocode_breaker_state{provider=\"mapbox\"")).isEqualTo(0.0);
  }

  @Test
  @Order(2)
  void mapboxOverQuotaFallsBackToGoogle() {
    String auth = caller("it-fallback", Role.VIEWER);
    mapbox.responder = r -> ProviderStub.MAPBOX_429;
    google.responder = r -> Reply.ok(ProviderStub.GOOGLE_PARIS);
    int m = mapbox.count();
    int g = google.count();
    Http.Response r = geocode(auth, q("Paris") + "&limit=3&lang=fr&country=fr");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Content-Type")).isEqualTo("application/geo+json");
    assertThat(r.header("X-Geocode-Provider")).isEqualTo("google");
    assertThat(mapbox.count() - m).isEqualTo(1);
    assertThat(google.count() - g).isEqualTo(1);
    assertThat(mapbox.last().seq()).as("Mapbox is asked first").isLessThan(google.last().seq());
    assertThat(mapbox.last().path()).isEqualTo("/geocoding/v5/mapbox.places/Paris.json");
    assertThat(mapbox.last().query()).containsEntry("access_token", MAPBOX_TOKEN).containsEntry("country", "fr")
        .containsEntry("language", "fr").containsEntry("limit", "3");
    assertThat(google.last().path()).isEqualTo("/maps/api/geocode/json");
    assertThat(google.last().query()).containsEntry("key", GOOGLE_KEY).containsEntry("address", "Paris")
        .containsEntry("components", "country:FR").containsEntry("language", "fr");

    JsonObject fc = r.json();
    assertThat(fc.getString("type")).isEqualTo("FeatureCollection");
    JsonObject f = fc.getJsonArray("features").getJsonObject(0);
    assertThat(f.getString("type")).isEqualTo("Feature");
    assertThat(f.getJsonObject("geometry")).isEqualTo(new JsonObject().put("type", "Point")
        .put("coordinates", new JsonArray().add(2.3522219).add(48.856614)));
    assertThat(f.getJsonArray("bbox")).isEqualTo(new JsonArray().add(2.224199).add(48.815573).add(2.4699208).add(48.9021449));
    assertThat(f.getJsonObject("properties")).isEqualTo(new JsonObject()
        .put("label", "Paris, France").put("name", "Paris").put("country", "France").put("countryCode", "FR")
        .put("region", "Île-de-France").put("confidence", 1.0).put("provider", "google")
        .put("placeId", "ChIJD7fiBh9u5kcRYJSMaMOCCwQ"));
  }

  @Test
  @Order(3)
  void mapboxAnswersWhenItCan() {
    String auth = caller("it-mapbox", Role.ANALYST);
    mapbox.responder = r -> Reply.ok(ProviderStub.mapboxPlace("Lyon", "Lyon, Rhône, France", 4.8357, 45.764, "FR-69", "Rhône", "FR", "France"));
    int g = google.count();
    Http.Response r = geocode(auth, q("Lyon") + "&proximity=4.8,45.7&bbox=4,45,6,46");
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(mapbox.last().query()).containsEntry("proximity", "4.8,45.7").containsEntry("bbox", "4,45,6,46");
    JsonObject p = properties(r, 0);
    assertThat(p.getString("provider")).isEqualTo("mapbox");
    assertThat(p.getString("label")).isEqualTo("Lyon, Rhône, France");
    assertThat(p.getString("countryCode")).isEqualTo("FR");
    assertThat(p.getString("region")).isEqualTo("Rhône");
    assertThat(p.getDouble("confidence")).isEqualTo(0.99);
    assertThat(p.getString("placeId")).startsWith("place.");
    assertThat(google.count()).as("Google is not asked once Mapbox answered").isEqualTo(g);
  }

  @Test
  @Order(4)
  void googleOverQueryLimitOrDeniedFallsBackToTheOfflineGazetteer() {
    String auth = caller("it-offline", Role.VIEWER);
    mapbox.responder = r -> Reply.ok(ProviderStub.MAPBOX_NOTHING);
    for (String status : List.of(ProviderStub.GOOGLE_OVER_QUERY_LIMIT, ProviderStub.GOOGLE_REQUEST_DENIED)) {
      google.responder = r -> Reply.ok(status);
      // another limit each time: once the gazetteer answers, the first answer is cached
      String limit = status.contains("OVER_QUERY_LIMIT") ? "1" : "2";
      int m = mapbox.count();
      int g = google.count();
      Http.Response r = geocode(auth, q("Paris") + "&limit=" + limit);
      assertThat(mapbox.count() - m).isEqualTo(1);
      assertThat(google.count() - g).isEqualTo(1);
      assertThat(mapbox.last().seq()).isLessThan(google.last().seq());
      if (gazetteerHasData()) {
        assertThat(r.status()).as(r.body()).isEqualTo(200);
        assertThat(r.header("X-Geocode-Provider")).isEqualTo("offline");
        assertThat(properties(r, 0).getString("provider")).isEqualTo("offline");
        assertThat(properties(r, 0).getString("countryCode")).isEqualTo("FR");
        assertThat(properties(r, 0).getString("country")).isEqualTo("France");
      } else {
        // the gazetteer placeholder finds nothing: Google's failure makes it a 503, not a "no results"
        assertThat(r.status()).as(r.body()).isEqualTo(503);
        assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
        assertThat(r.header("Retry-After")).isEqualTo("1");
        assertThat(r.json().getString("detail")).contains(status.contains("OVER_QUERY_LIMIT")
            ? "google (quota exceeded)" : "google (credentials refused)");
      }
    }
  }

  @Test
  @Order(5)
  void withEveryRemoteProviderDownTheOfflineGazetteerAnswersOrItIsA503() {
    String auth = caller("it-down", Role.VIEWER);
    mapbox.responder = r -> ProviderStub.SERVER_ERROR;
    google.responder = r -> ProviderStub.SERVER_ERROR;
    Http.Response r = geocode(auth, q("PARIS"));
    if (gazetteerHasData()) {
      assertThat(r.status()).as(r.body()).isEqualTo(200);
      assertThat(properties(r, 0).getString("provider")).isEqualTo("offline");
      assertThat(properties(r, 0).getString("name")).isEqualTo("Paris");
      assertThat(properties(r, 0).getString("countryCode")).isEqualTo("FR");
    } else {
      assertThat(r.status()).as(r.body()).isEqualTo(503);
      assertThat(r.header("Retry-After")).isNotNull();
      assertThat(r.json().getString("detail")).contains("mapbox (unavailable)").contains("google (unavailable)");
      assertThat(r.body()).doesNotContain(MAPBOX_TOKEN).doesNotContain(GOOGLE_KEY).doesNotContain("127.0.0.1");
    }
    mapbox.responder = r2 -> Reply.ok(ProviderStub.MAPBOX_PARIS);
    google.responder = r2 -> Reply.ok(ProviderStub.GOOGLE_PARIS);
  }

  @Test
  @Order(6)
  void whenEveryProviderFindsNothingTheAnswerIsAnEmptyCollection() {
    String auth = caller("it-nothing", Role.VIEWER);
    mapbox.responder = r -> Reply.ok(ProviderStub.MAPBOX_NOTHING);
    google.responder = r -> Reply.ok(ProviderStub.GOOGLE_ZERO_RESULTS);
    Http.Response r = geocode(auth, q("Xqzzyvwk Qqq"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.json()).isEqualTo(new JsonObject().put("type", "FeatureCollection").put("features", new JsonArray()));
    assertThat(r.header("X-Geocode-Provider")).isNull();
  }

  @Test
  @Order(7)
  void theSecondIdenticalQueryIsServedFromTheCacheWithoutReachingTheProvider() throws Exception {
    String auth = caller("it-cache", Role.VIEWER);
    mapbox.responder = r -> Reply.ok(ProviderStub.mapboxPlace("Marseille", "Marseille, Bouches-du-Rhône, France",
        5.37, 43.296, "FR-13", "Bouches-du-Rhône", "FR", "France"));
    double hits = metric("codex_geocode_cache_total{result=\"hit\"");
    int m = mapbox.count();
    Http.Response first = geocode(auth, q("Marseille") + "&limit=2");
    assertThat(first.header("X-Geocode-Cache")).isEqualTo("miss");
    Http.Response second = geocode(auth, q("  marseille ") + "&limit=2");
    assertThat(second.status()).isEqualTo(200);
    assertThat(second.header("X-Geocode-Cache")).isEqualTo("hit");
    assertThat(second.header("X-Geocode-Provider")).isEqualTo("mapbox");
    assertThat(second.json()).isEqualTo(first.json());
    assertThat(mapbox.count() - m).as("one call reached Mapbox").isEqualTo(1);
    assertThat(metric("codex_geocode_cache_total{result=\"hit\"")).isEqualTo(hits + 1);
    geocode(auth, q("Marseille") + "&limit=3");
    assertThat(mapbox.count() - m).as("another limit is another query").isEqualTo(2);
  }

  @Test
  @Order(8)
  void reverseGeocodingGoesThroughTheChainAndTheCache() {
    String auth = caller("it-reverse", Role.VIEWER);
    mapbox.responder = r -> Reply.ok(ProviderStub.mapboxPlace("Lyon", "Lyon, Rhône, France", 4.8357, 45.764, "FR-69", "Rhône", "FR", "France"));
    int m = mapbox.count();
    Http.Response r = Http.get(node.url("/api/v1/geocode/reverse?lat=45.764&lon=4.8357"), auth);
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(mapbox.last().path()).isEqualTo("/geocoding/v5/mapbox.places/4.8357,45.764.json");
    assertThat(mapbox.last().query()).containsEntry("limit", "1");
    assertThat(properties(r, 0).getString("name")).isEqualTo("Lyon");
    assertThat(properties(r, 0).getString("provider")).isEqualTo("mapbox");
    Http.Response again = Http.get(node.url("/api/v1/geocode/reverse?lon=4.8357&lat=45.764&limit=1"), auth);
    assertThat(again.header("X-Geocode-Cache")).isEqualTo("hit");
    assertThat(mapbox.count() - m).isEqualTo(1);
  }

  @Test
  @Order(9)
  void aCallerOverItsRateLimitGets429WithRetryAfterAndOthersAreNotAffected() {
    String greedy = caller("it-greedy", Role.VIEWER);
    for (int i = 0; i < BURST; i++) {
      assertThat(geocode(greedy, q("Rate limited city")).status()).as("request %d", i).isEqualTo(200);
    }
    Http.Response refused = geocode(greedy, q("Rate limited city"));
    assertThat(refused.status()).isEqualTo(429);
    assertThat(refused.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(Integer.parseInt(refused.header("Retry-After"))).isBetween(1, 2);
    assertThat(refused.json().getInteger("status")).isEqualTo(429);
    assertThat(geocode(caller("it-polite", Role.VIEWER), q("Rate limited city")).status()).isEqualTo(200);
    assertThat(Http.get(node.url("/api/v1/geocode/reverse?lat=1&lon=1"), greedy).status())
        .as("one bucket for both routes").isEqualTo(429);
  }

  @Test
  @Order(10)
  void invalidParametersAre400sNamingTheParameterAndReachNoProvider() {
    String auth = caller("it-invalid", Role.VIEWER);
    int calls = mapbox.count() + google.count();
    Map<String, String> forward = new LinkedHashMap<>();
    forward.put("", "q");
    forward.put("q=", "q");
    forward.put("q=%20%20", "q");
    forward.put(q("x".repeat(501)), "q");
    forward.put("q=a&q=b", "q");
    forward.put("q=Paris&limit=0", "limit");
    forward.put("q=Paris&limit=51", "limit");
    forward.put("q=Paris&limit=ten", "limit");
    forward.put("q=Paris&limit=2.5", "limit");
    forward.put("q=Paris&country=xx", "country");
    forward.put("q=Paris&country=france", "country");
    forward.put("q=Paris&country=fr,", "country");
    forward.put("q=Paris&lang=%3F%3F", "lang");
    forward.put("q=Paris&proximity=2.35", "proximity");
    forward.put("q=Paris&proximity=200,45", "proximity");
    forward.put("q=Paris&proximity=2.35,NaN", "proximity");
    forward.put("q=Paris&bbox=1,2,3", "bbox");
    forward.put("q=Paris&bbox=10,50,20,40", "bbox");
    forward.put("q=Paris&bbox=10,40,10,50", "bbox");
    forward.put("q=Paris&bbox=-10,40,10,95", "bbox");
    forward.put("q=Paris&bbox=1e1,40,20,50", "bbox");
    forward.forEach((query, field) -> {
      Http.Response r = geocode(auth, query);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).as(query).isEqualTo(field);
    });
    Map<String, String> reverse = new LinkedHashMap<>();
    reverse.put("lon=2", "lat");
    reverse.put("lat=91&lon=2", "lat");
    reverse.put("lat=-90.5&lon=2", "lat");
    reverse.put("lat=45&lon=181", "lon");
    reverse.put("lat=45&lon=-180.01", "lon");
    reverse.put("lat=45&lon=east", "lon");
    reverse.put("lat=45&lon=2&limit=100", "limit");
    reverse.forEach((query, field) -> {
      Http.Response r = Http.get(node.url("/api/v1/geocode/reverse?" + query), auth);
      assertThat(r.status()).as(query).isEqualTo(400);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).as(query).isEqualTo(field);
    });
    Http.Response both = Http.get(node.url("/api/v1/geocode/reverse?lat=95&lon=200"), auth);
    assertThat(both.json().getJsonArray("errors")).hasSize(2);
    assertThat(mapbox.count() + google.count()).as("no provider was called").isEqualTo(calls);
    assertThat(geocode(auth, q("x".repeat(500))).status()).as("500 characters are allowed").isNotEqualTo(400);
    assertThat(geocode(auth, q("Suva") + "&bbox=170,-25,-170,-10").status()).as("w > e: across the antimeridian").isEqualTo(200);
  }

  @Test
  @Order(11)
  void viewersAnalystsAndAdminsMayGeocodeDevicesAndAnonymousCallersMayNot() {
    for (Role role : List.of(Role.VIEWER, Role.ANALYST, Role.ADMIN)) {
      assertThat(geocode(caller("it-role-" + role.claim(), role), q("Paris")).status()).as(role.claim()).isEqualTo(200);
    }
    String admin = Http.bearer(tokens.forRole(Role.ADMIN));
    assertThat(Http.postJson(node.url("/api/v1/devices"), admin, new JsonObject().put("deviceId", "dev-geo")).status()).isEqualTo(201);
    assertThat(Http.postJson(node.url("/api/v1/devices"), admin, new JsonObject().put("deviceId", "gw-geo").put("gateway", true))
        .status()).isEqualTo(201);
    for (String device : List.of("dev-geo", "gw-geo")) {
      String auth = Http.bearer(tokens.forDevice(device, device.startsWith("gw") ? Role.GATEWAY : Role.DEVICE));
      assertThat(geocode(auth, q("Paris")).status()).as(device).isEqualTo(403);
      assertThat(Http.get(node.url("/api/v1/geocode/reverse?lat=1&lon=1"), auth).status()).as(device).isEqualTo(403);
    }
    assertThat(geocode(null, q("Paris")).status()).isEqualTo(401);
  }

  @Test
  @Order(12)
  void metricsCountProviderCallsAndSecretsNeverReachTheLogs() throws Exception {
    String prom = Http.get(node.url("/metrics"), null).body();
    assertThat(prom).contains("codex_geocode_requests_total{kind=\"forward\",outcome=\"quota\",provider=\"mapbox\"}")
        .contains("codex_geocode_requests_total{kind=\"forward\",outcome=\"ok\",provider=\"google\"}")
        .contains("codex_geocode_latency_seconds_count{kind=\"forward\",provider=\"mapbox\"}")
        .contains("codex_geocode_ratelimited_total")
        .contains("codex_geocode_cache_total{result=\"miss\"}");
    Eventually.within(Duration.ofSeconds(5), "log lines", () -> !logs.list.isEmpty());
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      String line = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      assertThat(line).doesNotContain(MAPBOX_TOKEN).doesNotContain(GOOGLE_KEY).doesNotContain("access_token=");
    }
  }

  /** The value of the first Prometheus sample whose name and labels start with {@code prefix}. */
  static double metric(String prefix) {
    for (String line : Http.get(node.url("/metrics"), null).body().split("\n")) {
      if (line.startsWith(prefix)) return Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
    }
    return 0;
  }
}
