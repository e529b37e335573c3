package io.codex.api;

import io.vertx.core.json.DecodeException;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;

/** Small helpers for JSON request and response bodies. */
public final class Json {
  private Json() {}

  /** The request body as a JSON object, or a 400 problem saying why it is not one. */
  public static JsonObject bodyObject(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    if (ct != null && !ct.toLowerCase().startsWith("application/json") && !ct.toLowerCase().contains("+json")) {
      throw new Problem(415, "Unsupported Media Type", "Send the body as application/json.");
    }
    var body = ctx.body().buffer();
    if (body == null || body.length() == 0) throw Problem.badRequest("A JSON object body is required.");
    try {
      Object v = io.vertx.core.json.Json.decodeValue(body);
      if (v instanceof JsonObject o) return o;
    } catch (DecodeException e) {
      throw Problem.badRequest("The body is not valid JSON.");
    }
    throw Problem.badRequest("The body must be a JSON object.");
  }

  public static void send(RoutingContext ctx, int status, Object json) {
    ctx.response().setStatusCode(status).putHeader("Content-Type", "application/json")
        .end(json instanceof JsonObject o ? o.encode() : io.vertx.core.json.Json.encode(json));
  }
}
