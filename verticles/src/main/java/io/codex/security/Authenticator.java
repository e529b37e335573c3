package io.codex.security;

import io.codex.api.Problem;
import io.vertx.core.Future;
import io.vertx.core.Handler;
import io.vertx.ext.web.RoutingContext;
import java.nio.charset.StandardCharsets;
import java.util.Base64;

/**
 * Establishes the {@link Caller} of a request from {@code Authorization: Bearer <JWT>} or, for
 * devices, {@code Authorization: Basic deviceId:secret}. The credentials themselves are never
 * logged or echoed.
 */
public final class Authenticator implements Handler<RoutingContext> {
  private static final String CALLER = "codex.caller";

  private final TokenService tokens;
  private final DeviceRegistry registry;

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
      String[] idSecret = decodeBasic(value);
      if (idSecret == null) return Future.failedFuture(Problem.unauthorized("Malformed Basic credentials."));
      return DeviceAuth.authenticate(registry, idSecret[0], idSecret[1])
          .map(Future::succeededFuture)
          .orElseGet(() -> Future.failedFuture(Problem.unauthorized("Unknown device, revoked device or wrong secret.")));
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
