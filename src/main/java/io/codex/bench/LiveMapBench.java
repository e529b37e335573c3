package io.codex.bench;

import io.codex.launcher.AuthBootstrap;
import io.codex.launcher.ConfigLoader;
import io.codex.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.ClientWebSocket;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.WebSocketClient;
import io.vertx.core.http.WebSocketClientOptions;
import io.vertx.core.http.WebSocketConnectOptions;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.client.WebClient;
import io.vertx.ext.web.client.WebClientOptions;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * {@code codex bench livemap}: a Codex node in embedded mode (its own process) with K WebSocket
 * clients subscribed world-wide while devices report N updates/s through HTTP ingest (100
 * records per request, admin token). Prints delivered messages/s and features/s, ingest→client
 * latency (the record's {@code receivedAt} against the arrival of the message that carried it,
 * sampled on a few clients), and the server's RSS. With {@code --stalled S}, S more clients
 * subscribe and never read (each one the server drops is replaced), and {@code --soak} keeps it
 * all running while sampling the server's RSS.
 */
public final class LiveMapBench {
  private static final double[][] CITIES = {
      {48.8566, 2.3522}, {51.5074, -0.1278}, {52.5200, 13.4050}, {40.7128, -74.0060}, {37.7749, -122.4194},
      {35.6762, 139.6503}, {-23.5505, -46.6333}, {-33.8688, 151.2093}, {19.4326, -99.1332}, {28.6139, 77.2090},
      {1.3521, 103.8198}, {55.7558, 37.6173}, {30.0444, 31.2357}, {-1.2921, 36.8219}, {43.6532, -79.3832}};
  private static final int MEASURING_CLIENTS = 4;
  private static final byte[] FEATURE = "{\"type\":\"Feature\"".getBytes(StandardCharsets.UTF_8);
  private static final Pattern TOO_SLOW = Pattern.compile("codex_livemap_disconnects_total\\{[^}]*reason=\"too_slow\"[^}]*} ([0-9.E]+)");

  private final int clients;
  private final int devices;
  private final int rate;
  private final int stalled;
  private final double seconds;
  private final double warmUp;
  private final Duration soak;

  private final AtomicLong messages = new AtomicLong();
  private final AtomicLong features = new AtomicLong();
  private final AtomicLong sent = new AtomicLong();
  private final AtomicLong acked = new AtomicLong();
  private final AtomicLong ingestErrors = new AtomicLong();
  private final AtomicLong skippedBatches = new AtomicLong();
  private final AtomicInteger inflight = new AtomicInteger();
  private final AtomicInteger connected = new AtomicInteger();
  private final AtomicInteger closedByServer = new AtomicInteger();
  private volatile Latencies latencies = new Latencies();
  /** Stalled clients, oldest first: a paused socket does not even see its close, so drops are read from the server. */
  private final java.util.concurrent.ConcurrentLinkedDeque<io.vertx.core.http.WebSocket> stalledSockets =
      new java.util.concurrent.ConcurrentLinkedDeque<>();
  private long tooSlowSeen;

  public LiveMapBench(int clients, int devices, int rate, int stalled, double seconds, double warmUp, Duration soak) {
    this.clients = clients;
    this.devices = devices;
    this.rate = rate;
    this.stalled = stalled;
    this.seconds = seconds;
    this.warmUp = warmUp;
    this.soak = soak;
  }

  public int run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try (BenchServer server = BenchServer.start(Map.of())) {
      JsonObject cfg = ConfigLoader.load(null, Map.of(), new Properties(), Map.of("dataDir", server.dataDir.toString())).config();
      String admin = AuthBootstrap.localToken(vertx, cfg, Role.ADMIN, Duration.ofHours(2));
      String viewer = AuthBootstrap.localToken(vertx, cfg, Role.VIEWER, Duration.ofHours(2));
      System.out.printf("bench livemap: server rss %d MB at idle; %d clients world-wide, %d devices, %,d updates/s in, %d stalled clients%n",
          server.rssMb(), clients, devices, rate, stalled);

      WebSocketClient ws = vertx.createWebSocketClient(new WebSocketClientOptions()
          .setMaxConnections(clients + stalled * 4 + 8).setMaxMessageSize(256 << 20));
      for (int i = 0; i < clients; i++) connect(ws, server.httpPort, viewer, i < MEASURING_CLIENTS, false);
      for (int i = 0; i < stalled; i++) connect(ws, server.httpPort, viewer, false, true);
      if (stalled > 0) {
        WebClient metrics = WebClient.create(vertx);
        vertx.setPeriodic(1_000, id -> metrics.get(server.httpPort, "127.0.0.1", "/metrics").send().onSuccess(r -> {
          Matcher m = TOO_SLOW.matcher(r.bodyAsString());
          long dropped = m.find() ? (long) Double.parseDouble(m.group(1)) : 0;
          for (; tooSlowSeen < dropped; tooSlowSeen++) {
            io.vertx.core.http.WebSocket old = stalledSockets.pollFirst();
            if (old != null) old.close();
            closedByServer.incrementAndGet();
            connect(ws, server.httpPort, viewer, false, true);   // keep the stalled population up
          }
        }));
      }
      long t0 = System.nanoTime();
      while (connected.get() < clients + stalled && System.nanoTime() - t0 < 30_000_000_000L) Thread.sleep(50);
      if (connected.get() < clients + stalled) throw new IllegalStateException("only " + connected.get() + " clients connected");

      WebClient http = WebClient.create(vertx, new WebClientOptions().setDefaultHost("127.0.0.1").setDefaultPort(server.httpPort),
          new io.vertx.core.http.PoolOptions().setHttp1MaxSize(16));
      Fleet fleet = new Fleet(devices);
      int perTick = Math.max(1, rate / 50);
      long[] credit = {0};
      long start = System.nanoTime();
      long timer = vertx.setPeriodic(20, id -> {
        long due = (long) ((System.nanoTime() - start) / 1e9 * rate);
        while (credit[0] + perTick <= due) {
          credit[0] += perTick;
          if (inflight.get() >= 32) {
            skippedBatches.incrementAndGet();
            continue;
          }
          send(http, admin, fleet.batch(Math.min(100, perTick)));
          for (int left = perTick - 100; left > 0; left -= 100) send(http, admin, fleet.batch(Math.min(100, left)));
        }
      });

      Thread.sleep((long) (warmUp * 1000));
      Window w = measure(seconds);
      String line = String.format("livemap  clients=%d devices=%d in=%,.0f/s  delivered msgs/s=%,.0f features/s=%,.0f (%,.0f per client)"
              + "  ingest->client p50=%.0fms p99=%.0fms  server-rss=%dMB%s",
          clients, devices, w.in, w.messages, w.features, w.features / Math.max(1, clients), w.p50, w.p99, server.rssMb(),
          skippedBatches.get() > 0 ? "  (load generator fell behind " + skippedBatches.get() + " batches)" : "");
      System.out.println(line);
      List<String> out = new ArrayList<>(List.of(line));
      if (soak != null) out.add(soak(server));
      vertx.cancelTimer(timer);
      if (ingestErrors.get() > 0) out.add("ingest errors: " + ingestErrors.get());
      out.add(String.format("targets: 5,000 updates/s in, 100 clients, p99 < 300 ms, RSS flat with 10 stalled clients%s",
          stalled > 0 ? String.format("; stalled clients dropped as too slow: %d (server: %s)", closedByServer.get(), tooSlow(server)) : ""));
      out.forEach(System.out::println);
      return 0;
    } finally {
      vertx.close();
    }
  }

  private record Window(double in, double messages, double features, double p50, double p99) {}

  private Window measure(double secs) throws InterruptedException {
    latencies = new Latencies();
    long m0 = messages.get();
    long f0 = features.get();
    long a0 = acked.get();
    long t0 = System.nanoTime();
    Thread.sleep((long) (secs * 1000));
    double dt = (System.nanoTime() - t0) / 1e9;
    Latencies l = latencies;
    return new Window((acked.get() - a0) / dt, (messages.get() - m0) / dt, (features.get() - f0) / dt,
        l.percentileMs(50), l.percentileMs(99));
  }

  private String soak(BenchServer server) throws InterruptedException {
    long min = Long.MAX_VALUE;
    long max = 0;
    long first = -1;
    long last = 0;
    long t0 = System.nanoTime();
    Window worst = null;
    long liveMin = Long.MAX_VALUE;   // the old generation (either collector's): where a leak would pile up
    long liveMax = 0;
    while ((System.nanoTime() - t0) / 1e9 < soak.toSeconds()) {
      Window w = measure(10);
      if (worst == null || w.p99 > worst.p99) worst = w;
      last = server.rssMb();
      if (first < 0) first = last;
      min = Math.min(min, last);
      max = Math.max(max, last);
      String metrics = metrics(server);
      long live = metric(metrics, "jvm_memory_used_bytes\\{[^}]*id=\"(?:G1 Old Gen|PS Old Gen|Tenured Gen)\"[^}]*}") >> 20;
      long direct = metric(metrics, "jvm_buffer_memory_used_bytes\\{[^}]*id=\"direct\"[^}]*}") >> 20;
      liveMin = Math.min(liveMin, live);
      liveMax = Math.max(liveMax, live);
      System.out.printf("  soak %4.0fs  in=%,.0f/s features/s=%,.0f p99=%.0fms server-rss=%dMB old-gen=%dMB direct=%dMB stalled-dropped=%d%n",
          (System.nanoTime() - t0) / 1e9, w.in, w.features, w.p99, last, live, direct, closedByServer.get());
    }
    return String.format("soak     %ds with %d stalled clients  server-rss first=%dMB min=%dMB max=%dMB last=%dMB  "
            + "old gen min=%dMB max=%dMB  worst 10 s p99=%.0fms",
        soak.toSeconds(), stalled, first, min, max, last, liveMin, liveMax, worst == null ? 0 : worst.p99);
  }

  private void connect(WebSocketClient client, int port, String token, boolean measuring, boolean stall) {
    ClientWebSocket ws = client.webSocket();
    Buffer[] message = {measuring ? Buffer.buffer() : null};
    int[] featuresInMessage = {0};
    ws.frameHandler(frame -> {
      if (stall || (!frame.isText() && !frame.isContinuation())) return;
      Buffer data = frame.binaryData();
      featuresInMessage[0] += count(data);
      if (message[0] != null) message[0].appendBuffer(data);
      if (frame.isFinal()) {
        messages.incrementAndGet();
        features.addAndGet(featuresInMessage[0]);
        featuresInMessage[0] = 0;
        if (message[0] != null) {
          sample(message[0].toString(StandardCharsets.UTF_8), System.currentTimeMillis());
          message[0] = Buffer.buffer();
        }
      }
    });
    ws.closeHandler(v -> connected.decrementAndGet());
    ws.connect(new WebSocketConnectOptions().setHost("127.0.0.1").setPort(port).setURI("/ws/live?token=" + token))
        .onSuccess(s -> {
          connected.incrementAndGet();
          s.writeTextMessage("{\"type\":\"subscribe\"}");
          if (stall) {
            s.pause();
            stalledSockets.addLast(s);
          }
        })
        .onFailure(t -> System.err.println("bench livemap: a client did not connect: " + t.getMessage()));
  }

  private static int count(Buffer b) {
    int n = 0;
    int len = b.length();
    outer:
    for (int i = 0; i + FEATURE.length <= len; i++) {
      for (int j = 0; j < FEATURE.length; j++) {
        if (b.getByte(i + j) != FEATURE[j]) continue outer;
      }
      n++;
      i += FEATURE.length - 1;
    }
    return n;
  }

  private void sample(String message, long arrivedMs) {
    if (message.contains("\"snapshot\":true")) return;
    Latencies l = latencies;
    for (int at = message.indexOf("\"receivedAt\":\""); at >= 0; at = message.indexOf("\"receivedAt\":\"", at + 1)) {
      int from = at + 14;
      int to = message.indexOf('"', from);
      try {
        l.add((arrivedMs - Instant.parse(message.substring(from, to)).toEpochMilli()) * 1_000_000);
      } catch (RuntimeException ignored) {
        // not a timestamp
      }
    }
  }

  private void send(WebClient http, String admin, Buffer body) {
    inflight.incrementAndGet();
    http.request(HttpMethod.POST, "/api/v1/telemetry").putHeader("Authorization", "Bearer " + admin)
        .putHeader("Content-Type", "application/json").sendBuffer(body)
        .onComplete(ar -> {
          inflight.decrementAndGet();
          if (ar.succeeded() && ar.result().statusCode() == 202) {
            acked.addAndGet(ar.result().bodyAsJsonObject().getInteger("accepted", 0));
          } else {
            ingestErrors.incrementAndGet();
          }
        });
  }

  private String tooSlow(BenchServer server) {
    return String.valueOf(metric(metrics(server), "codex_livemap_disconnects_total\\{[^}]*reason=\"too_slow\"[^}]*}"));
  }

  private static String metrics(BenchServer server) {
    try {
      return HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).connectTimeout(Duration.ofSeconds(5)).build()
          .send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort + "/metrics")).timeout(Duration.ofSeconds(5))
          .build(), HttpResponse.BodyHandlers.ofString()).body();
    } catch (Exception e) {
      return "";
    }
  }

  /** A Prometheus sample's value (the first series whose name and labels match), -1 when absent. */
  private static long metric(String body, String series) {
    Matcher m = Pattern.compile("(?m)^" + series + "(?:\\{[^}]*})? ([0-9.E+-]+)$").matcher(body);
    return m.find() ? (long) Double.parseDouble(m.group(1)) : -1;
  }

  /** Devices wandering around world cities; each batch moves the next devices in turn. */
  private final class Fleet {
    final double[][] pos;
    final Random random = new Random(7);
    int next;

    Fleet(int n) {
      pos = new double[n][];
      for (int i = 0; i < n; i++) {
        double[] c = CITIES[i % CITIES.length];
        pos[i] = new double[] {c[0] + (random.nextDouble() - 0.5) * 0.3, c[1] + (random.nextDouble() - 0.5) * 0.4};
      }
    }

    Buffer batch(int n) {
      StringBuilder b = new StringBuilder(n * 220).append('[');
      String now = Instant.now().toString();
      for (int k = 0; k < n; k++) {
        int i = next;
        next = (next + 1) % pos.length;
        pos[i][0] += (random.nextDouble() - 0.5) * 0.001;
        pos[i][1] += (random.nextDouble() - 0.5) * 0.001;
        sent.incrementAndGet();
        if (k > 0) b.append(',');
        b.append("{\"deviceId\":\"lm-").append(i).append("\",\"timestamp\":\"").append(now)
            .append("\",\"sensorType\":\"gps\",\"payload\":{\"speed\":").append(random.nextInt(40))
            .append(",\"heading\":").append(random.nextInt(360)).append(",\"battery\":87},\"location\":{\"lat\":")
            .append(pos[i][0]).append(",\"lon\":").append(pos[i][1]).append("}}");
      }
      return Buffer.buffer(b.append(']').toString());
    }
  }
}
