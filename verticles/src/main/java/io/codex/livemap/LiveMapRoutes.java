package io.codex.livemap;

import io.codex.api.ApiRoutes;
import io.codex.api.OperationsRoutes;
import io.codex.api.Problem;
import io.codex.security.Access;
import io.codex.security.Authenticator;
import io.codex.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServerRequest;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import java.nio.charset.StandardCharsets;
import java.util.function.Function;

/**
 * {@code WS /ws/live} (viewer, analyst, admin) and the public map page {@code GET /map} with its
 * assets: Mapbox GL JS from its webjar and the bundled country outlines.
 *
 * <p>The socket takes its token from {@code ?token=} (browsers cannot set headers on a
 * WebSocket), from {@code Authorization: Bearer}, or from its first message
 * {@code {"type":"auth","token":…}}. The token is never logged: the access log writes the path
 * only, and this class logs no request line.
 */
public final class LiveMapRoutes {
  static final String MAPBOX_GL_VERSION = OperationsRoutes.webjarVersion("org.webjars.npm", "mapbox-gl");
  private static final String CSP = "default-src 'self'; script-src 'self'; style-src 'self' 'unsafe-inline'; "
      + "img-src 'self' data: blob: https://*.mapbox.com; connect-src 'self' ws: wss: https://*.mapbox.com; "
      + "worker-src blob:; child-src blob:; font-src 'self' https://*.mapbox.com; frame-ancestors 'self'";

  private final Vertx vertx;
  private final LiveMapConfig cfg;
  private final LiveMapHub hub;
  private final Buffer page;
  private Authenticator authenticator;

  public LiveMapRoutes(Vertx vertx, LiveMapConfig cfg, Buffer pageTemplate) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.hub = LiveMapHub.shared(vertx);
    JsonObject pageConfig = new JsonObject()
        .put("mapboxToken", cfg.mapboxToken())
        .put("mapboxStyle", cfg.mapboxStyle())
        .put("flushIntervalMs", cfg.flushInterval().toMillis());
    // inside <script type="application/json">: no "</" may end the element early
    this.page = Buffer.buffer(pageTemplate.toString(StandardCharsets.UTF_8)
        .replace("{{CONFIG}}", pageConfig.encode().replace("</", "<\\/")));
  }

  /** Where the page template lives on the class path. */
  public static final String PAGE = "io/codex/livemap/web/map.html";

  public void mount(ApiRoutes routes) {
    this.authenticator = routes.authenticator();
    routes.addSelfAuthenticated(HttpMethod.GET, "/ws/live", Access.VIEWER, this::live);
    routes.add(HttpMethod.GET, "/map", Access.PUBLIC, ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", CSP)
        .end(page));
    routes.router().get("/map/assets/mapbox-gl/*").handler(StaticHandler
        .create("META-INF/resources/webjars/mapbox-gl/" + MAPBOX_GL_VERSION + "/dist").setCachingEnabled(true).setMaxAgeSeconds(86_400));
    routes.router().get("/map/assets/*").handler(StaticHandler.create("io/codex/livemap/web").setCachingEnabled(true)
        .setMaxAgeSeconds(3_600));
  }

  private void live(RoutingContext ctx) {
    HttpServerRequest req = ctx.request();
    boolean upgrade = "websocket".equalsIgnoreCase(req.getHeader("Upgrade"));
    String queryToken = req.getParam("token");
    String authorization = req.getHeader("Authorization");
    String credential = queryToken != null && !queryToken.isBlank() ? "Bearer " + queryToken : authorization;
    if (credential == null || credential.isBlank()) {
      if (!upgrade) {
        throw Problem.unauthorized("Send the token as ?token=, as Authorization: Bearer, or as the first message "
            + "{\"type\":\"auth\",\"token\":\"…\"} once the socket is open.");
      }
      upgrade(ctx, null, Long.MAX_VALUE);
      return;
    }
    authenticator.authenticate(credential).onComplete(ar -> {
      if (ar.failed()) {
        ctx.fail(ar.cause());
      } else if (!Access.VIEWER.allows(ar.result())) {
        ctx.fail(Problem.forbidden("The live map needs one of the roles [admin, analyst, viewer]."));
      } else if (!upgrade) {
        ctx.fail(new Problem(400, "Bad Request", "/ws/live is a WebSocket: connect with Upgrade: websocket.")
            .withError("Upgrade", "must be websocket"));
      } else {
        String token = credential.regionMatches(true, 0, "Bearer ", 0, 7) ? credential.substring(7).trim() : null;
        upgrade(ctx, ar.result(), Messages.expiryMillis(token));
      }
    });
  }

  private void upgrade(RoutingContext ctx, Caller caller, long expiresAtMs) {
    LiveMapVerticle instance = hub.pick();
    if (instance == null) {
      ctx.fail(Problem.unavailable("The live map is not running on this node.", 5));
      return;
    }
    if (!hub.admit(cfg.maxClients())) {
      ctx.fail(Problem.unavailable("This node serves its maximum of " + cfg.maxClients() + " live map clients.", 5));
      return;
    }
    Function<String, Future<Caller>> verifier = token -> authenticator.authenticate("Bearer " + token);
    ctx.request().toWebSocket()
        .onSuccess(ws -> instance.accept(ws, caller, expiresAtMs, verifier))
        .onFailure(t -> {
          hub.release();
          if (!ctx.response().ended()) ctx.fail(Problem.badRequest("The WebSocket handshake failed."));
        });
  }
}
