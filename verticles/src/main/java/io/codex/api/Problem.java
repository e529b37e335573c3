package io.codex.api;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * An RFC 9457 problem: the one way an API route reports failure. Thrown (or passed to
 * {@code ctx.fail}) anywhere in a route and rendered by {@link Problems#render}.
 */
public final class Problem extends RuntimeException {
  private final int status;
  private final String title;
  private final JsonArray errors = new JsonArray();
  private Integer retryAfterSeconds;
  private String wwwAuthenticate;

  public Problem(int status, String title, String detail) {
    super(detail, null, false, false);
    this.status = status;
    this.title = title;
  }

  public static Problem badRequest(String detail) {
    return new Problem(400, "Bad Request", detail);
  }

  public static Problem unauthorized(String detail) {
    return new Problem(401, "Unauthorized", detail).withWwwAuthenticate("Bearer realm=\"codex\"");
  }

  public static Problem forbidden(String detail) {
    return new Problem(403, "Forbidden", detail);
  }

  public static Problem notFound(String detail) {
    return new Problem(404, "Not Found", detail);
  }

  public static Problem conflict(String detail) {
    return new Problem(409, "Conflict", detail);
  }

  public static Problem unavailable(String detail, int retryAfterSeconds) {
    return new Problem(503, "Service Unavailable", detail).withRetryAfter(retryAfterSeconds);
  }

  /** Names one bad field; {@code field} is a JSON-pointer-like path such as {@code deviceId} or {@code /3/location/lat}. */
  public Problem withError(String field, String message) {
    errors.add(new JsonObject().put("field", field).put("message", message));
    return this;
  }

  public Problem withRetryAfter(int seconds) {
    this.retryAfterSeconds = seconds;
    return this;
  }

  public Problem withWwwAuthenticate(String challenge) {
    this.wwwAuthenticate = challenge;
    return this;
  }

  public boolean hasErrors() {
    return !errors.isEmpty();
  }

  public int status() {
    return status;
  }

  public String title() {
    return title;
  }

  public Integer retryAfterSeconds() {
    return retryAfterSeconds;
  }

  public String wwwAuthenticate() {
    return wwwAuthenticate;
  }

  public JsonObject toJson(String instance) {
    JsonObject o = new JsonObject()
        .put("type", "https://codex.dev/problems/" + status)
        .put("title", title)
        .put("status", status)
        .put("detail", getMessage());
    if (instance != null) o.put("instance", instance);
    if (!errors.isEmpty()) o.put("errors", errors.copy());
    return o;
  }
}
