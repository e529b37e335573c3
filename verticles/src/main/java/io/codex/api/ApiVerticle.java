package io.codex.api;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.ProducedTelemetry;
import io.codex.bridge.Topic;
import io.codex.bridge.TopicAdmin;
import io.codex.embed.EmbedConfig;
import io.codex.embed.EmbedRoutes;
import io.codex.geo.GeocodeConfig;
import io.codex.geo.GeocodeRoutes;
import io.codex.geo.GeocodeService;
import io.codex.geo.fence.GeofenceConfig;
import io.codex.geo.fence.GeofenceRoutes;
import io.codex.geo.fence.SpatialQueryRoutes;
import io.codex.ingest.IngestConfig;
import io.codex.ingest.IngestMetrics;
import io.codex.ingest.InflightLimiter;
import io.codex.ingest.TelemetryPublisher;
import io.codex.ingest.TelemetryRoutes;
import io.codex.livemap.LiveMapConfig;
import io.codex.livemap.LiveMapRoutes;
import io.codex.security.AuditLog;
import io.codex.security.AuthRoutes;
import io.codex.security.AuthSettings;
import io.codex.security.Authenticator;
import io.codex.security.DeviceRegistry;
import io.codex.security.DeviceRoutes;
import io.codex.security.TokenService;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.HttpServer;
import io.vertx.core.http.HttpServerOptions;
import io.vertx.ext.web.Router;
import io.vertx.ext.web.handler.CorsHandler;
import io.codex.bridge.SharedProducer;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The HTTP edge: one router with correlation ids, CORS, problem+json errors and the route table of
 * every capability, each route guarded by its {@link io.codex.security.Access} level. Deployed
 * with several instances; Vert.x spreads connections over them.
 */
public final class ApiVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(ApiVerticle.class);
  private static final Logger accessLog = LoggerFactory.getLogger("io.codex.access");

  private TopicAdmin admin;
  private HttpServer server;
  private GeocodeService geocoding;

  @Override
  public Future<?> start() {
    ApiConfig cfg = ApiConfig.from(config());
    KafkaSettings kafka = KafkaSettings.from(config());
    AuthSettings auth = AuthSettings.from(config());
    TokenService tokens = TokenService.create(vertx, auth);
    DeviceRegistry registry = DeviceRegistry.shared(vertx);
    SharedProducer producer = SharedProducer.of(vertx);
    admin = new TopicAdmin(vertx, kafka);

    Router router = Router.router(vertx);
    router.route().handler(Correlation::assign);
    if (cfg.accessLog()) {
      router.route().handler(ctx -> {
        long t0 = System.nanoTime();
        // the path only: a query string may carry a token (?token= of the live socket)
        ctx.addEndHandler(v -> accessLog.info("{} {} {} {}ms [correlationId: {}]", ctx.request().method(),
            ctx.request().path(), ctx.response().getStatusCode(), (System.nanoTime() - t0) / 1_000_000, Correlation.id(ctx)));
        ctx.next();
      });
    }
    if (!cfg.corsOrigins().isEmpty()) {
      CorsHandler cors = CorsHandler.create()
          .allowedMethods(Set.of(HttpMethod.GET, HttpMethod.POST, HttpMethod.PUT, HttpMethod.DELETE, HttpMethod.OPTIONS))
          .allowedHeaders(Set.of("Authorization", "Content-Type", Correlation.HEADER))
          .exposedHeaders(Set.of(Correlation.HEADER, "Location", "Retry-After", GeocodeRoutes.PROVIDER_HEADER, GeocodeRoutes.CACHE_HEADER))
          .allowCredentials(false);
      cfg.corsOrigins().forEach(o -> {
        if (!o.equals("*")) cors.addOrigin(o);
      });
      router.route().handler(cors);
    }

    ApiRoutes routes = new ApiRoutes(router, new Authenticator(tokens, registry), cfg.maxBodyBytes());
    AuditLog audit = new AuditLog(vertx, producer, kafka);
    // straight from the class path on a worker: Vert.x's file resolver would scan the whole fat jar
    Future<io.vertx.core.buffer.Buffer> mapPage = vertx.executeBlocking(() -> classpathResource(LiveMapRoutes.PAGE));
    // the node's geocoding service: made once (gazetteer load, SDK clients) on a worker, shared by the instances
    GeocodeConfig geo = GeocodeConfig.from(config());
    Future<GeocodeService> geocoder = vertx.executeBlocking(() -> GeocodeService.acquire(vertx, geo))
        .onSuccess(s -> geocoding = s);
    return vertx.executeBlocking(() -> classpathResource("io/codex/api/openapi.yaml")).compose(openApi -> mapPage.compose(page -> geocoder.compose(geocodeService -> {
      // the device feed first: the router tries routes in order, and this one takes most requests
      IngestConfig ingest = IngestConfig.from(config());
      InflightLimiter limiter = InflightLimiter.shared(vertx, ingest);
      IngestMetrics ingestMetrics = IngestMetrics.shared(vertx, limiter);
      new TelemetryRoutes(vertx, ingest, limiter,
          new TelemetryPublisher(producer, ProducedTelemetry.of(vertx), kafka.topic(Topic.TELEMETRY), limiter, ingestMetrics, "http"), ingestMetrics).mount(routes);
      new OperationsRoutes(vertx, admin, openApi).mount(routes);
      new AuthRoutes(tokens, auth, registry).mount(routes);
      GeofenceConfig geofences = GeofenceConfig.from(config());
      // before DeviceRoutes: /api/v1/devices/{deviceId} would take /api/v1/devices/nearest
      new SpatialQueryRoutes(vertx, geofences).mount(routes);
      new DeviceRoutes(vertx, registry, producer, kafka, audit).mount(routes);
      new GeofenceRoutes(vertx, geofences, producer, kafka, audit).mount(routes);
      new EmbedRoutes(vertx, EmbedConfig.from(config()), auth, producer, kafka, audit).mount(routes);
      new LiveMapRoutes(vertx, LiveMapConfig.from(config()), page).mount(routes);
      new GeocodeRoutes(geocodeService).mount(routes);

      router.route().failureHandler(Problems::render);
      for (int status : new int[] {400, 404, 405, 413, 415, 500}) {
        router.errorHandler(status, Problems::render);
      }
      Status.publishRoutes(vertx, routes.specsJson());
      return vertx.createHttpServer(new HttpServerOptions()
              .setHost(cfg.host())
              .setPort(cfg.port())
              .setCompressionSupported(true)
              // gzip/deflate request bodies (gateways batch); body limits count the decompressed bytes
              .setDecompressionSupported(true)
              .setIdleTimeout(120))
          .requestHandler(router)
          .listen()
          .recover(t -> Future.failedFuture(new IllegalStateException("cannot listen for HTTP on " + cfg.host() + ":"
              + cfg.port() + " (http.port, --http-port): " + t.getMessage(), t)));
    }))).onSuccess(s -> {
      server = s;
      log.debug("api listening [port: {}]", s.actualPort());
    }).onFailure(t -> {
      // stop() is not called after a failed start: hand the shared service back here
      if (geocoding != null) geocoding.release(vertx);
    });
  }

  static io.vertx.core.buffer.Buffer classpathResource(String path) throws java.io.IOException {
    try (java.io.InputStream in = ApiVerticle.class.getClassLoader().getResourceAsStream(path)) {
      if (in == null) throw new java.io.FileNotFoundException("class path resource " + path);
      return io.vertx.core.buffer.Buffer.buffer(in.readAllBytes());
    }
  }

  @Override
  public Future<?> stop() {
    Future<Void> closed = server == null ? Future.succeededFuture() : server.close();
    return closed.andThen(ar -> {
      if (geocoding != null) geocoding.release(vertx);
    });
  }
}
