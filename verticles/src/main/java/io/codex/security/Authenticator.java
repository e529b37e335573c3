package io.codex.security;

import io.codex.api.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Optional;

/**
 * Establishes the {@link Caller} of a request from {@code Authorization: Bearer <JWT>} or, for
 * devices, {@code Authorization: Basic deviceId:secret}. The credentials themselves are never
 * logged or echoed.
 */
public final class Authenticator implements Handler<RoutingContext> {
  private static final String CALLER = "codex.caller";

  private static final int VERIFIED_MAX = 4096;

  private final TokenService tokens;
  private final DeviceRegistry registry;
  /**
   * Basic credentials verified lately, by header value, with the registry entry they matched:
   * a device sending many requests costs one secret hash, not one per request. Bounded (least
   * recently used out); only used on the event loop of the verticle that made this authenticator.
   */
  private final Map<String, Verified> verified = new LinkedHashMap<>(256, 0.75f, true) {
    @Override
    protected boolean removeEldestEntry(Map.Entry<String, Verified> eldest) {
      return size() > VERIFIED_MAX;
    }
  };

  private record Verified(String deviceId, DeviceEntry entry, Caller caller) {}

  public Authenticator(TokenService tokens, DeviceRegistry registry) {
    this.tokens = tokens;
    this.registry = registry;
  }

  public static Caller caller(RoutingContext ctx) {
    return ctx.get(CALLER);
  }

  @Override
  public void handle(RoutingContext ctx) {
    authenticate(ctx.request().getHeader("Authorization"))
        .onSuccess(caller -> {
          ctx.put(CALLER, caller);
          ctx.next();
        })
        .onFailure(ctx::fail);
  }

  public Future<Caller> authenticate(String authorization) {
    if (authorization == null || authorization.isBlank()) {
      return Future.failedFuture(Problem.unauthorized("Send Authorization: Bearer <token> (or Basic credentials for a device)."));
    }
    int sp = authorization.indexOf(' ');
    String scheme = sp < 0 ? authorization : authorization.substring(0, sp);
    String value = sp < 0 ? "" : authorization.substring(sp + 1).trim();
    if (scheme.equalsIgnoreCase("Bearer") && !value.isEmpty()) {
      return tokens.verify(value, registry);
    }
    if (scheme.equalsIgnoreCase("Basic") && !value.isEmpty()) {
      Verified hit = verified.get(authorization);
      // still the entry that secret was verified against: not revoked, re-registered or changed since
      if (hit != null) {
        if (registry.find(hit.deviceId()).orElse(null) == hit.entry()) return Future.succeededFuture(hit.caller());
        verified.remove(authorization);
      }
      String[] idSecret = decodeBasic(value);
      if (idSecret == null) return Future.failedFuture(Problem.unauthorized("Malformed Basic credentials."));
      Optional<DeviceEntry> entry = registry.verify(idSecret[0], idSecret[1]);
      if (entry.isEmpty()) return Future.failedFuture(Problem.unauthorized("Unknown device, revoked device or wrong secret."));
      Caller caller = DeviceAuth.callerOf(entry.get());
      verified.put(authorization, new Verified(idSecret[0], entry.get(), caller));
      return Future.succeededFuture(caller);
    }
    return Future.failedFuture(Problem.unauthorized("Unsupported Authorization scheme; use Bearer or Basic."));
  }

  /** {@code [user, password]} of a Basic header value, or null when malformed. */
  public static String[] decodeBasic(String value) {
    try {
      String decoded = new String(Base64.getDecoder().decode(value), StandardCharsets.UTF_8);
      int colon = decoded.indexOf(':');
      if (colon <= 0) return null;
      return new String[] {decoded.substring(0, colon), decoded.substring(colon + 1)};
    } catch (IllegalArgumentException e) {
      return null;
    }
  }
}
