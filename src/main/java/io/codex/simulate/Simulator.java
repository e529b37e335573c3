package io.codex.simulate;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.net.URI;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Random;
import java.util.concurrent.atomic.AtomicLong;

/**
 * A fleet of simulated devices driving along routes and reporting their position over MQTT (QoS 1)
 * or HTTP at a target rate for the whole fleet. It registers its devices through the API first
 * (re-creating those of its own prefix to learn their secrets). Every count is what the platform
 * acknowledged, not what was merely sent.
 */
public final class Simulator {
  public enum Protocol { MQTT, HTTP }

  public record Settings(int devices, double rate, Protocol protocol, String apiUrl, String mqttUrl, String adminToken,
      String prefix) {}

  private final Vertx vertx;
  private final Settings s;
  private final WebClient web;
  private final List<Device> fleet = new ArrayList<>();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong errors = new AtomicLong();
  private long timer = -1;
  private long lastTick;
  private double credit;
  private int next;

  private final class Device {
    final String id;
    final String secret;
    final Route route;
    MqttClient mqtt;

    Device(String id, String secret, Route route) {
      this.id = id;
      this.secret = secret;
      this.route = route;
    }
  }

  public Simulator(Vertx vertx, Settings settings) {
    this.vertx = vertx;
    this.s = settings;
    URI api = URI.create(settings.apiUrl());
    this.web = WebClient.create(vertx, new WebClientOptions().setDefaultHost(api.getHost())
        .setDefaultPort(api.getPort() > 0 ? api.getPort() : 80).setKeepAlive(true),
        new io.vertx.core.http.PoolOptions().setHttp1MaxSize(32));
  }

  public long sent() {
    return sent.get();
  }

  public long acked() {
    return acked.get();
  }

  public long errors() {
    return errors.get();
  }

  /** Registers the fleet, connects it and starts reporting. */
  public Future<Void> start() {
    Random random = new Random(42);
    List<Future<Device>> provisioned = new ArrayList<>();
    for (int i = 0; i < s.devices(); i++) {
      String id = String.format("%s%04d", s.prefix(), i + 1);
      Route route = new Route(random);
      provisioned.add(provision(id).map(secret -> new Device(id, secret, route)));
    }
    return Future.all(provisioned).compose(all -> {
      for (int i = 0; i < all.size(); i++) fleet.add(all.resultAt(i));
      if (s.protocol() == Protocol.HTTP) return Future.succeededFuture();
      List<Future<?>> connected = new ArrayList<>();
      for (Device d : fleet) connected.add(connectMqtt(d));
      return Future.all(connected).mapEmpty();
    }).onSuccess(v -> {
      lastTick = System.nanoTime();
      timer = vertx.setPeriodic(20, id -> tick());
    }).mapEmpty();
  }

  private Future<String> provision(String id) {
    String auth = "Bearer " + s.adminToken();
    return web.request(HttpMethod.DELETE, "/api/v1/devices/" + id).putHeader("Authorization", auth).send()
        .compose(gone -> web.request(HttpMethod.POST, "/api/v1/devices").putHeader("Authorization", auth)
            .sendJsonObject(new JsonObject().put("deviceId", id).put("name", "Simulated " + id)))
        .compose(r -> r.statusCode() == 201 ? Future.succeededFuture(r.bodyAsJsonObject().getString("secret"))
            : Future.failedFuture("registering " + id + " failed: HTTP " + r.statusCode() + " " + r.bodyAsString()));
  }

  private Future<?> connectMqtt(Device d) {
    URI uri = URI.create(s.mqttUrl());
    MqttClient c = MqttClient.create(vertx, new MqttClientOptions().setClientId(d.id).setUsername(d.id)
        .setPassword(d.secret).setMaxInflightQueue(100).setAutoKeepAlive(true).setKeepAliveInterval(30));
    c.publishCompletionHandler(id -> acked.incrementAndGet());
    c.publishCompletionExpirationHandler(id -> errors.incrementAndGet());
    c.exceptionHandler(t -> errors.incrementAndGet());
    d.mqtt = c;
    return c.connect(uri.getPort() > 0 ? uri.getPort() : 1883, uri.getHost());
  }

  /** Spends the rate's credit round-robin over the fleet, so each device reports in turn. */
  private void tick() {
    long now = System.nanoTime();
    credit += s.rate() * (now - lastTick) / 1e9;
    double elapsedPerDevice = s.devices() / Math.max(s.rate(), 0.001);
    lastTick = now;
    while (credit >= 1 && !fleet.isEmpty()) {
      credit -= 1;
      Device d = fleet.get(next);
      next = (next + 1) % fleet.size();
      report(d, d.route.advance(elapsedPerDevice));
    }
  }

  private void report(Device d, double[] p) {
    JsonObject rec = new JsonObject().put("deviceId", d.id).put("timestamp", Instant.now().toString())
        .put("sensorType", "gps")
        .put("payload", new JsonObject().put("speed", Math.round(p[3] * 10) / 10.0).put("heading", Math.round(p[2])))
        .put("location", new JsonObject().put("lat", p[0]).put("lon", p[1]));
    sent.incrementAndGet();
    if (s.protocol() == Protocol.MQTT) {
      if (d.mqtt == null || !d.mqtt.isConnected()) {
        errors.incrementAndGet();
        return;
      }
      d.mqtt.publish("telemetry/" + d.id, rec.toBuffer(), MqttQoS.AT_LEAST_ONCE, false, false)
          .onFailure(t -> errors.incrementAndGet());
    } else {
      web.request(HttpMethod.POST, "/api/v1/telemetry").basicAuthentication(d.id, d.secret)
          .putHeader("Content-Type", "application/json").sendBuffer(Buffer.buffer(rec.encode()))
          .onComplete(ar -> {
            if (ar.succeeded() && ar.result().statusCode() == 202) {
              acked.incrementAndGet();
            } else {
              errors.incrementAndGet();
            }
          });
    }
  }

  /** How long {@link #stop} waits for the answers to what was already sent. */
  static final long DRAIN_MS = 5_000;

  /**
   * Stops sending, waits up to {@link #DRAIN_MS} until every record sent is acknowledged or
   * failed (so the final counts add up), then disconnects.
   */
  public Future<Void> stop() {
    if (timer >= 0) vertx.cancelTimer(timer);
    timer = -1;
    io.vertx.core.Promise<Void> drained = io.vertx.core.Promise.promise();
    long deadline = System.nanoTime() + DRAIN_MS * 1_000_000;
    vertx.setPeriodic(20, id -> {
      if (acked.get() + errors.get() >= sent.get() || System.nanoTime() > deadline) {
        vertx.cancelTimer(id);
        drained.complete();
      }
    });
    return drained.future().compose(v -> disconnect());
  }

  private Future<Void> disconnect() {
    List<Future<?>> closing = new ArrayList<>();
    for (Device d : fleet) {
      if (d.mqtt != null && d.mqtt.isConnected()) closing.add(d.mqtt.disconnect());
    }
    return Future.join(closing).onComplete(ar -> web.close()).mapEmpty();
  }
}
