package io.codex.security;

import io.codex.api.ApiRoutes;
import io.codex.api.Json;
import io.codex.api.Problem;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import io.codex.bridge.SharedProducer;
import java.time.Instant;
import java.time.temporal.ChronoUnit;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * The device registry API (admin only): create a device and show its secret once, list, show,
 * revoke. Writes go to the compacted topic {@code codex.devices}; the answer comes after Kafka's
 * ack, and the change is applied to this node's replica at once (other nodes see it through the
 * topic).
 */
public final class DeviceRoutes {
  public static final Pattern DEVICE_ID = Pattern.compile("[A-Za-z0-9._:-]{1,128}");
  private static final int MAX_GATEWAY_DEVICES = 10_000;

  private final Vertx vertx;
  private final DeviceRegistry registry;
  private final SharedProducer producer;
  private final AuditLog audit;
  private final String topic;

  public DeviceRoutes(Vertx vertx, DeviceRegistry registry, SharedProducer producer,
      KafkaSettings kafka, AuditLog audit) {
    this.vertx = vertx;
    this.registry = registry;
    this.producer = producer;
    this.audit = audit;
    this.topic = kafka.topic(Topic.DEVICES);
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.POST, "/api/v1/devices", Access.ADMIN, 1 << 20, this::create);
    routes.add(HttpMethod.GET, "/api/v1/devices", Access.ADMIN, this::list);
    routes.add(HttpMethod.GET, "/api/v1/devices/{deviceId}", Access.ADMIN, this::show);
    routes.add(HttpMethod.DELETE, "/api/v1/devices/{deviceId}", Access.ADMIN, this::revoke);
  }

  private void create(RoutingContext ctx) {
    JsonObject body = Json.bodyObject(ctx);
    Problem invalid = Problem.badRequest("The device is not valid.");
    Object id = body.getValue("deviceId");
    if (!(id instanceof String s) || !DEVICE_ID.matcher(s).matches()) {
      invalid.withError("deviceId", "is required: 1-128 characters of A-Z a-z 0-9 . _ : -");
    }
    Object name = body.getValue("name");
    if (name != null && (!(name instanceof String n) || n.length() > 200)) {
      invalid.withError("name", "must be a string of at most 200 characters");
    }
    Object gw = body.getValue("gateway");
    if (gw != null && !(gw instanceof Boolean)) invalid.withError("gateway", "must be true or false");
    boolean gateway = Boolean.TRUE.equals(gw);
    List<String> devices = new ArrayList<>();
    Object ds = body.getValue("devices");
    if (ds != null) {
      if (!(ds instanceof JsonArray arr)) {
        invalid.withError("devices", "must be an array of device ids");
      } else if (!gateway) {
        invalid.withError("devices", "only a gateway (gateway: true) lists devices");
      } else if (arr.size() > MAX_GATEWAY_DEVICES) {
        invalid.withError("devices", "at most " + MAX_GATEWAY_DEVICES + " devices per gateway");
      } else {
        for (int i = 0; i < arr.size(); i++) {
          if (arr.getValue(i) instanceof String d && DEVICE_ID.matcher(d).matches()) {
            devices.add(d);
          } else {
            invalid.withError("devices/" + i, "must be a device id (1-128 characters of A-Z a-z 0-9 . _ : -)");
          }
        }
      }
    }
    if (invalid.hasErrors()) throw invalid;
    String deviceId = (String) id;
    if (registry.find(deviceId).isPresent()) {
      throw Problem.conflict("Device " + deviceId + " exists; revoke it first to issue a new secret.")
          .withError("deviceId", "already registered");
    }
    String secret = SecretHasher.newSecret();
    DeviceEntry entry = new DeviceEntry(deviceId, (String) name, gateway, devices, SecretHasher.hash(secret),
        Instant.now().truncatedTo(ChronoUnit.MILLIS).toString());
    String actor = Authenticator.caller(ctx).subject();
    producer.send(vertx, topic, deviceId, entry.toStored().encode())
        .compose(meta -> {
          DeviceRegistryVerticle.apply(vertx, registry, deviceId, entry, meta.offset());
          return audit.record(actor, "device.create", deviceId, "ok", null);
        })
        .onSuccess(v -> {
          ctx.response().putHeader("Location", "/api/v1/devices/" + deviceId);
          Json.send(ctx, 201, entry.toPublic().put("secret", secret));
        })
        .onFailure(t -> ctx.fail(Problem.unavailable("The registry could not be written (Kafka): " + t.getMessage(), 2)));
  }

  private void list(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    registry.list().forEach(e -> out.add(e.toPublic()));
    Json.send(ctx, 200, new JsonObject().put("devices", out).put("count", out.size()));
  }

  private void show(RoutingContext ctx) {
    String id = ctx.pathParam("deviceId");
    DeviceEntry e = registry.find(id).orElseThrow(() -> Problem.notFound("No device " + id + "."));
    Json.send(ctx, 200, e.toPublic());
  }

  private void revoke(RoutingContext ctx) {
    String id = ctx.pathParam("deviceId");
    if (registry.find(id).isEmpty()) throw Problem.notFound("No device " + id + ".");
    String actor = Authenticator.caller(ctx).subject();
    producer.send(vertx, topic, id, null)
        .compose(meta -> {
          DeviceRegistryVerticle.apply(vertx, registry, id, null, meta.offset());
          return audit.record(actor, "device.revoke", id, "ok", null);
        })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(t -> ctx.fail(Problem.unavailable("The registry could not be written (Kafka): " + t.getMessage(), 2)));
  }
}
