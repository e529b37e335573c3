package io.codex.geo.fence;

import io.codex.api.ApiRoutes;
import io.codex.api.Json;
import io.codex.api.Problem;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.SharedProducer;
import io.codex.bridge.Topic;
import io.codex.security.Access;
import io.codex.security.AuditLog;
import io.codex.security.Authenticator;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.UUID;

/**
 * The geofence API: create (admin), list and show (viewer, analyst, admin), delete (admin). Writes
 * go to the compacted topic {@code codex.geofences} (keyed by id); the answer comes after Kafka's
 * ack, and the change is applied to this node's registry at once (other nodes see it through the
 * topic within milliseconds). Every write is audited to {@code codex.audit}.
 */
public final class GeofenceRoutes {
  private final Vertx vertx;
  private final GeofenceConfig cfg;
  private final GeofenceValidator validator;
  private final GeofenceRegistry registry;
  private final SharedProducer producer;
  private final AuditLog audit;
  private final String topic;

  public GeofenceRoutes(Vertx vertx, GeofenceConfig cfg, SharedProducer producer, KafkaSettings kafka, AuditLog audit) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.validator = new GeofenceValidator(cfg);
    this.registry = GeofenceRegistry.shared(vertx);
    this.producer = producer;
    this.audit = audit;
    this.topic = kafka.topic(Topic.GEOFENCES);
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.POST, "/api/v1/geofences", Access.ADMIN, cfg.maxBodyBytes(), this::create);
    routes.add(HttpMethod.GET, "/api/v1/geofences", Access.VIEWER, this::list);
    routes.add(HttpMethod.GET, "/api/v1/geofences/{geofenceId}", Access.VIEWER, this::show);
    routes.add(HttpMethod.DELETE, "/api/v1/geofences/{geofenceId}", Access.ADMIN, this::delete);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Json.bodyObject(ctx);
    String actor = Authenticator.caller(ctx).subject();
    Geofence fence = validator.parse(body, UUID.randomUUID().toString(), actor,
        Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    if (registry.find(fence.id()).isPresent()) {
      throw Problem.conflict("Geofence " + fence.id() + " exists; delete it first to replace it.")
          .withError("id", "already used by a geofence");
    }
    if (registry.size() >= cfg.maxFences()) {
      throw Problem.conflict("Codex holds its maximum of " + cfg.maxFences() + " geofences (geofences.maxFences); delete some first.");
    }
    long[] version = {-1};
    producer.send(vertx, topic, fence.id(), fence.toStored().encode())
        .compose(meta -> {
          version[0] = meta.offset();
          registry.apply(fence.id(), fence, meta.offset());
          return audit.record(actor, "geofence.create", fence.id(), "ok",
              new JsonObject().put("name", fence.name()).put("shape", fence.shape()).put("version", meta.offset()));
        })
        .onSuccess(v -> {
          ctx.response().putHeader("Location", "/api/v1/geofences/" + fence.id());
          Json.send(ctx, 201, fence.toFeature(version[0]));
        })
        .onFailure(t -> ctx.fail(Problem.unavailable("The geofence could not be written (Kafka): " + t.getMessage(), 2)));
  }

  private void list(RoutingContext ctx) {
    JsonArray features = new JsonArray();
    registry.list().forEach(e -> features.add(e.fence.toFeature(e.version)));
    Json.send(ctx, 200, new JsonObject().put("type", "FeatureCollection").put("features", features).put("count", features.size()));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("geofenceId");
    GeofenceIndex.Entry e = registry.find(id).orElseThrow(() -> Problem.notFound("No geofence " + id + "."));
    Json.send(ctx, 200, e.fence.toFeature(e.version));
  }

  private void delete(RoutingContext ctx) {
    String id = ctx.pathParam("geofenceId");
    if (registry.find(id).isEmpty()) throw Problem.notFound("No geofence " + id + ".");
    String actor = Authenticator.caller(ctx).subject();
    producer.send(vertx, topic, id, null)
        .compose(meta -> {
          registry.apply(id, null, meta.offset());
          return audit.record(actor, "geofence.delete", id, "ok", null);
        })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(t -> ctx.fail(Problem.unavailable("The geofence could not be deleted (Kafka): " + t.getMessage(), 2)));
  }
}
