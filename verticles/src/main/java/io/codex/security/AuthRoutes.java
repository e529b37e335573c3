package io.codex.security;

import io.codex.api.ApiRoutes;
import io.codex.api.Json;
import io.codex.api.Problem;
import io.vertx.core.MultiMap;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.util.List;
import java.util.Optional;

/**
 * {@code POST /api/v1/auth/token}: the client-credentials grant of embedded mode (API clients
 * seeded from conf, and devices with their secret), and {@code GET /api/v1/auth/me}.
 */
public final class AuthRoutes {
  private final TokenService tokens;
  private final AuthSettings settings;
  private final DeviceRegistry registry;

  public AuthRoutes(TokenService tokens, AuthSettings settings, DeviceRegistry registry) {
    this.tokens = tokens;
    this.settings = settings;
    this.registry = registry;
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.POST, "/api/v1/auth/token", Access.PUBLIC, 16 * 1024, this::token);
    routes.add(HttpMethod.GET, "/api/v1/auth/me", Access.AUTHENTICATED, this::me);
  }

  private void token(RoutingContext ctx) {
    if (!tokens.canIssue()) {
      throw Problem.unavailable("This node has no signing key; tokens come from your identity provider.", 60);
    }
    String[] cred = credentials(ctx);
    if (cred == null) {
      throw Problem.badRequest("Send client_id and client_secret (form, JSON clientId/clientSecret, or Basic).")
          .withError("client_id", "is required").withError("client_secret", "is required");
    }
    Caller caller = clientCaller(cred[0], cred[1])
        .or(() -> DeviceAuth.authenticate(registry, cred[0], cred[1]))
        .orElseThrow(() -> Problem.unauthorized("Unknown client or wrong secret.").withWwwAuthenticate("Basic realm=\"codex\""));
    String token = tokens.issue(caller.subject(), caller.roles(), caller.devices(), settings.tokenTtl());
    Json.send(ctx, 200, new JsonObject()
        .put("access_token", token)
        .put("token_type", "Bearer")
        .put("expires_in", settings.tokenTtl().toSeconds())
        .put("roles", new JsonArray(caller.roles().stream().map(Role::claim).sorted().toList())));
  }

  private Optional<Caller> clientCaller(String clientId, String secret) {
    for (AuthSettings.ApiClient c : settings.clients()) {
      if (c.clientId().equals(clientId) && SecretHasher.verify(secret, c.secretHash())) {
        return Optional.of(new Caller(c.clientId(), c.roles(), c.devices() == null ? null : java.util.Set.copyOf(c.devices())));
      }
    }
    return Optional.empty();
  }

  /** {@code [id, secret]} from Basic, a form body or a JSON body; null when absent. */
  private static String[] credentials(RoutingContext ctx) {
    String auth = ctx.request().getHeader("Authorization");
    if (auth != null && auth.regionMatches(true, 0, "Basic ", 0, 6)) {
      String[] c = Authenticator.decodeBasic(auth.substring(6).trim());
      if (c == null) throw Problem.unauthorized("Malformed Basic credentials.");
      return c;
    }
    String ct = Optional.ofNullable(ctx.request().getHeader("Content-Type")).orElse("").toLowerCase();
    String id;
    String secret;
    if (ct.startsWith("application/x-www-form-urlencoded")) {
      MultiMap form = MultiMap.caseInsensitiveMultiMap();
      String body = ctx.body().asString();
      if (body != null) {
        io.netty.handler.codec.http.QueryStringDecoder d = new io.netty.handler.codec.http.QueryStringDecoder(body, false);
        d.parameters().forEach((k, v) -> form.add(k, v));
      }
      String grant = form.get("grant_type");
      if (grant != null && !grant.equals("client_credentials")) {
        throw Problem.badRequest("Only grant_type=client_credentials is supported.").withError("grant_type", "must be client_credentials");
      }
      id = form.get("client_id");
      secret = form.get("client_secret");
    } else {
      JsonObject body = Json.bodyObject(ctx);
      id = body.getValue("clientId") instanceof String s ? s : null;
      secret = body.getValue("clientSecret") instanceof String s ? s : null;
    }
    return id == null || secret == null ? null : new String[] {id, secret};
  }

  private void me(RoutingContext ctx) {
    Caller c = Authenticator.caller(ctx);
    JsonObject o = new JsonObject().put("subject", c.subject())
        .put("roles", new JsonArray(c.roles().stream().map(Role::claim).sorted().toList()));
    if (c.devices() != null) o.put("devices", new JsonArray(List.copyOf(c.devices())));
    Json.send(ctx, 200, o);
  }
}
