package io.codex.geo.fence;

import io.codex.api.ApiRoutes;
import io.codex.api.Json;
import io.codex.api.Problem;
import io.codex.livemap.LatestPositions;
import io.codex.security.Access;
import io.codex.security.Authenticator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;

/**
 * Spatial queries over this node's latest device positions (every node holds all of them, so any
 * node answers the same): {@code GET /api/v1/devices/nearest?lat=&lon=&k=} and
 * {@code GET /api/v1/devices/within?lat=&lon=&radiusMeters=&limit=}. Both answer a GeoJSON
 * FeatureCollection of Points, nearest first, with great-circle distances in metres, narrowed to
 * the devices the caller's token may see. Mount before {@code /api/v1/devices/{deviceId}}.
 */
public final class SpatialQueryRoutes {
  private static final java.util.regex.Pattern DECIMAL = java.util.regex.Pattern.compile("[-+]?\\d+(\\.\\d*)?([eE][-+]?\\d+)?|[-+]?\\.\\d+");
  private final GeofenceConfig cfg;
  private final LatestPositions positions;

  public SpatialQueryRoutes(Vertx vertx, GeofenceConfig cfg) {
    this.cfg = cfg;
    this.positions = LatestPositions.shared(vertx);
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.GET, "/api/v1/devices/nearest", Access.VIEWER, this::nearest);
    routes.add(HttpMethod.GET, "/api/v1/devices/within", Access.VIEWER, this::within);
  }

  private void nearest(RoutingContext ctx) {
    Problem invalid = Problem.badRequest("The query parameters are not valid.");
    double lat = number(ctx, "lat", -90, 90, invalid);
    double lon = number(ctx, "lon", -180, 180, invalid);
    int k = integer(ctx, "k", cfg.defaultK(), 1, cfg.maxResults(), invalid);
    if (invalid.hasErrors()) throw invalid;
    List<LatestPositions.Nearby> found = positions.nearest(lon, lat, k, Authenticator.caller(ctx).devices());
    Json.send(ctx, 200, collection(found));
  }

  private void within(RoutingContext ctx) {
    Problem invalid = Problem.badRequest("The query parameters are not valid.");
    double lat = number(ctx, "lat", -90, 90, invalid);
    double lon = number(ctx, "lon", -180, 180, invalid);
    double radius = Double.NaN;
    String r = ctx.request().getParam("radiusMeters");
    try {
      radius = r == null || !DECIMAL.matcher(r.trim()).matches() ? Double.NaN : Double.parseDouble(r.trim());
    } catch (NumberFormatException e) {
      // reported below
    }
    if (!(radius > 0 && radius <= cfg.maxRadiusMeters())) {
      invalid.withError("radiusMeters", "is required: metres, more than 0 and at most " + (long) cfg.maxRadiusMeters()
          + " (geofences.queries.maxRadiusMeters)");
    }
    int limit = integer(ctx, "limit", cfg.maxResults(), 1, cfg.maxResults(), invalid);
    if (invalid.hasErrors()) throw invalid;
    int[] matched = {0};
    List<LatestPositions.Nearby> found = positions.within(lon, lat, radius, limit, Authenticator.caller(ctx).devices(), matched);
    Json.send(ctx, 200, collection(found).put("matched", matched[0]).put("truncated", matched[0] > found.size()));
  }

  private static JsonObject collection(List<LatestPositions.Nearby> found) {
    JsonArray features = new JsonArray();
    for (LatestPositions.Nearby n : found) {
      JsonObject props = new JsonObject().put("deviceId", n.deviceId())
          .put("distanceMeters", Math.round(n.distanceMeters() * 1000) / 1000.0);
      if (n.sensorType() != null) props.put("sensorType", n.sensorType());
      if (n.timestamp() != null) props.put("timestamp", n.timestamp());
      features.add(new JsonObject().put("type", "Feature").put("id", n.deviceId())
          .put("geometry", new JsonObject().put("type", "Point").put("coordinates", new JsonArray().add(n.lon()).add(n.lat())))
          .put("properties", props));
    }
    return new JsonObject().put("type", "FeatureCollection").put("features", features).put("count", features.size());
  }

  private static double number(RoutingContext ctx, String name, double min, double max, Problem invalid) {
    String v = ctx.request().getParam(name);
    double d = Double.NaN;
    try {
      if (v != null && DECIMAL.matcher(v.trim()).matches()) d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      // reported below
    }
    if (!(d >= min && d <= max)) {
      invalid.withError(name, "is required: a number in [" + (long) min + ", " + (long) max + "]");
    }
    return d;
  }

  private static int integer(RoutingContext ctx, String name, int def, int min, int max, Problem invalid) {
    String v = ctx.request().getParam(name);
    if (v == null) return def;
    try {
      int n = Integer.parseInt(v.trim());
      if (n >= min && n <= max) return n;
    } catch (NumberFormatException e) {
      // reported below
    }
    invalid.withError(name, "must be an integer from " + min + " to " + max);
    return def;
  }
}
