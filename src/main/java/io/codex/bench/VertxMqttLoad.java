package io.codex.bench;

import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.mqtt.MqttClient;
import io.vertx.mqtt.MqttClientOptions;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicLong;

/**
 * The same MQTT QoS 1 load as {@link MqttLoad}, made with vertx-mqtt's client (a future, a map
 * entry and a flush per message): a general-purpose client as the second generator, since the
 * generator shares the two cores with the broker under test and its own cost shapes the result.
 */
final class VertxMqttLoad implements MqttGenerator {
  private final Vertx vertx;

  VertxMqttLoad(Vertx vertx) {
    this.vertx = vertx;
  }

  @Override
  public LoadResult run(String name, String host, int port, int window, double seconds, List<String[]> users, String payload) throws Exception {
    Latencies lat = new Latencies();
    AtomicLong acked = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    List<MqttClient> clients = new ArrayList<>();
    List<Future<?>> connected = new ArrayList<>();
    for (String[] u : users) {
      MqttClientOptions o = new MqttClientOptions().setClientId("bench-" + u[2].replace('/', '-') + "-" + System.nanoTime())
          .setMaxInflightQueue(window).setAutoKeepAlive(true).setAckTimeout(30);
      if (u[0] != null) o.setUsername(u[0]).setPassword(u[1]);
      MqttClient c = MqttClient.create(vertx, o);
      clients.add(c);
      connected.add(c.connect(port, host));
    }
    Future.all(connected).toCompletionStage().toCompletableFuture().get(30, TimeUnit.SECONDS);
    Buffer body = Buffer.buffer(payload);
    long end = System.nanoTime() + (long) (seconds * 1e9);
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicLong running = new AtomicLong(clients.size());
    long t0 = System.nanoTime();
    for (int i = 0; i < clients.size(); i++) {
      MqttClient c = clients.get(i);
      String topic = users.get(i)[2];
      Map<Integer, Long> sentAt = new ConcurrentHashMap<>();
      AtomicLong outstanding = new AtomicLong();
      Runnable[] pump = new Runnable[1];
      pump[0] = () -> {
        while (System.nanoTime() < end && outstanding.get() < window) {
          outstanding.incrementAndGet();
          long start = System.nanoTime();
          c.publish(topic, body, MqttQoS.AT_LEAST_ONCE, false, false)
              .onSuccess(id -> sentAt.put(id, start))
              .onFailure(t -> {
                errors.incrementAndGet();
                outstanding.decrementAndGet();
              });
        }
        if (System.nanoTime() >= end && outstanding.get() == 0 && sentAt.isEmpty()) {
          if (running.decrementAndGet() == 0) done.complete(null);
          outstanding.set(Long.MIN_VALUE / 2); // finished: never count down again
        }
      };
      c.publishCompletionHandler(id -> {
        Long start = sentAt.remove(id);
        if (start != null) lat.add(System.nanoTime() - start);
        acked.incrementAndGet();
        outstanding.decrementAndGet();
        pump[0].run();
      });
      c.publishCompletionExpirationHandler(id -> {
        sentAt.remove(id);
        errors.incrementAndGet();
        outstanding.decrementAndGet();
        pump[0].run();
      });
      vertx.runOnContext(v -> pump[0].run());
    }
    done.orTimeout((long) seconds + 60, TimeUnit.SECONDS).exceptionally(t -> null).join();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    for (MqttClient c : clients) {
      if (c.isConnected()) c.disconnect();
    }
    return new LoadResult(name, "c=" + users.size() + " window=" + window, acked.get(), errors.get(), elapsed, lat);
  }
}
