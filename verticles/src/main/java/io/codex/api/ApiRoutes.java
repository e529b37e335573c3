package io.codex.api;

import io.codex.security.Access;
import io.codex.security.Authenticator;
import io.vertx.core.Handler;
import io.vertx.core.http.HttpHeaders;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.Route;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.BodyHandler;
import java.util.ArrayList;
import java.util.List;

/**
 * Registers API routes with who may call them: every route is declared with its {@link Access}
 * level, gets the body limit, authentication and the role check before its handler, and is
 * recorded so that the OpenAPI document and the RBAC tests can be checked against the router.
 */
public final class ApiRoutes {
  /** A registered route: method, path (OpenAPI style, {@code {id}}), who may call it. */
  public record Spec(HttpMethod method, String path, Access access) {
    public JsonObject toJson() {
      return new JsonObject().put("method", method.name()).put("path", path).put("access", access.name());
    }
  }

  private final Router router;
  private final Authenticator authenticator;
  private final long maxBodyBytes;
  private final List<Spec> specs = new ArrayList<>();

  public ApiRoutes(Router router, Authenticator authenticator, long maxBodyBytes) {
    this.router = router;
    this.authenticator = authenticator;
    this.maxBodyBytes = maxBodyBytes;
  }

  public Router router() {
    return router;
  }

  /** A route with the default body limit. */
  public Route add(HttpMethod method, String path, Access access, Handler<RoutingContext> handler) {
    return add(method, path, access, maxBodyBytes, handler);
  }

  /** A route with its own body limit (bytes); bodies over it are answered 413. */
  public Route add(HttpMethod method, String path, Access access, long bodyLimit, Handler<RoutingContext> handler) {
    specs.add(new Spec(method, path, access));
    Route route = router.route(method, path.replaceAll("\\{([A-Za-z]+)}", ":$1"));
    if (method == HttpMethod.POST || method == HttpMethod.PUT || method == HttpMethod.PATCH) {
      BodyHandler body = BodyHandler.create(false).setBodyLimit(bodyLimit);
      route.handler(ctx -> {
        // gzip and deflate bodies arrive decoded, their Content-Encoding gone (the server decompresses);
        // any other encoding would reach the handler as unreadable bytes
        String encoding = ctx.request().getHeader(HttpHeaders.CONTENT_ENCODING);
        if (encoding == null || encoding.equalsIgnoreCase("identity")) {
          body.handle(ctx);
        } else {
          ctx.fail(new Problem(415, "Unsupported Media Type", "Send the body as is, or compressed with gzip or deflate.")
              .withError("Content-Encoding", "not supported: " + encoding));
        }
      });
    }
    if (access != Access.PUBLIC) {
      route.handler(authenticator).handler(ctx -> {
        if (access.allows(Authenticator.caller(ctx))) {
          ctx.next();
        } else {
          ctx.fail(Problem.forbidden("This route needs one of the roles " + access.roles().stream()
              .map(r -> r.claim()).sorted().toList() + "."));
        }
      });
    }
    return route.handler(handler);
  }

  /**
   * A route that authenticates its callers itself, declared with its access level like any other
   * (so that the OpenAPI document and the RBAC tests see it): a WebSocket, whose browser client
   * cannot send an Authorization header, checks a token from the query or its first message.
   */
  public Route addSelfAuthenticated(HttpMethod method, String path, Access access, Handler<RoutingContext> handler) {
    specs.add(new Spec(method, path, access));
    return router.route(method, path.replaceAll("\\{([A-Za-z]+)}", ":$1")).handler(handler);
  }

  public Authenticator authenticator() {
    return authenticator;
  }

  public List<Spec> specs() {
    return List.copyOf(specs);
  }

  public JsonArray specsJson() {
    JsonArray a = new JsonArray();
    specs.forEach(s -> a.add(s.toJson()));
    return a;
  }
}
