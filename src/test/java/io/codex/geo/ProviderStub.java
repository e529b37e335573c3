package io.codex.geo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;

/**
 * A local HTTP server standing in for Mapbox's or Google's geocoding API, configured into a node
 * through {@code geo.mapbox.baseUrl} / {@code geo.google.baseUrl}. It answers in the providers'
 * documented wire formats (below) what the test sets, and records every request with a sequence
 * number shared by all stubs, so that a test sees which provider was asked, in which order, and
 * whether a call reached "the provider" at all.
 */
final class ProviderStub implements AutoCloseable {
  private static final AtomicInteger SEQUENCE = new AtomicInteger();

  record Request(int seq, String path, Map<String, String> query) {}

  record Reply(int status, String body) {
    static Reply ok(String body) {
      return new Reply(200, body);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Function<Request, Reply> responder;

  ProviderStub(Function<Request, Reply> responder) throws IOException {
    this.responder = responder;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
          for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            query.put(URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8),
                eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
        Request req = new Request(SEQUENCE.incrementAndGet(), exchange.getRequestURI().getPath(), query);
        requests.add(req);
        Reply reply = this.responder.apply(req);
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(reply.status(), body.length);
        try (OutputStream out = exchange.getResponseBody()) {
          out.write(body);
        }
      } catch (IOException e) {
        // the client went away
      }
    });
    server.start();
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int count() {
    return requests.size();
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }

  // --- Mapbox Geocoding API v5 (mapbox.places): a GeoJSON FeatureCollection of Carmen features

  static String mapboxPlace(String text, String placeName, double lon, double lat, String regionCode, String region,
      String countryCode, String country) {
    return """
        {"type": "FeatureCollection", "query": ["%1$s"], "features": [{
          "id": "place.%9$d", "type": "Feature", "place_type": ["place"], "relevance": 0.99,
          "properties": {"wikidata": "Q90"}, "text": "%1$s", "place_name": "%2$s",
          "bbox": [%3$s, %4$s, %5$s, %6$s], "center": [%7$s, %8$s],
          "geometry": {"type": "Point", "coordinates": [%7$s, %8$s]},
          "context": [
            {"id": "region.13200", "short_code": "%10$s", "wikidata": "Q90", "text": "%11$s"},
            {"id": "country.8781", "short_code": "%12$s", "wikidata": "Q142", "text": "%13$s"}]}],
         "attribution": "NOTICE: © 2021 Mapbox and its suppliers. All rights reserved."}
        """.formatted(text, placeName, lon - 0.1, lat - 0.1, lon + 0.1, lat + 0.1, lon, lat,
        Math.abs((text + lon).hashCode()), regionCode, region, countryCode.toLowerCase(), country);
  }

  static final String MAPBOX_PARIS = mapboxPlace("Paris", "Paris, Paris, France", 2.35183, 48.85658, "FR-75", "Paris", "FR", "France");
  static final String MAPBOX_NOTHING = """
      {"type": "FeatureCollection", "query": ["nothing"], "features": [], "attribution": "NOTICE: © 2021 Mapbox and its suppliers."}
      """;
  static final Reply MAPBOX_429 = new Reply(429, "{\"message\":\"Too Many Requests\"}");
  static final Reply MAPBOX_401 = new Reply(401, "{\"message\":\"Not Authorized - Invalid Token\"}");
  static final Reply SERVER_ERROR = new Reply(503, "<html><body>503 Service Unavailable</body></html>");

  // --- Google Geocoding API: {"results": [...], "status": ...}

  static final String GOOGLE_PARIS = """
      {"results" : [{
         "address_components" : [
            {"long_name" : "Paris", "short_name" : "Paris", "types" : [ "locality", "political" ]},
            {"long_name" : "Île-de-France", "short_name" : "IDF", "types" : [ "administrative_area_level_1", "political" ]},
            {"long_name" : "France", "short_name" : "FR", "types" : [ "country", "political" ]}],
         "formatted_address" : "Paris, France",
         "geometry" : {
            "bounds" : {"northeast" : {"lat" : 48.9021449, "lng" : 2.4699208}, "southwest" : {"lat" : 48.815573, "lng" : 2.224199}},
            "location" : {"lat" : 48.856614, "lng" : 2.3522219},
            "location_type" : "APPROXIMATE",
            "viewport" : {"northeast" : {"lat" : 48.9021449, "lng" : 2.4699208}, "southwest" : {"lat" : 48.815573, "lng" : 2.224199}}},
         "place_id" : "ChIJD7fiBh9u5kcRYJSMaMOCCwQ",
         "types" : [ "locality", "political" ]}],
       "status" : "OK"}
      """;
  static final String GOOGLE_ZERO_RESULTS = "{\"results\" : [], \"status\" : \"ZERO_RESULTS\"}";
  static final String GOOGLE_OVER_QUERY_LIMIT =
      "{\"error_message\" : \"You have exceeded your rate-limit for this API.\", \"results\" : [], \"status\" : \"OVER_QUERY_LIMIT\"}";
  static final String GOOGLE_REQUEST_DENIED =
      "{\"error_message\" : \"This API project is not authorized to use this API.\", \"results\" : [], \"status\" : \"REQUEST_DENIED\"}";
}
