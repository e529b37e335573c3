package io.codex.geo;

import io.codex.api.ApiRoutes;
import io.codex.api.Problem;
import io.codex.security.Access;
import io.codex.security.Authenticator;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.regex.Pattern;
import java.util.stream.Collectors;

/**
 * {@code GET /api/v1/geocode} and {@code GET /api/v1/geocode/reverse}: one GeoJSON
 * FeatureCollection whatever the provider, after the caller's rate limit and the cache. Invalid
 * parameters are a 400 problem naming each one.
 */
public final class GeocodeRoutes {
  public static final String MEDIA_TYPE = "application/geo+json";
  public static final String PROVIDER_HEADER = "X-Geocode-Provider";
  public static final String CACHE_HEADER = "X-Geocode-Cache";
  static final int DEFAULT_FORWARD_LIMIT = 5;
  static final int DEFAULT_REVERSE_LIMIT = 1;
  static final int MAX_COUNTRIES = 25;
  private static final Pattern NUMBER = Pattern.compile("[-+]?(\\d{1,15}(\\.\\d{0,17})?|\\.\\d{1,17})");
  private static final Pattern LIMIT = Pattern.compile("\\d{1,3}");
  private static final Pattern LANG = Pattern.compile("[A-Za-z]{2,3}(-[A-Za-z0-9]{1,8}){0,3}");
  private static final Set<String> COUNTRIES = Set.of(Locale.getISOCountries());

  private final GeocodeService service;

  public GeocodeRoutes(GeocodeService service) {
    this.service = service;
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.GET, "/api/v1/geocode", Access.VIEWER, this::forward);
    routes.add(HttpMethod.GET, "/api/v1/geocode/reverse", Access.VIEWER, this::reverse);
  }

  private void forward(RoutingContext ctx) {
    ForwardQuery q = forwardQuery(ctx);
    admit(ctx);
    service.forward(q).onComplete(ar -> answer(ctx, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void reverse(RoutingContext ctx) {
    ReverseQuery q = reverseQuery(ctx);
    admit(ctx);
    service.reverse(q).onComplete(ar -> answer(ctx, ar.succeeded() ? ar.result() : null, ar.cause()));
  }

  private void admit(RoutingContext ctx) {
    long wait = service.admit(Authenticator.caller(ctx).subject());
    if (wait > 0) {
      throw new Problem(429, "Too Many Requests", "Too many geocoding requests from this caller; retry in " + wait + " s.")
          .withRetryAfter((int) Math.min(wait, Integer.MAX_VALUE));
    }
  }

  private static void answer(RoutingContext ctx, GeocodeService.Answer answer, Throwable failure) {
    if (answer == null) {
      if (failure instanceof GeocodeService.Unavailable u) {
        String why = u.failures().stream().map(f -> f.provider() + " (" + describe(f.reason()) + ")").collect(Collectors.joining(", "));
        ctx.fail(Problem.unavailable("No geocoding provider could answer: " + why + ". Retry shortly.", u.retryAfterSeconds()));
      } else {
        ctx.fail(failure);
      }
      return;
    }
    var resp = ctx.response().putHeader("Content-Type", MEDIA_TYPE)
        .putHeader(CACHE_HEADER, answer.cached() ? "hit" : "miss");
    if (answer.provider() != null) resp.putHeader(PROVIDER_HEADER, answer.provider());
    resp.end(featureCollection(answer.places()).encode());
  }

  private static String describe(String reason) {
    return switch (reason) {
      case "quota" -> "quota exceeded";
      case "denied" -> "credentials refused";
      case "timeout" -> "timed out";
      case "open" -> "circuit open after repeated failures";
      case "busy" -> "too many calls in flight";
      default -> "unavailable";
    };
  }

  /** Places as a GeoJSON FeatureCollection of Points (RFC 7946), {@code [lon, lat]} order. */
  public static JsonObject featureCollection(List<GeoPlace> places) {
    JsonArray features = new JsonArray();
    for (GeoPlace p : places) {
      JsonObject f = new JsonObject().put("type", "Feature")
          .put("geometry", new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(p.lon()).add(p.lat())));
      if (p.bbox() != null && p.bbox().length == 4) {
        f.put("bbox", new JsonArray().add(p.bbox()[0]).add(p.bbox()[1]).add(p.bbox()[2]).add(p.bbox()[3]));
      }
      f.put("properties", new JsonObject()
          .put("label", p.label())
          .put("name", p.name())
          .put("country", p.country())
          .put("countryCode", p.countryCode())
          .put("region", p.region())
          .put("confidence", Math.round(p.confidence() * 1000) / 1000.0)
          .put("provider", p.provider())
          .put("placeId", p.placeId()));
      features.add(f);
    }
    return new JsonObject().put("type", "FeatureCollection").put("features", features);
  }

  static ForwardQuery forwardQuery(RoutingContext ctx) {
    Problem invalid = Problem.badRequest("The geocoding query is not valid.");
    String q = single(ctx, "q", invalid);
    if (!invalid.hasErrors()) {
      q = q == null ? "" : q.strip();
      if (q.isEmpty()) {
        invalid.withError("q", "is required: the text to look up, 1-" + ForwardQuery.MAX_QUERY_CHARS + " characters");
      } else if (q.codePointCount(0, q.length()) > ForwardQuery.MAX_QUERY_CHARS) {
        invalid.withError("q", "is longer than " + ForwardQuery.MAX_QUERY_CHARS + " characters");
      } else if (q.chars().anyMatch(Character::isISOControl)) {
        invalid.withError("q", "must not contain control characters");
      }
    }
    int limit = limit(ctx, DEFAULT_FORWARD_LIMIT, invalid);
    String lang = lang(ctx, invalid);
    List<String> countries = countries(ctx, invalid);
    double[] proximity = null;
    String prox = single(ctx, "proximity", invalid);
    if (prox != null) {
      proximity = numbers(prox, 2);
      if (proximity == null || !lonOk(proximity[0]) || !latOk(proximity[1])) {
        invalid.withError("proximity", "must be lon,lat with lon in [-180, 180] and lat in [-90, 90]");
        proximity = null;
      }
    }
    double[] bbox = null;
    String box = single(ctx, "bbox", invalid);
    if (box != null) {
      bbox = numbers(box, 4);
      if (bbox == null || !lonOk(bbox[0]) || !lonOk(bbox[2]) || !latOk(bbox[1]) || !latOk(bbox[3])) {
        invalid.withError("bbox", "must be w,s,e,n with longitudes in [-180, 180] and latitudes in [-90, 90]");
        bbox = null;
      } else if (bbox[0] == bbox[2] || bbox[1] >= bbox[3]) {
        invalid.withError("bbox", "must have s < n and w != e (w > e is a box across the antimeridian)");
        bbox = null;
      }
    }
    if (invalid.hasErrors()) throw invalid;
    return new ForwardQuery(q, limit, lang, countries, proximity, bbox);
  }

  static ReverseQuery reverseQuery(RoutingContext ctx) {
    Problem invalid = Problem.badRequest("The reverse geocoding query is not valid.");
    double lat = coordinate(ctx, "lat", 90, invalid);
    double lon = coordinate(ctx, "lon", 180, invalid);
    int limit = limit(ctx, DEFAULT_REVERSE_LIMIT, invalid);
    String lang = lang(ctx, invalid);
    if (invalid.hasErrors()) throw invalid;
    return new ReverseQuery(lat, lon, limit, lang);
  }

  private static double coordinate(RoutingContext ctx, String name, double max, Problem invalid) {
    String v = single(ctx, name, invalid);
    String range = "a number in [-" + (int) max + ", " + (int) max + "]";
    if (v == null) {
      if (!ctx.queryParam(name).isEmpty()) return Double.NaN;
      invalid.withError(name, "is required: " + range);
      return Double.NaN;
    }
    double[] d = numbers(v, 1);
    if (d == null || Math.abs(d[0]) > max) {
      invalid.withError(name, "must be " + range);
      return Double.NaN;
    }
    return d[0];
  }

  private static int limit(RoutingContext ctx, int def, Problem invalid) {
    String v = single(ctx, "limit", invalid);
    if (v == null) return def;
    String t = v.trim();
    if (LIMIT.matcher(t).matches()) {
      int n = Integer.parseInt(t);
      if (n >= 1 && n <= ForwardQuery.MAX_LIMIT) return n;
    }
    invalid.withError("limit", "must be an integer between 1 and " + ForwardQuery.MAX_LIMIT);
    return def;
  }

  private static String lang(RoutingContext ctx, Problem invalid) {
    String v = single(ctx, "lang", invalid);
    if (v == null) return null;
    String t = v.trim();
    if (!LANG.matcher(t).matches()) {
      invalid.withError("lang", "must be a language tag such as en or pt-BR");
      return null;
    }
    return t;
  }

  private static List<String> countries(RoutingContext ctx, Problem invalid) {
    String v = single(ctx, "country", invalid);
    if (v == null) return List.of();
    List<String> out = new ArrayList<>();
    List<String> bad = new ArrayList<>();
    for (String part : v.split(",", -1)) {
      String c = part.trim().toUpperCase(Locale.ROOT);
      if (c.length() == 2 && COUNTRIES.contains(c)) {
        if (!out.contains(c)) out.add(c);
      } else {
        bad.add(part.trim());
      }
    }
    if (!bad.isEmpty()) {
      invalid.withError("country", "must be ISO 3166-1 alpha-2 codes separated by commas, such as fr or fr,be (not "
          + bad.stream().map(b -> b.length() > 20 ? b.substring(0, 20) + "…" : b).map(b -> "\"" + b + "\"").collect(Collectors.joining(", ")) + ")");
      return List.of();
    }
    if (out.size() > MAX_COUNTRIES) {
      invalid.withError("country", "at most " + MAX_COUNTRIES + " countries");
      return List.of();
    }
    return List.copyOf(out);
  }

  /** The one value of a query parameter, null when absent; given twice is an error. */
  private static String single(RoutingContext ctx, String name, Problem invalid) {
    List<String> all = ctx.queryParam(name);
    if (all.size() > 1) {
      invalid.withError(name, "must be given once");
      return null;
    }
    return all.isEmpty() ? null : all.get(0);
  }

  /** {@code n} comma-separated plain decimal numbers (no exponent, NaN or infinity), or null. */
  static double[] numbers(String text, int n) {
    String[] parts = text.split(",", -1);
    if (parts.length != n) return null;
    double[] out = new double[n];
    for (int i = 0; i < n; i++) {
      String p = parts[i].trim();
      if (!NUMBER.matcher(p).matches()) return null;
      out[i] = Double.parseDouble(p);
    }
    return out;
  }

  private static boolean lonOk(double lon) {
    return lon >= -180 && lon <= 180;
  }

  private static boolean latOk(double lat) {
    return lat >= -90 && lat <= 90;
  }
}
