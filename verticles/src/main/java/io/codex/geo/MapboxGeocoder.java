package io.codex.geo;

import com.google.gson.JsonElement;
import com.mapbox.api.geocoding.v5.GeocodingCriteria;
import com.mapbox.api.geocoding.v5.MapboxGeocoding;
import com.mapbox.api.geocoding.v5.models.CarmenContext;
import com.mapbox.api.geocoding.v5.models.CarmenFeature;
import com.mapbox.api.geocoding.v5.models.GeocodingResponse;
import com.mapbox.core.exceptions.ServicesException;
import com.mapbox.geojson.BoundingBox;
import com.mapbox.geojson.Point;
import io.vertx.core.Future;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.TimeUnit;
import okhttp3.Dispatcher;
import okhttp3.OkHttpClient;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;
import retrofit2.Call;
import retrofit2.Callback;
import retrofit2.Response;

/**
 * The Mapbox provider ({@code mapbox}): the Geocoding API v5 ({@code mapbox.places}) through
 * mapbox-java's {@link MapboxGeocoding}. Calls are enqueued on one OkHttp client per node (its
 * dispatcher bounded, a call timeout), never executed on the caller's thread; results are mapped
 * on OkHttp's thread and handed back to the calling Vert.x context.
 *
 * <p>HTTP 401/403 are {@link GeocodeException.Kind#DENIED}, 429 {@link GeocodeException.Kind#QUOTA};
 * a query Mapbox refuses as such (400, 404, 422, or one the SDK rejects before sending) is "no
 * results", so that bad input never opens the circuit for everyone.
 */
public final class MapboxGeocoder implements GeocodeProvider {
  public static final String NAME = GeocodeConfig.MAPBOX;
  /** The most results Mapbox returns for a forward query. */
  static final int MAX_FORWARD_LIMIT = 10;
  /** The most results of a reverse query (which then needs a single type). */
  static final int MAX_REVERSE_LIMIT = 5;
  private static final Logger log = LoggerFactory.getLogger(MapboxGeocoder.class);

  private final String token;
  private final String baseUrl;
  private final OkHttpClient http;

  public MapboxGeocoder(GeocodeConfig.Mapbox cfg, Duration timeout, int maxInflight) {
    this.token = cfg.token();
    this.baseUrl = cfg.baseUrl();
    Dispatcher dispatcher = new Dispatcher();
    dispatcher.setMaxRequests(maxInflight);
    dispatcher.setMaxRequestsPerHost(maxInflight);
    this.http = new OkHttpClient.Builder()
        .dispatcher(dispatcher)
        .callTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .retryOnConnectionFailure(false)
        .build();
    // load the SDK's classes (Retrofit, Gson adapters) here, off the event loop, not on the first request
    MapboxGeocoding warm = MapboxGeocoding.builder().accessToken(token).baseUrl(baseUrl).query("warm-up").build();
    warm.setCallFactory(http);
    warm.cloneCall();
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<List<GeoPlace>> forward(ForwardQuery q) {
    MapboxGeocoding.Builder b = MapboxGeocoding.builder()
        .accessToken(token)
        .baseUrl(baseUrl)
        .mode(GeocodingCriteria.MODE_PLACES)
        // ";" separates the queries of a batch request: never let a user's text start one
        .query(q.q().replace(';', ','))
        .limit(Math.min(q.limit(), MAX_FORWARD_LIMIT));
    if (q.lang() != null) b.languages(q.lang());
    if (!q.countries().isEmpty()) b.country(String.join(",", q.countries()).toLowerCase(Locale.ROOT));
    if (q.proximity() != null) b.proximity(Point.fromLngLat(q.proximity()[0], q.proximity()[1]));
    double[] across = null;
    if (q.bbox() != null && !Boxes.crossesAntimeridian(q.bbox())) {
      b.bbox(q.bbox()[0], q.bbox()[1], q.bbox()[2], q.bbox()[3]);
    } else if (q.bbox() != null) {
      // Mapbox takes no box across the antimeridian: ask without it, keep what falls inside
      across = q.bbox();
    }
    return call(b, q.limit(), across);
  }

  @Override
  public Future<List<GeoPlace>> reverse(ReverseQuery q) {
    MapboxGeocoding.Builder b = MapboxGeocoding.builder()
        .accessToken(token)
        .baseUrl(baseUrl)
        .mode(GeocodingCriteria.MODE_PLACES)
        .query(Point.fromLngLat(q.lon(), q.lat()));
    if (q.limit() == 1) {
      // the most specific feature at the point (an address where Mapbox knows one)
      b.limit(1);
    } else {
      // Mapbox answers several reverse results only for a single type: the nearest places
      b.geocodingTypes(GeocodingCriteria.TYPE_PLACE).limit(Math.min(q.limit(), MAX_REVERSE_LIMIT));
    }
    if (q.lang() != null) b.languages(q.lang());
    return call(b, q.limit(), null);
  }

  private Future<List<GeoPlace>> call(MapboxGeocoding.Builder builder, int limit, double[] within) {
    MapboxGeocoding request;
    try {
      request = builder.build();
    } catch (ServicesException | IllegalArgumentException e) {
      // e.g. a query without a letter or digit: Mapbox would find nothing
      log.debug("mapbox refused the query before sending [reason: {}]", e.getMessage());
      return Future.succeededFuture(List.of());
    }
    request.setCallFactory(http);
    ContextHop<List<GeoPlace>> hop = new ContextHop<>();
    request.enqueueCall(new Callback<>() {
      @Override
      public void onResponse(Call<GeocodingResponse> call, Response<GeocodingResponse> response) {
        try {
          int code = response.code();
          if (response.isSuccessful()) {
            GeocodingResponse body = response.body();
            hop.complete(body == null || body.features() == null ? List.of() : places(body.features(), limit, within));
            return;
          }
          if (response.errorBody() != null) response.errorBody().close();
          switch (code) {
            case 401, 403 -> hop.fail(new GeocodeException(NAME, GeocodeException.Kind.DENIED, "access refused (HTTP " + code + ")", null));
            case 429 -> hop.fail(new GeocodeException(NAME, GeocodeException.Kind.QUOTA, "rate limit exceeded (HTTP 429)", null));
            case 400, 404, 422 -> {
              log.debug("mapbox refused the query [status: {}]", code);
              hop.complete(List.of());
            }
            default -> hop.fail(new GeocodeException(NAME, GeocodeException.Kind.UNAVAILABLE, "HTTP " + code, null));
          }
        } catch (RuntimeException e) {
          hop.fail(new GeocodeException(NAME, GeocodeException.Kind.UNAVAILABLE, "unreadable answer: " + e.getClass().getSimpleName(), e));
        }
      }

      @Override
      public void onFailure(Call<GeocodingResponse> call, Throwable t) {
        // messages of OkHttp and Gson never carry the URL (and so never the token)
        GeocodeException.Kind kind = t instanceof InterruptedIOException ? GeocodeException.Kind.TIMEOUT : GeocodeException.Kind.UNAVAILABLE;
        hop.fail(new GeocodeException(NAME, kind, t.getClass().getSimpleName() + (t.getMessage() == null ? "" : ": " + t.getMessage()), null));
      }
    });
    return hop.future();
  }

  /** Mapbox features as places, most relevant first (Mapbox's order), those outside {@code within} (if given) dropped. */
  static List<GeoPlace> places(List<CarmenFeature> features, int limit, double[] within) {
    List<GeoPlace> out = new ArrayList<>(Math.min(features.size(), limit));
    for (CarmenFeature f : features) {
      if (out.size() == limit) break;
      Point c = f.center();
      if (c == null || (within != null && !Boxes.contains(within, c.longitude(), c.latitude()))) continue;
      String id = f.id() == null ? "" : f.id();
      String country = null;
      String countryCode = null;
      String region = null;
      if (id.startsWith("country.")) {
        country = f.text();
        countryCode = shortCode(f);
      } else if (id.startsWith("region.")) {
        region = f.text();
      }
      if (f.context() != null) {
        for (CarmenContext ctx : f.context()) {
          String cid = ctx.id() == null ? "" : ctx.id();
          if (cid.startsWith("country.")) {
            country = ctx.text();
            countryCode = ctx.shortCode() == null ? null : ctx.shortCode().toUpperCase(Locale.ROOT);
          } else if (cid.startsWith("region.")) {
            region = ctx.text();
          }
        }
      }
      double confidence = f.relevance() == null ? 1.0 : Math.max(0, Math.min(1, f.relevance()));
      BoundingBox bb = f.bbox();
      double[] bbox = bb == null ? null : new double[] {bb.west(), bb.south(), bb.east(), bb.north()};
      out.add(new GeoPlace(c.longitude(), c.latitude(), f.placeName(), f.text(), country, countryCode, region,
          confidence, NAME, f.id(), bbox));
    }
    return out;
  }

  private static String shortCode(CarmenFeature f) {
    if (f.properties() == null) return null;
    JsonElement sc = f.properties().get("short_code");
    return sc == null || !sc.isJsonPrimitive() ? null : sc.getAsString().toUpperCase(Locale.ROOT);
  }

  /** Stops the client's threads and closes its connections. */
  public void close() {
    http.dispatcher().executorService().shutdown();
    http.connectionPool().evictAll();
  }
}
