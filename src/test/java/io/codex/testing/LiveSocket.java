package io.codex.testing;

import io.vertx.core.Vertx;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.UpgradeRejectedException;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;
import java.util.TreeSet;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.TimeUnit;
import java.util.function.Predicate;

/**
 * A real WebSocket client of {@code /ws/live} (Vert.x's), recording every message it receives
 * with its arrival time, for tests that look at what a map client is sent.
 */
public final class LiveSocket implements AutoCloseable {
  /** One received message and when it arrived (epoch ms). */
  public record Received(JsonObject json, long atMs) {}

  public final List<Received> messages = new CopyOnWriteArrayList<>();
  private final WebSocketClient client;
  private final ClientWebSocket ws;
  private volatile boolean closed;
  private volatile Short closeCode;
  private volatile String closeReason;

  private LiveSocket(WebSocketClient client, ClientWebSocket ws) {
    this.client = client;
    this.ws = ws;
  }

  /** Connects; {@code token} null means no {@code ?token=} (authenticate with {@link #auth}). */
  public static LiveSocket connect(Vertx vertx, TestNode node, String token) {
    return connect(vertx, node, token, new WebSocketClientOptions());
  }

  public static LiveSocket connect(Vertx vertx, TestNode node, String token, WebSocketClientOptions options) {
    WebSocketClient client = vertx.createWebSocketClient(options.setMaxMessageSize(64 << 20));
    ClientWebSocket ws = client.webSocket();
    LiveSocket s = new LiveSocket(client, ws);
    ws.textMessageHandler(t -> s.messages.add(new Received(new JsonObject(t), System.currentTimeMillis())));
    ws.closeHandler(v -> {
      s.closeCode = ws.closeStatusCode();
      s.closeReason = ws.closeReason();
      s.closed = true;
    });
    String uri = "/ws/live" + (token == null ? "" : "?token=" + token);
    try {
      ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort).setURI(uri))
          .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (Exception e) {
      client.close();
      throw new IllegalStateException("connecting to /ws/live failed: " + e.getMessage(), e);
    }
    return s;
  }

  /** The HTTP status that refused the upgrade, or -1 when the upgrade succeeded. */
  public static int rejectedStatus(Vertx vertx, TestNode node, String token) {
    WebSocketClient client = vertx.createWebSocketClient();
    try {
      client.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(node.httpPort)
          .setURI("/ws/live" + (token == null ? "" : "?token=" + token))).toCompletionStage().toCompletableFuture()
          .get(10, TimeUnit.SECONDS).close();
      return -1;
    } catch (java.util.concurrent.ExecutionException e) {
      if (e.getCause() instanceof UpgradeRejectedException r) return r.getStatus();
      throw new IllegalStateException(e.getCause());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    } finally {
      client.close();
    }
  }

  public LiveSocket send(JsonObject message) {
    ws.writeTextMessage(message.encode());
    return this;
  }

  public LiveSocket auth(String token) {
    return send(new JsonObject().put("type", "auth").put("token", token));
  }

  /** Subscribes; {@code bbox} null means the whole world. */
  public LiveSocket subscribe(double[] bbox, List<String> deviceIds) {
    JsonObject m = new JsonObject().put("type", "subscribe");
    if (bbox != null) m.put("bbox", new JsonArray().add(bbox[0]).add(bbox[1]).add(bbox[2]).add(bbox[3]));
    if (deviceIds != null) m.put("deviceIds", new JsonArray(deviceIds));
    return send(m);
  }

  /** Stops reading from the socket, as a stalled browser tab would. */
  public void pause() {
    ws.pause();
  }

  public void resume() {
    ws.resume();
  }

  public JsonObject await(String what, Duration timeout, Predicate<JsonObject> p) throws InterruptedException {
    return awaitAfter(0, what, timeout, p);
  }

  /** The first message from the {@code from}-th on (0-based) that matches. */
  public JsonObject awaitAfter(int from, String what, Duration timeout, Predicate<JsonObject> p) throws InterruptedException {
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      List<Received> seen = new ArrayList<>(messages);
      for (int i = from; i < seen.size(); i++) {
        if (p.test(seen.get(i).json())) return seen.get(i).json();
      }
      from = seen.size();
      Thread.sleep(10);
    }
    throw new AssertionError("no message within " + timeout.toMillis() + " ms: " + what + "; got " + types());
  }

  /** Every position feature received, oldest first. */
  public List<JsonObject> features() {
    List<JsonObject> out = new ArrayList<>();
    for (Received r : messages) {
      if ("positions".equals(r.json().getString("type"))) {
        r.json().getJsonArray("features").forEach(f -> out.add((JsonObject) f));
      }
    }
    return out;
  }

  public Set<String> deviceIds() {
    Set<String> ids = new TreeSet<>();
    features().forEach(f -> ids.add(f.getJsonObject("properties").getString("deviceId")));
    return ids;
  }

  /** Ingest-to-arrival latency of each feature received since {@code sinceMs}, in ms. */
  public List<Long> latenciesSince(long sinceMs) {
    List<Long> out = new ArrayList<>();
    for (Received r : messages) {
      if (r.atMs() < sinceMs || !"positions".equals(r.json().getString("type")) || r.json().getBoolean("snapshot", false)) continue;
      for (Object f : r.json().getJsonArray("features")) {
        String at = ((JsonObject) f).getJsonObject("properties").getString("receivedAt");
        out.add(r.atMs() - Instant.parse(at).toEpochMilli());
      }
    }
    return out;
  }

  public List<String> types() {
    List<String> t = new ArrayList<>();
    messages.forEach(m -> t.add(m.json().getString("type")));
    return t;
  }

  public boolean closed() {
    return closed;
  }

  public Short closeCode() {
    return closeCode;
  }

  public String closeReason() {
    return closeReason;
  }

  @Override
  public void close() {
    if (!closed) ws.close();
    client.close();
  }
}
