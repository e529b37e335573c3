package io.codex.geo;

/** Why a provider could not answer; every kind makes the chain fall back to the next provider. */
public final class GeocodeException extends RuntimeException {

  public enum Kind {
    /** Quota or rate limit at the provider (Google OVER_QUERY_LIMIT, Mapbox 429). */
    QUOTA,
    /** Credentials refused (Google REQUEST_DENIED, Mapbox 401/403). */
    DENIED,
    /** No answer in time. */
    TIMEOUT,
    /** Anything else: connection refused, 5xx, unreadable answer. */
    UNAVAILABLE
  }

  private final String provider;
  private final Kind kind;

  public GeocodeException(String provider, Kind kind, String message, Throwable cause) {
    super(provider + ": " + message, cause, false, false);
    this.provider = provider;
    this.kind = kind;
  }

  public String provider() {
    return provider;
  }

  public Kind kind() {
    return kind;
  }
}
