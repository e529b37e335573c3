package io.codex.api;

import io.vertx.core.eventbus.ReplyException;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.HttpException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/** Renders every failure of a route as {@code application/problem+json}; never a stack trace. */
public final class Problems {
  private static final Logger log = LoggerFactory.getLogger(Problems.class);
  public static final String CONTENT_TYPE = "application/problem+json";

  private Problems() {}

  /** The HTTP status a failure maps to, for event-bus replies and route failures alike. */
  public static int statusOf(Throwable t) {
    if (t instanceof Problem p) return p.status();
    if (t instanceof HttpException h) return h.getStatusCode();
    if (t instanceof ReplyException r) {
      return switch (r.failureType()) {
        case TIMEOUT, NO_HANDLERS -> 503;
        default -> r.failureCode() >= 400 && r.failureCode() < 600 ? r.failureCode() : 500;
      };
    }
    return 500;
  }

  public static Problem toProblem(Throwable t, int statusHint) {
    if (t instanceof Problem p) return p;
    if (t instanceof io.netty.handler.codec.compression.DecompressionException) {
      return Problem.badRequest("The body could not be decompressed; nothing was read.")
          .withError("Content-Encoding", "the body is not valid for this encoding");
    }
    if (t != null && t.getMessage() != null && t.getMessage().startsWith("CORS Rejected")) {
      return Problem.forbidden("This origin is not allowed (http.cors.origins).");
    }
    int status = t == null ? statusHint : statusOf(t);
    return switch (status) {
      case 400 -> Problem.badRequest(t instanceof HttpException h && h.getPayload() != null ? h.getPayload() : "The request could not be read.");
      case 401 -> Problem.unauthorized("Authentication is required.");
      case 403 -> Problem.forbidden("The caller's role does not allow this.");
      case 404 -> Problem.notFound("No such resource.");
      case 405 -> new Problem(405, "Method Not Allowed", "This method is not allowed on this resource.");
      case 413 -> new Problem(413, "Content Too Large", "The request body is larger than the configured limit.");
      case 415 -> new Problem(415, "Unsupported Media Type", "This content type is not accepted here.");
      case 503 -> Problem.unavailable(t instanceof ReplyException r && r.failureType() == io.vertx.core.eventbus.ReplyFailure.RECIPIENT_FAILURE
          && r.getMessage() != null ? r.getMessage() : "The service is busy or not ready; retry shortly.", 1);
      default -> {
        if (status >= 400 && status < 500 && t instanceof ReplyException r && r.getMessage() != null) {
          yield new Problem(status, "Request Failed", r.getMessage());
        }
        yield new Problem(500, "Internal Server Error", "An unexpected error occurred; quote the request id when reporting it.");
      }
    };
  }

  /** The router's failure handler. */
  public static void render(RoutingContext ctx) {
    if (ctx.request().authority() == null && ctx.request().version() != io.vertx.core.http.HttpVersion.HTTP_1_0) {
      // Vert.x refuses to route an HTTP/1.1 request without Host: the client's mistake, not ours
      send(ctx, Problem.badRequest("HTTP/1.1 requests need a Host header.").withError("Host", "is required"));
      return;
    }
    Problem p = toProblem(ctx.failure(), ctx.statusCode() > 0 ? ctx.statusCode() : 500);
    if (p.status() >= 500 && !(ctx.failure() instanceof Problem)) {
      log.error("request failed [correlationId: {}, method: {}, path: {}]",
          Correlation.id(ctx), ctx.request().method(), ctx.request().path(), ctx.failure());
    }
    send(ctx, p);
  }

  public static void send(RoutingContext ctx, Problem p) {
    if (ctx.response().ended() || ctx.response().closed()) return;
    if (ctx.response().headWritten()) {
      ctx.response().reset();
      return;
    }
    var resp = ctx.response().setStatusCode(p.status()).putHeader("Content-Type", CONTENT_TYPE);
    if (p.retryAfterSeconds() != null) resp.putHeader("Retry-After", p.retryAfterSeconds().toString());
    if (p.wwwAuthenticate() != null) resp.putHeader("WWW-Authenticate", p.wwwAuthenticate());
    resp.end(p.toJson(ctx.request().path()).encode());
  }
}
