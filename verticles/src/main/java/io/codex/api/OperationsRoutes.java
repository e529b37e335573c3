package io.codex.api;

import io.codex.bridge.TopicAdmin;
import io.codex.security.Access;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.vertx.ext.web.handler.StaticHandler;
import io.vertx.micrometer.PrometheusScrapingHandler;
import java.io.IOException;
import java.io.InputStream;
import java.time.Duration;
import java.util.Properties;

/** Health, metrics, the OpenAPI document and its Swagger UI: public routes for operators. */
public final class OperationsRoutes {
  private static final Duration KAFKA_PROBE_TIMEOUT = Duration.ofSeconds(2);
  private static final long KAFKA_PROBE_CACHE_MS = 1_000;

  private final Vertx vertx;
  private final TopicAdmin admin;
  private final Buffer openApi;
  private static final String SWAGGER_UI_VERSION = webjarVersion("swagger-ui");
  private long lastProbeAt;
  private Future<Integer> lastProbe;

  public OperationsRoutes(Vertx vertx, TopicAdmin admin, Buffer openApi) {
    this.vertx = vertx;
    this.admin = admin;
    this.openApi = openApi;
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.GET, "/health/live", Access.PUBLIC,
        ctx -> Json.send(ctx, 200, new JsonObject().put("status", "UP")));
    routes.add(HttpMethod.GET, "/health/ready", Access.PUBLIC, this::ready);
    String registry = NodeMetrics.registryName(vertx);
    routes.add(HttpMethod.GET, "/metrics", Access.PUBLIC,
        registry != null ? PrometheusScrapingHandler.create(registry) : PrometheusScrapingHandler.create());
    routes.add(HttpMethod.GET, "/openapi.yaml", Access.PUBLIC, ctx -> ctx.response()
        .putHeader("Content-Type", "application/yaml; charset=utf-8").end(openApi));
    routes.add(HttpMethod.GET, "/docs", Access.PUBLIC, ctx -> ctx.response()
        .putHeader("Content-Type", "text/html; charset=utf-8").end(docsPage()));
    routes.router().get("/docs/ui/*").handler(StaticHandler
        .create("META-INF/resources/webjars/swagger-ui/" + SWAGGER_UI_VERSION).setCachingEnabled(true));
  }

  private void ready(RoutingContext ctx) {
    boolean deployed = Status.deployed(vertx);
    kafkaProbe().onComplete(ar -> {
      JsonObject checks = new JsonObject()
          .put("verticles", deployed ? "UP" : "DOWN")
          .put("kafka", ar.succeeded() && ar.result() > 0 ? "UP" : "DOWN");
      boolean up = deployed && ar.succeeded() && ar.result() > 0;
      JsonObject body = new JsonObject().put("status", up ? "UP" : "DOWN").put("checks", checks);
      if (!up) ctx.response().putHeader("Retry-After", "1");
      Json.send(ctx, up ? 200 : 503, body);
    });
  }

  /** One cluster probe per second at most, however often the orchestrator asks. */
  private Future<Integer> kafkaProbe() {
    long now = System.currentTimeMillis();
    if (lastProbe == null || now - lastProbeAt > KAFKA_PROBE_CACHE_MS) {
      lastProbeAt = now;
      lastProbe = admin.ping(KAFKA_PROBE_TIMEOUT);
    }
    return lastProbe;
  }

  private String docsPage() {
    return """
        <!doctype html>
        <html lang="en"><head><meta charset="utf-8"><title>Codex API</title>
        <link rel="stylesheet" href="/docs/ui/swagger-ui.css"></head>
        <body><div id="swagger-ui"></div>
        <script src="/docs/ui/swagger-ui-bundle.js"></script>
        <script>window.ui = SwaggerUIBundle({url: '/openapi.yaml', dom_id: '#swagger-ui'});</script>
        </body></html>
        """;
  }

  static String webjarVersion(String artifact) {
    return webjarVersion("org.webjars", artifact);
  }

  /** The version of a webjar on the class path (its files live under a folder named after it). */
  public static String webjarVersion(String group, String artifact) {
    String path = "META-INF/maven/" + group + "/" + artifact + "/pom.properties";
    try (InputStream in = OperationsRoutes.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new IllegalStateException("webjar " + group + ":" + artifact + " is not on the classpath");
      Properties p = new Properties();
      p.load(in);
      return p.getProperty("version");
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + path, e);
    }
  }
}
