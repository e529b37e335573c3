package io.codex.api;

import io.vertx.ext.web.RoutingContext;
import java.util.regex.Pattern;

/**
 * The request correlation id: taken from {@code X-Request-Id} when the caller sends a sane one,
 * otherwise generated; echoed in the response and in every log line about the request.
 */
public final class Correlation {
  public static final String HEADER = "X-Request-Id";
  private static final String KEY = "codex.correlationId";
  private static final Pattern SANE = Pattern.compile("[A-Za-z0-9._:-]{1,64}");

  private Correlation() {}

  public static void assign(RoutingContext ctx) {
    String given = ctx.request().getHeader(HEADER);
    String id = given != null && SANE.matcher(given).matches() ? given : newId();
    ctx.put(KEY, id);
    ctx.response().putHeader(HEADER, id);
    ctx.next();
  }

  private static final String NODE_PREFIX = Long.toHexString(new java.security.SecureRandom().nextLong() | Long.MIN_VALUE) + "-";
  private static final java.util.concurrent.atomic.AtomicLong SEQUENCE = new java.util.concurrent.atomic.AtomicLong();

  /** Unique per process run (random prefix + sequence), and cheap enough for every request. */
  static String newId() {
    return NODE_PREFIX + Long.toHexString(SEQUENCE.incrementAndGet());
  }

  public static String id(RoutingContext ctx) {
    String id = ctx.get(KEY);
    return id == null ? "-" : id;
  }
}
