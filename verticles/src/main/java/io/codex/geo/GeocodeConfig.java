package io.codex.geo;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.Set;

/**
 * The {@code geo} section: the provider chain and what guards it (timeout, in-flight bound,
 * circuit breakers, cache, per-caller rate limit), and each remote provider's credentials and base
 * URL. Parsed once, failing fast: a chain naming {@code mapbox} without a usable token does not start.
 *
 * <p>Secrets (the Mapbox token, the Google API key) come from env vars or from files that
 * {@link #resolveSecretFiles} reads before the verticles start; {@link #toString} never prints them.
 */
public record GeocodeConfig(List<String> providers, Duration timeout, int maxInflight, Breaker breaker, Cache cache,
    RateLimit rateLimit, Mapbox mapbox, Google google) {
  public static final String MAPBOX = "mapbox";
  public static final String GOOGLE = "google";
  public static final Set<String> KNOWN = Set.of(OfflineGeocoder.NAME, MAPBOX, GOOGLE);

  /** Per provider: {@code maxFailures} within {@code failureWindow} open the circuit for {@code resetTimeout}. */
  public record Breaker(int maxFailures, Duration failureWindow, Duration resetTimeout) {}

  /** Answers kept for {@code ttl}; at most {@code maxPlaces} places in all (an answer weighs its place count, at least 1). */
  public record Cache(Duration ttl, long maxPlaces) {}

  /** Token bucket per caller (the token's subject), per node; {@code perSecond} 0 = no limit. */
  public record RateLimit(double perSecond, int burst) {
    public boolean enabled() {
      return perSecond > 0;
    }
  }

  public record Mapbox(String token, String baseUrl) {
    @Override
    public String toString() {
      return "Mapbox[token=" + (token.isEmpty() ? "" : "***") + ", baseUrl=" + baseUrl + "]";
    }
  }

  public record Google(String apiKey, String baseUrl, int queryRateLimit) {
    @Override
    public String toString() {
      return "Google[apiKey=" + (apiKey.isEmpty() ? "" : "***") + ", baseUrl=" + baseUrl + ", queryRateLimit=" + queryRateLimit + "]";
    }
  }

  public static GeocodeConfig from(JsonObject config) {
    ConfigReader g = ConfigReader.of(config).section("geo");
    List<String> providers = new ArrayList<>();
    for (String p : g.strings("providers")) {
      String name = p.trim().toLowerCase(Locale.ROOT);
      if (!KNOWN.contains(name)) {
        throw new ConfigException(g.key("providers"), "\"" + p + "\" is not a provider (offline, mapbox, google)");
      }
      if (providers.contains(name)) throw new ConfigException(g.key("providers"), "names \"" + name + "\" twice");
      providers.add(name);
    }
    if (providers.isEmpty()) providers.add(OfflineGeocoder.NAME);

    Duration timeout = g.duration("timeout", Duration.ofSeconds(2));
    if (timeout.toMillis() < 50 || timeout.compareTo(Duration.ofSeconds(60)) > 0) {
      throw new ConfigException(g.key("timeout"), "must be between 50ms and 60s");
    }
    int maxInflight = g.integer("maxInflight", 64, 1, 10_000);

    ConfigReader b = g.section("breaker");
    Duration window = b.duration("failureWindow", Duration.ofSeconds(10));
    Duration reset = b.duration("resetTimeout", Duration.ofSeconds(30));
    if (window.toSeconds() < 1) throw new ConfigException(b.key("failureWindow"), "must be at least 1s");
    if (reset.toMillis() < 100) throw new ConfigException(b.key("resetTimeout"), "must be at least 100ms");
    Breaker breaker = new Breaker(b.integer("maxFailures", 5, 1, 1_000), window, reset);

    ConfigReader c = g.section("cache");
    Duration ttl = c.duration("ttl", Duration.ofMinutes(10));
    Cache cache = new Cache(ttl, c.integer("maxPlaces", 50_000, 0, 10_000_000));

    ConfigReader r = g.section("rateLimit");
    double perSecond = number(r, "perSecond", 10, 0, 1_000_000);
    int burst = r.integer("burst", 20, 1, 1_000_000);
    RateLimit rateLimit = new RateLimit(perSecond, burst);

    ConfigReader m = g.section("mapbox");
    String token = m.string("token", "").trim();
    String mapboxUrl = baseUrl(m, "https://api.mapbox.com");
    if (providers.contains(MAPBOX)) {
      if (token.isEmpty()) {
        throw new ConfigException(m.key("token"), "is required when geo.providers names mapbox (CODEX_GEO_MAPBOX_TOKEN or geo.mapbox.tokenFile)");
      }
      if (!token.matches("(pk|sk|tk)\\.[A-Za-z0-9._-]+")) {
        // the token itself is never repeated in a message
        throw new ConfigException(m.key("token"), "is not a Mapbox access token (they start with pk., sk. or tk.)");
      }
    }

    ConfigReader go = g.section("google");
    String apiKey = go.string("apiKey", "").trim();
    String googleUrl = baseUrl(go, "https://maps.googleapis.com");
    if (providers.contains(GOOGLE)) {
      if (apiKey.isEmpty()) {
        throw new ConfigException(go.key("apiKey"), "is required when geo.providers names google (CODEX_GEO_GOOGLE_API_KEY or geo.google.apiKeyFile)");
      }
      if (!apiKey.matches("AIza[A-Za-z0-9_-]+")) {
        throw new ConfigException(go.key("apiKey"), "is not a Google Maps Platform API key (they start with AIza)");
      }
    }
    Google google = new Google(apiKey, googleUrl, go.integer("queryRateLimit", 50, 1, 10_000));
    return new GeocodeConfig(List.copyOf(providers), timeout, maxInflight, breaker, cache, rateLimit,
        new Mapbox(token, mapboxUrl), google);
  }

  private static String baseUrl(ConfigReader r, String def) {
    String url = r.string("baseUrl", def).trim();
    if (url.isEmpty()) url = def;
    while (url.endsWith("/")) url = url.substring(0, url.length() - 1);
    if (!url.matches("https?://[A-Za-z0-9.\\[\\]:-]+(:\\d{1,5})?")) {
      throw new ConfigException(r.key("baseUrl"), "must be scheme://host[:port] without a path (got \"" + url + "\")");
    }
    return url;
  }

  private static double number(ConfigReader r, String name, double def, double min, double max) {
    String v = r.string(name, null);
    if (v == null || v.isBlank()) return def;
    double d;
    try {
      d = Double.parseDouble(v.trim());
    } catch (NumberFormatException e) {
      throw new ConfigException(r.key(name), "must be a number between " + min + " and " + max + " (got \"" + v + "\")");
    }
    if (!(d >= min && d <= max)) {
      throw new ConfigException(r.key(name), "must be a number between " + min + " and " + max + " (got " + v + ")");
    }
    return d;
  }

  /**
   * Reads {@code geo.mapbox.tokenFile} and {@code geo.google.apiKeyFile} into their keys unless
   * those are set already (an env var wins over a file). Called once by the launcher, before the
   * verticles start, so that no verticle reads a file.
   */
  public static void resolveSecretFiles(JsonObject config) {
    JsonObject geo = config.getJsonObject("geo");
    if (geo == null) return;
    ConfigReader.secretFromFile(geo, "geo", "mapbox", "token", "tokenFile");
    ConfigReader.secretFromFile(geo, "geo", "google", "apiKey", "apiKeyFile");
  }

}
