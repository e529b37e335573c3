package io.codex.geo;

import com.google.maps.GeoApiContext;
import com.google.maps.GeocodingApi;
import com.google.maps.GeocodingApiRequest;
import com.google.maps.PendingResult;
import com.google.maps.errors.AccessNotConfiguredException;
import com.google.maps.errors.InvalidRequestException;
import com.google.maps.errors.NotFoundException;
import com.google.maps.errors.OverDailyLimitException;
import com.google.maps.errors.OverQueryLimitException;
import com.google.maps.errors.RequestDeniedException;
import com.google.maps.errors.ZeroResultsException;
import com.google.maps.model.AddressComponent;
import com.google.maps.model.AddressComponentType;
import com.google.maps.model.AddressType;
import com.google.maps.model.Bounds;
import com.google.maps.model.ComponentFilter;
import com.google.maps.model.GeocodingResult;
import com.google.maps.model.LatLng;
import com.google.maps.model.LocationType;
import io.vertx.core.Future;
import java.io.InterruptedIOException;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The Google provider ({@code google}): the Geocoding API through google-maps-services-java. One
 * {@link GeoApiContext} per node, its own retries off (the chain falls back to the next provider
 * instead of sleeping on a quota error), connect/read timeouts from {@code geo.timeout}. Requests
 * go out with {@code setCallback}: the SDK calls back on its OkHttp threads, results are mapped
 * there and handed back to the calling Vert.x context.
 *
 * <p>{@code OVER_QUERY_LIMIT} (and the daily limit) are {@link GeocodeException.Kind#QUOTA},
 * {@code REQUEST_DENIED} and an API not enabled for the key {@link GeocodeException.Kind#DENIED};
 * {@code ZERO_RESULTS} and a request Google refuses as invalid are "no results".
 */
public final class GoogleGeocoder implements GeocodeProvider {
  public static final String NAME = GeocodeConfig.GOOGLE;
  /** Half the side of the box that biases a forward query with a proximity but no bbox, in degrees. */
  static final double PROXIMITY_BIAS_DEGREES = 0.25;
  private static final Logger log = LoggerFactory.getLogger(GoogleGeocoder.class);
  private static final Set<AddressType> ADDRESS_LIKE = Set.of(AddressType.STREET_ADDRESS, AddressType.PREMISE,
      AddressType.SUBPREMISE, AddressType.ROUTE, AddressType.INTERSECTION, AddressType.STREET_NUMBER);

  private final GeoApiContext context;

  public GoogleGeocoder(GeocodeConfig.Google cfg, Duration timeout) {
    this.context = new GeoApiContext.Builder()
        .apiKey(cfg.apiKey())
        .baseUrlOverride(cfg.baseUrl())
        .disableRetries()
        .connectTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .readTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .writeTimeout(timeout.toMillis(), TimeUnit.MILLISECONDS)
        .queryRateLimit(cfg.queryRateLimit())
        .build();
    // load the request classes here, off the event loop (nothing is sent before setCallback)
    GeocodingApi.newRequest(context).address("warm-up").language("en");
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<List<GeoPlace>> forward(ForwardQuery q) {
    GeocodingApiRequest r = GeocodingApi.newRequest(context).address(q.q());
    if (q.lang() != null) r.language(q.lang());
    if (q.countries().size() == 1) {
      // one country is a hard filter at Google; several are filtered here, on the answer
      r.components(ComponentFilter.country(q.countries().get(0)));
    }
    double[] bbox = q.bbox();
    if (bbox != null) {
      // bounds only bias Google's results (a box across the antimeridian included): the ones outside are dropped below
      r.bounds(new LatLng(bbox[1], bbox[0]), new LatLng(bbox[3], bbox[2]));
    } else if (q.proximity() != null) {
      double lon = q.proximity()[0];
      double lat = q.proximity()[1];
      r.bounds(new LatLng(Math.max(-90, lat - PROXIMITY_BIAS_DEGREES), Math.max(-180, lon - PROXIMITY_BIAS_DEGREES)),
          new LatLng(Math.min(90, lat + PROXIMITY_BIAS_DEGREES), Math.min(180, lon + PROXIMITY_BIAS_DEGREES)));
    }
    return call(r, q.limit(), q.countries(), bbox);
  }

  @Override
  public Future<List<GeoPlace>> reverse(ReverseQuery q) {
    GeocodingApiRequest r = GeocodingApi.newRequest(context).latlng(new LatLng(q.lat(), q.lon()));
    if (q.lang() != null) r.language(q.lang());
    return call(r, q.limit(), List.of(), null);
  }

  private Future<List<GeoPlace>> call(GeocodingApiRequest request, int limit, List<String> countries, double[] bbox) {
    ContextHop<List<GeoPlace>> hop = new ContextHop<>();
    try {
      request.setCallback(new PendingResult.Callback<>() {
        @Override
        public void onResult(GeocodingResult[] results) {
          try {
            hop.complete(results == null ? List.of() : places(results, limit, countries, bbox));
          } catch (RuntimeException e) {
            hop.fail(new GeocodeException(NAME, GeocodeException.Kind.UNAVAILABLE, "unreadable answer: " + e.getClass().getSimpleName(), e));
          }
        }

        @Override
        public void onFailure(Throwable t) {
          if (t instanceof ZeroResultsException || t instanceof InvalidRequestException || t instanceof NotFoundException) {
            log.debug("google found nothing or refused the query [reason: {}]", t.getClass().getSimpleName());
            hop.complete(List.of());
          } else {
            hop.fail(failure(t));
          }
        }
      });
    } catch (IllegalArgumentException e) {
      // the SDK validates before sending: a request it refuses is one Google would refuse
      log.debug("google refused the query before sending [reason: {}]", e.getMessage());
      return Future.succeededFuture(List.of());
    }
    return hop.future();
  }

  static GeocodeException failure(Throwable t) {
    // Google's error_message is safe to repeat; the request URL (with the key) never is, and no SDK message carries it
    String msg = t.getMessage() == null ? t.getClass().getSimpleName() : t.getMessage();
    if (t instanceof OverQueryLimitException || t instanceof OverDailyLimitException) {
      return new GeocodeException(NAME, GeocodeException.Kind.QUOTA, "OVER_QUERY_LIMIT: " + msg, null);
    }
    if (t instanceof RequestDeniedException || t instanceof AccessNotConfiguredException) {
      return new GeocodeException(NAME, GeocodeException.Kind.DENIED, "REQUEST_DENIED: " + msg, null);
    }
    if (t instanceof InterruptedIOException) {
      return new GeocodeException(NAME, GeocodeException.Kind.TIMEOUT, t.getClass().getSimpleName() + ": " + msg, null);
    }
    return new GeocodeException(NAME, GeocodeException.Kind.UNAVAILABLE, t.getClass().getSimpleName() + ": " + msg, null);
  }

  /** Google results as places, in Google's order, filtered to the countries and bbox asked for. */
  static List<GeoPlace> places(GeocodingResult[] results, int limit, List<String> countries, double[] bbox) {
    List<GeoPlace> out = new ArrayList<>(Math.min(results.length, limit));
    for (GeocodingResult r : results) {
      if (out.size() == limit) break;
      if (r == null || r.geometry == null || r.geometry.location == null) continue;
      double lat = r.geometry.location.lat;
      double lon = r.geometry.location.lng;
      if (bbox != null && !Boxes.contains(bbox, lon, lat)) continue;
      String country = null;
      String countryCode = null;
      String region = null;
      String name = null;
      AddressType primary = r.types == null || r.types.length == 0 ? null : r.types[0];
      if (r.addressComponents != null) {
        for (AddressComponent c : r.addressComponents) {
          if (c.types == null) continue;
          for (AddressComponentType t : c.types) {
            if (t == AddressComponentType.COUNTRY) {
              country = c.longName;
              countryCode = c.shortName == null ? null : c.shortName.toUpperCase(Locale.ROOT);
            } else if (t == AddressComponentType.ADMINISTRATIVE_AREA_LEVEL_1) {
              region = c.longName;
            }
            if (name == null && primary != null && t.name().equals(primary.name())) name = c.longName;
          }
        }
      }
      if (!countries.isEmpty() && (countryCode == null || !countries.contains(countryCode))) continue;
      if (name == null && r.formattedAddress != null) {
        int comma = r.formattedAddress.indexOf(',');
        name = comma > 0 ? r.formattedAddress.substring(0, comma) : r.formattedAddress;
      }
      Bounds b = r.geometry.bounds != null ? r.geometry.bounds : r.geometry.viewport;
      double[] box = b == null || b.southwest == null || b.northeast == null ? null
          : new double[] {b.southwest.lng, b.southwest.lat, b.northeast.lng, b.northeast.lat};
      out.add(new GeoPlace(lon, lat, r.formattedAddress, name, country, countryCode, region, confidence(r),
          NAME, r.placeId, box));
    }
    return out;
  }

  /**
   * Google gives no score: a partial match is a weak one, and for an address (not a city or a
   * region, which are always "approximate") the precision of its location counts.
   */
  static double confidence(GeocodingResult r) {
    double c = r.partialMatch ? 0.5 : 1.0;
    boolean addressLike = false;
    if (r.types != null) {
      for (AddressType t : r.types) addressLike |= ADDRESS_LIKE.contains(t);
    }
    if (addressLike && r.geometry != null && r.geometry.locationType != null) {
      LocationType lt = r.geometry.locationType;
      c *= switch (lt) {
        case ROOFTOP -> 1.0;
        case RANGE_INTERPOLATED -> 0.9;
        case GEOMETRIC_CENTER -> 0.8;
        default -> 0.7;
      };
    }
    return c;
  }

  /** Stops the SDK's threads (its rate limiter and OkHttp's dispatcher). */
  public void close() {
    context.shutdown();
  }
}
