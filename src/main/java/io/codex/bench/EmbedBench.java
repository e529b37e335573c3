package io.codex.bench;

import io.codex.embed.EmbedConfig;
import io.codex.embed.Embedder;
import io.codex.launcher.AuthBootstrap;
import io.codex.launcher.ConfigLoader;
import io.codex.security.Caller;
import io.codex.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Consumer;

/**
 * {@code codex bench embed}: Tableau tokens (and Looker URLs) minted in this process by the same
 * code the API runs (allowlist, claim mapping, JWT, snippet), on 1 and 2 threads; then through the
 * HTTP API of a Codex node in its own process (each token audited to Kafka before it is returned),
 * from 64 and 256 keep-alive connections. One result line per scenario.
 */
final class EmbedBench {
  private static final String SECRET_VALUE = "bench-tableau-connected-app-secret-value-000000=";
  private static final String LOOKER_SECRET = "bench-looker-embed-secret-0123456789abcdef0123456789abcdef";

  private final double seconds;
  private final List<String> out = new ArrayList<>();

  EmbedBench(double seconds) {
    this.seconds = seconds;
  }

  int run() throws Exception {
    Embedder embedder = new Embedder(EmbedConfig.from(benchConfig()), Clock.systemUTC());
    Caller caller = new Caller("bench-user", EnumSet.of(Role.VIEWER), null,
        Map.of("sub", "bench-user", "email", "bench@example.com", "region", "EMEA"));
    System.out.printf("bench embed: %.0f s per scenario, %d cores%n", seconds, Runtime.getRuntime().availableProcessors());

    inProcess("warm-up", 2, Math.min(3, seconds), i -> embedder.tableau(caller, "Bench/Overview", null));
    LoadResult one = inProcess("tableau-inproc", 1, seconds, i -> embedder.tableau(caller, "Bench/Overview", null));
    print(one);
    LoadResult two = inProcess("tableau-inproc", 2, seconds, i -> embedder.tableau(caller, "Bench/Overview", null));
    print(two);
    print(inProcess("looker-inproc", 1, seconds, i -> embedder.looker(caller, "/embed/dashboards/1", null)), "urls", "");

    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    LoadResult http;
    double cpuPerToken = -1;
    try (BenchServer server = BenchServer.start(serverEnv())) {
      JsonObject cfg = ConfigLoader.load(null, Map.of(), new Properties(), Map.of("dataDir", server.dataDir.toString())).config();
      String auth = "Bearer " + AuthBootstrap.localToken(vertx, cfg, Role.VIEWER, Duration.ofHours(2));
      System.out.printf("server pid rss %d MB at idle%n", server.rssMb());
      HttpLoad tableau = new HttpLoad(vertx, "127.0.0.1", server.httpPort, "/api/v1/embed/tableau", 200);
      String body = new JsonObject().put("view", "Bench/Overview").encode();
      // long enough for the server's JIT to settle (a fresh JVM compiles for many seconds on 2 busy cores)
      tableau.closedLoop("warm-up", 64, 1, Math.max(30, seconds), i -> new String[] {auth, body});
      long cpu0 = server.cpuMillis();
      http = shaped(tableau.closedLoop("tableau-http", 64, 1, seconds, i -> new String[] {auth, body}), "c=64");
      print(http, "tokens", serverUse(server, cpuPerRequest(server, cpu0, http)));
      // each answer waits for its audit record's Kafka ack (linger + broker): more connections, more in flight
      cpu0 = server.cpuMillis();
      LoadResult wide = shaped(tableau.closedLoop("tableau-http", 256, 1, seconds, i -> new String[] {auth, body}), "c=256");
      cpuPerToken = cpuPerRequest(server, cpu0, wide);
      print(wide, "tokens", serverUse(server, cpuPerToken));
      if (wide.recordsPerSecond() > http.recordsPerSecond()) http = wide;
      HttpLoad looker = new HttpLoad(vertx, "127.0.0.1", server.httpPort, "/api/v1/embed/looker", 200);
      String target = new JsonObject().put("target", "dashboards/1").encode();
      cpu0 = server.cpuMillis();
      LoadResult urls = shaped(looker.closedLoop("looker-http", 64, 1, seconds, i -> new String[] {auth, target}), "c=64");
      print(urls, "urls", serverUse(server, cpuPerRequest(server, cpu0, urls)));
    } finally {
      vertx.close();
    }
    double best = Math.max(one.recordsPerSecond(), two.recordsPerSecond());
    out.add("");
    out.add(String.format("tableau in-process                      = %,.0f tokens/s (target >= 20,000)", best));
    out.add(String.format("tableau through HTTP (audited to Kafka) = %,.0f tokens/s, p99 %.2f ms (target >= 5,000)",
        http.recordsPerSecond(), http.latencies().percentileMs(99)));
    if (cpuPerToken > 0) {
      int cores = Runtime.getRuntime().availableProcessors();
      out.add(String.format("server CPU per HTTP token                = %.0f us (all of it: HTTP, JWT check, minting, audit, "
          + "in-process broker): %,.0f tokens/s if the server had the %d cores to itself", cpuPerToken, cores * 1e6 / cpuPerToken, cores));
    }
    out.forEach(System.out::println);
    return 0;
  }

  private static JsonObject benchConfig() {
    return new JsonObject().put("embed", new JsonObject()
        .put("allowlist", new JsonArray().add("tableau:Bench/*").add("looker:dashboards/*"))
        .put("tableau", new JsonObject().put("clientId", "bench-client").put("secretId", "bench-secret-id")
            .put("secretValue", SECRET_VALUE).put("server", "https://tableau.example.com").put("site", "bench")
            .put("user", "{email}").put("userAttributes", new JsonObject().put("Region", "region")))
        .put("looker", new JsonObject().put("host", "looker.example.com").put("secret", LOOKER_SECRET)
            .put("models", new JsonArray().add("bench")).put("userAttributes", new JsonArray().add("region=region"))));
  }

  private static Map<String, String> serverEnv() {
    return Map.of(
        "CODEX_EMBED_ALLOWLIST", "tableau:Bench/*,looker:dashboards/*",
        "CODEX_EMBED_TABLEAU_CLIENT_ID", "bench-client",
        "CODEX_EMBED_TABLEAU_SECRET_ID", "bench-secret-id",
        "CODEX_EMBED_TABLEAU_SECRET_VALUE", SECRET_VALUE,
        "CODEX_EMBED_TABLEAU_SERVER", "https://tableau.example.com",
        "CODEX_EMBED_TABLEAU_SITE", "bench",
        "CODEX_EMBED_LOOKER_HOST", "looker.example.com",
        "CODEX_EMBED_LOOKER_SECRET", LOOKER_SECRET,
        "CODEX_EMBED_LOOKER_MODELS", "bench");
  }

  /** {@code threads} threads calling {@code mint} back to back for {@code secs}; every call timed. */
  private static LoadResult inProcess(String name, int threads, double secs, Consumer<Integer> mint) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    Latencies[] lat = new Latencies[threads];
    Thread[] ts = new Thread[threads];
    long end = System.nanoTime() + (long) (secs * 1e9);
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Latencies l = lat[t] = new Latencies();
      ts[t] = new Thread(() -> {
        long n = 0;
        for (int i = 0; ; i++) {
          long s = System.nanoTime();
          if (s >= end) break;
          mint.accept(i);
          l.add(System.nanoTime() - s);
          n++;
        }
        done.addAndGet(n);
      }, "bench-mint-" + t);
      ts[t].start();
    }
    for (Thread t : ts) t.join();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    Latencies worst = lat[0];
    for (Latencies l : lat) {
      if (l.percentileMs(99) > worst.percentileMs(99)) worst = l;
    }
    return new LoadResult(name, threads + (threads == 1 ? " thread" : " threads"), done.get(), 0, elapsed, worst);
  }

  private static double cpuPerRequest(BenchServer server, long cpu0, LoadResult r) {
    long cpu1 = server.cpuMillis();
    return cpu0 < 0 || cpu1 < 0 || r.records() == 0 ? -1 : (cpu1 - cpu0) * 1000.0 / r.records();
  }

  private static String serverUse(BenchServer server, double us) {
    return String.format("  server-cpu=%.0fus/req  server-rss=%dMB", us, server.rssMb());
  }

  private static LoadResult shaped(LoadResult r, String shape) {
    return new LoadResult(r.name(), shape, r.records(), r.errors(), r.seconds(), r.latencies());
  }

  private void print(LoadResult r) {
    print(r, "tokens", "");
  }

  private void print(LoadResult r, String unit, String extra) {
    String line = r.line(unit, extra);
    out.add(line);
    System.out.println(line);
  }
}
