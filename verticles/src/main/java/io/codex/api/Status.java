package io.codex.api;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.shareddata.LocalMap;

/** Node-wide facts that /health/ready and the tests read: whether start-up finished, the route table. */
public final class Status {
  private static final String MAP = "codex.status";

  private Status() {}

  private static LocalMap<String, Object> map(Vertx vertx) {
    return vertx.sharedData().getLocalMap(MAP);
  }

  public static void markDeployed(Vertx vertx, boolean deployed) {
    map(vertx).put("deployed", deployed);
  }

  public static boolean deployed(Vertx vertx) {
    return Boolean.TRUE.equals(map(vertx).get("deployed"));
  }

  public static void publishRoutes(Vertx vertx, JsonArray routes) {
    map(vertx).put("routes", routes);
  }

  public static JsonArray routes(Vertx vertx) {
    Object r = map(vertx).get("routes");
    return r instanceof JsonArray a ? a : new JsonArray();
  }
}
