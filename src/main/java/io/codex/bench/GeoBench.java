package io.codex.bench;

import io.codex.geo.ForwardQuery;
import io.codex.geo.Gazetteer;
import io.codex.geo.GeoPlace;
import io.codex.geo.ReverseQuery;
import io.codex.launcher.AuthBootstrap;
import io.codex.launcher.ConfigLoader;
import io.codex.security.Role;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLEncoder;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Collections;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Properties;
import java.util.Random;
import java.util.Set;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.LongFunction;
import java.util.function.LongUnaryOperator;

/**
 * {@code codex bench geo}: offline geocoding, forward and reverse, in this process (the gazetteer
 * the {@code offline} provider calls, on 1 and 2 threads) and through the HTTP API of a Codex node
 * in its own process (auth, validation, rate limit, cache, the chain, GeoJSON), paced at 1,000
 * requests/s and flat out. Queries vary (city names and their typeahead prefixes, random points)
 * so that the cache cannot stand in for the gazetteer; each HTTP line says how many answers came
 * from the cache, and one scenario repeats a small set on purpose to show the cached path.
 */
public final class GeoBench {
  /** Cities (and accented spellings) used when the gazetteer gives no names to harvest. */
  static final List<String> CITIES = List.of("Paris", "London", "Berlin", "Madrid", "Roma", "Lisboa", "Lyon", "Marseille",
      "Toulouse", "Bordeaux", "Lille", "Nantes", "Strasbourg", "Zürich", "Genève", "Bruxelles", "Amsterdam", "Rotterdam",
      "København", "Stockholm", "Oslo", "Helsinki", "Reykjavík", "Dublin", "Edinburgh", "Manchester", "Wien", "Praha",
      "Warszawa", "Kraków", "Budapest", "București", "Sofia", "Athína", "İstanbul", "Ankara", "Moskva", "Kyiv", "Minsk",
      "Tbilisi", "Yerevan", "Baku", "Tehran", "Baghdad", "Riyadh", "Dubai", "Doha", "Cairo", "Alexandria", "Casablanca",
      "Tunis", "Alger", "Dakar", "Lagos", "Abuja", "Accra", "Nairobi", "Addis Ababa", "Kampala", "Kinshasa", "Luanda",
      "Johannesburg", "Cape Town", "Durban", "Maputo", "Harare", "Lusaka", "Antananarivo", "Mumbai", "Delhi", "Bengaluru",
      "Chennai", "Kolkata", "Hyderabad", "Karachi", "Lahore", "Dhaka", "Kathmandu", "Colombo", "Bangkok", "Hanoi",
      "Ho Chi Minh City", "Kuala Lumpur", "Singapore", "Jakarta", "Manila", "Shanghai", "Beijing", "Shenzhen",
      "Guangzhou", "Hong Kong", "Taipei", "Seoul", "Busan", "Tokyo", "Osaka", "Sapporo", "Sydney", "Melbourne",
      "Brisbane", "Perth", "Auckland", "Wellington", "Honolulu", "Anchorage", "Vancouver", "Seattle", "San Francisco",
      "Los Angeles", "San Diego", "Las Vegas", "Phoenix", "Denver", "Dallas", "Houston", "Austin", "Chicago", "Detroit",
      "Toronto", "Montréal", "Québec", "Boston", "New York", "Philadelphia", "Washington", "Atlanta", "Miami",
      "Ciudad de México", "Guadalajara", "Monterrey", "La Habana", "Bogotá", "Medellín", "Caracas", "Quito", "Lima",
      "La Paz", "Santiago", "Buenos Aires", "Córdoba", "Montevideo", "Asunción", "São Paulo", "Sao Paulo",
      "Rio de Janeiro", "Brasília", "Salvador", "Recife", "Fortaleza", "Manaus", "Porto Alegre", "Curitiba");
  private static final double PACED_RATE = 1_000;

  private final double seconds;
  private final double warmUp;
  private final List<String> out = new ArrayList<>();

  public GeoBench(double seconds, double warmUp) {
    this.seconds = seconds;
    this.warmUp = warmUp;
  }

  public int run() throws Exception {
    int cores = Runtime.getRuntime().availableProcessors();
    long t0 = System.nanoTime();
    Gazetteer gazetteer = Gazetteer.bundled();
    long loadMs = (System.nanoTime() - t0) / 1_000_000;
    System.out.printf("bench geo: %.0f s per scenario, %d cores, gazetteer %,d places (loaded in %d ms)%n", seconds, cores,
        gazetteer.size(), loadMs);
    List<String> names = names(gazetteer);
    List<String> forward = typeahead(names);
    System.out.printf("queries: %,d distinct forward texts (%,d names and their prefixes), random points for reverse%n",
        forward.size(), names.size());

    // ---------------------------------------------------------------- in-process: the gazetteer itself
    LongFunction<ForwardQuery> fq = i -> new ForwardQuery(forward.get((int) (i % forward.size())), 5, null, List.of(), null, null);
    LongFunction<ReverseQuery> rq = i -> {
      double[] p = point(i);
      return new ReverseQuery(p[1], p[0], 1, null);
    };
    inProcess("warm-up", 2, Math.min(5, seconds), i -> gazetteer.forward(fq.apply(i)).size() + gazetteer.reverse(rq.apply(i)).size());
    LoadResult f1 = inProcess("forward-inproc", 1, seconds, i -> gazetteer.forward(fq.apply(i)).size());
    print(f1, "");
    LoadResult f2 = inProcess("forward-inproc", 2, seconds, i -> gazetteer.forward(fq.apply(i)).size());
    print(f2, "");
    LoadResult r1 = inProcess("reverse-inproc", 1, seconds, i -> gazetteer.reverse(rq.apply(i)).size());
    print(r1, "");
    LoadResult r2 = inProcess("reverse-inproc", 2, seconds, i -> gazetteer.reverse(rq.apply(i)).size());
    print(r2, "");

    // ---------------------------------------------------------------- geofence evaluation, in-process
    String fenceLine = GeofenceBench.run(1_000, 10_000, Duration.ofSeconds((long) Math.min(5, seconds)),
        Duration.ofMillis((long) (seconds * 1000)));
    out.add(fenceLine);
    System.out.println(fenceLine);

    // ---------------------------------------------------------------- through the HTTP API
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    LoadResult pacedForward;
    LoadResult pacedReverse;
    try (BenchServer server = BenchServer.start(Map.of("CODEX_GEO_RATE_LIMIT_PER_SECOND", "0"))) {
      JsonObject cfg = ConfigLoader.load(null, Map.of(), new Properties(), Map.of("dataDir", server.dataDir.toString())).config();
      String auth = "Bearer " + AuthBootstrap.localToken(vertx, cfg, Role.VIEWER, Duration.ofHours(2));
      System.out.printf("server: its own process, providers [offline], cache on (50,000 places), rate limit off; rss %d MB at idle%n",
          server.rssMb());
      Get http = new Get(vertx, server.httpPort, auth);
      AtomicLong seq = new AtomicLong();
      // texts never seen before during the measured runs: the warm-up takes them from the other end of the list
      LongFunction<String> forwardUri = i -> "/api/v1/geocode?limit=5&q="
          + URLEncoder.encode(forward.get((int) Math.floorMod(seq.getAndIncrement(), (long) forward.size())), StandardCharsets.UTF_8);
      LongFunction<String> warmUri = i -> "/api/v1/geocode?limit=5&q="
          + URLEncoder.encode(forward.get((int) Math.floorMod(-1 - seq.getAndIncrement(), (long) forward.size())), StandardCharsets.UTF_8);
      AtomicLong rseq = new AtomicLong(1_000_000_000L);
      LongFunction<String> reverseUri = i -> {
        double[] p = point(rseq.getAndIncrement());
        return String.format(Locale.ROOT, "/api/v1/geocode/reverse?lat=%.6f&lon=%.6f", p[1], p[0]);
      };
      http.closedLoop("warm-up", 32, Math.max(10, warmUp), i -> (i % 2 == 0) ? warmUri.apply(i) : reverseUri.apply(i));

      // flat out first: the server's JIT settles during these, so that the paced lines measure steady state
      Cache c = Cache.read(server);
      long cpu0 = server.cpuMillis();
      LoadResult maxForward = http.closedLoop("forward-http", 64, seconds, forwardUri);
      print(maxForward, serverUse(server, cpu0, maxForward, c));
      c = Cache.read(server);
      cpu0 = server.cpuMillis();
      LoadResult maxReverse = http.closedLoop("reverse-http", 64, seconds, reverseUri);
      print(maxReverse, serverUse(server, cpu0, maxReverse, c));

      c = Cache.read(server);
      cpu0 = server.cpuMillis();
      // paced: with wrk when installed (a JVM client on the same two cores adds its own pauses to the tail)
      pacedForward = WrkLoad.available()
          ? WrkLoad.gets("forward-http", "http://127.0.0.1:" + server.httpPort, auth, 10, seconds, paths(forwardUri, PACED_RATE * seconds * 1.5), PACED_RATE)
          : http.fixedRate("forward-http", 16, PACED_RATE, seconds, forwardUri);
      print(pacedForward, serverUse(server, cpu0, pacedForward, c));
      c = Cache.read(server);
      cpu0 = server.cpuMillis();
      pacedReverse = WrkLoad.available()
          ? WrkLoad.gets("reverse-http", "http://127.0.0.1:" + server.httpPort, auth, 10, seconds, paths(reverseUri, PACED_RATE * seconds * 1.5), PACED_RATE)
          : http.fixedRate("reverse-http", 16, PACED_RATE, seconds, reverseUri);
      print(pacedReverse, serverUse(server, cpu0, pacedReverse, c));

      List<String> hot = forward.subList(0, Math.min(200, forward.size()));
      LongFunction<String> hotUri = i -> "/api/v1/geocode?limit=5&q=" + URLEncoder.encode(hot.get((int) (i % hot.size())), StandardCharsets.UTF_8);
      http.closedLoop("prime", 4, 1, hotUri);
      c = Cache.read(server);
      cpu0 = server.cpuMillis();
      LoadResult cached = http.fixedRate("forward-cached", 16, PACED_RATE, seconds, hotUri);
      print(cached, serverUse(server, cpu0, cached, c));
    } finally {
      vertx.close();
    }

    out.add("");
    out.add(String.format("offline forward through HTTP at 1,000 req/s = p50 %.2f ms, p99 %.2f ms (target p99 < 5 ms)",
        pacedForward.latencies().percentileMs(50), pacedForward.latencies().percentileMs(99)));
    out.add(String.format("offline reverse through HTTP at 1,000 req/s = p50 %.2f ms, p99 %.2f ms",
        pacedReverse.latencies().percentileMs(50), pacedReverse.latencies().percentileMs(99)));
    out.add(String.format("reverse in-process                       = %,.0f lookups/s (target >= 100,000)",
        Math.max(r1.recordsPerSecond(), r2.recordsPerSecond())));
    out.add(String.format("forward in-process                       = %,.0f lookups/s",
        Math.max(f1.recordsPerSecond(), f2.recordsPerSecond())));
    if (gazetteer.size() == 0) out.add("NOTE: the gazetteer is empty (placeholder): every lookup found nothing");
    out.forEach(System.out::println);
    return 0;
  }

  /** The next {@code n} paths of a generator: texts or points no earlier scenario asked for. */
  private static List<String> paths(LongFunction<String> next, double n) {
    List<String> out = new ArrayList<>();
    for (long i = 0; i < n; i++) out.add(next.apply(i));
    return out;
  }

  /** Place names: harvested from the gazetteer (the nearest place to scattered points), else the list above. */
  static List<String> names(Gazetteer gazetteer) {
    Set<String> out = new LinkedHashSet<>(CITIES);
    if (gazetteer.size() > 0) {
      Random r = new Random(7);
      for (int i = 0; i < 300_000 && out.size() < 30_000; i++) {
        for (GeoPlace p : gazetteer.reverse(new ReverseQuery(-55 + r.nextDouble() * 125, -180 + r.nextDouble() * 360, 1, null))) {
          if (p.name() != null && !p.name().isBlank()) out.add(p.name());
        }
      }
    }
    return List.copyOf(out);
  }

  /** Every name and its typeahead prefixes (3 characters and more), in a fixed shuffled order. */
  static List<String> typeahead(List<String> names) {
    Set<String> texts = new LinkedHashSet<>();
    for (String n : names) {
      for (int len = Math.min(3, n.length()); len <= n.length(); len++) {
        String t = n.substring(0, len).strip();
        if (!t.isEmpty()) texts.add(t);
      }
    }
    List<String> out = new ArrayList<>(texts);
    Collections.shuffle(out, new Random(42));
    return out;
  }

  /** The i-th pseudo-random point {lon, lat}, over the inhabited latitudes. */
  static double[] point(long i) {
    long h = i * 0x9E3779B97F4A7C15L;
    h ^= h >>> 29;
    double u = (h >>> 11) * 0x1.0p-53;
    long g = (i + 0x632BE59BD9B4E019L) * 0xBF58476D1CE4E5B9L;
    g ^= g >>> 31;
    double v = (g >>> 11) * 0x1.0p-53;
    return new double[] {-180 + 360 * u, -55 + 125 * v};
  }

  /** {@code threads} threads calling {@code op} back to back for {@code secs}; every call timed. */
  private static LoadResult inProcess(String name, int threads, double secs, LongUnaryOperator op) throws InterruptedException {
    AtomicLong done = new AtomicLong();
    AtomicLong sink = new AtomicLong();
    Latencies[] lat = new Latencies[threads];
    Thread[] ts = new Thread[threads];
    long end = System.nanoTime() + (long) (secs * 1e9);
    long t0 = System.nanoTime();
    for (int t = 0; t < threads; t++) {
      Latencies l = lat[t] = new Latencies();
      final long base = t * 1_000_000_000L;
      ts[t] = new Thread(() -> {
        long n = 0;
        long found = 0;
        for (long i = base; ; i++) {
          long s = System.nanoTime();
          if (s >= end) break;
          found += op.applyAsLong(i);
          l.add(System.nanoTime() - s);
          n++;
        }
        done.addAndGet(n);
        sink.addAndGet(found);
      }, "bench-geo-" + t);
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

  private void print(LoadResult r, String extra) {
    String line = r.line("lookups", extra);
    out.add(line);
    System.out.println(line);
  }

  private static String serverUse(BenchServer server, long cpu0, LoadResult r, Cache before) throws Exception {
    long cpu1 = server.cpuMillis();
    Cache after = Cache.read(server);
    double us = cpu0 < 0 || cpu1 < 0 || r.records() == 0 ? -1 : (cpu1 - cpu0) * 1000.0 / r.records();
    return String.format("  cache-hits=%.0f%%  server-cpu=%.0fus/req", after.hitPercentSince(before), us);
  }

  /** The server's geocoding cache counters, from its /metrics. */
  private record Cache(double hits, double misses) {
    static Cache read(BenchServer server) throws Exception {
      java.net.http.HttpClient c = java.net.http.HttpClient.newBuilder().version(java.net.http.HttpClient.Version.HTTP_1_1).build();
      String body = c.send(java.net.http.HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + server.httpPort + "/metrics"))
          .timeout(Duration.ofSeconds(10)).build(), java.net.http.HttpResponse.BodyHandlers.ofString()).body();
      return new Cache(PrometheusText.sum(body, "codex_geocode_cache_total{result=\"hit\"").orElse(0),
          PrometheusText.sum(body, "codex_geocode_cache_total{result=\"miss\"").orElse(0));
    }

    double hitPercentSince(Cache before) {
      double h = hits - before.hits;
      double m = misses - before.misses;
      return h + m == 0 ? 0 : 100 * h / (h + m);
    }
  }

  /** GET load on the API from Vert.x clients: closed loop (C requests outstanding) or paced. */
  private static final class Get {
    private final Vertx vertx;
    private final int port;
    private final String auth;

    Get(Vertx vertx, int port, String auth) {
      this.vertx = vertx;
      this.port = port;
      this.auth = auth;
    }

    LoadResult closedLoop(String name, int connections, double secs, LongFunction<String> uri) {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true), new PoolOptions().setHttp1MaxSize(connections));
      Latencies lat = new Latencies();
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      AtomicLong running = new AtomicLong(connections);
      AtomicLong n = new AtomicLong();
      CompletableFuture<Void> done = new CompletableFuture<>();
      long end = System.nanoTime() + (long) (secs * 1e9);
      long t0 = System.nanoTime();
      for (int i = 0; i < connections; i++) {
        vertx.runOnContext(v -> loop(client, uri, n, end, lat, ok, errors, running, done));
      }
      done.join();
      double elapsed = (System.nanoTime() - t0) / 1e9;
      client.close();
      return new LoadResult(name, "c=" + connections + " max", ok.get(), errors.get(), elapsed, lat);
    }

    private void loop(HttpClient client, LongFunction<String> uri, AtomicLong n, long end, Latencies lat, AtomicLong ok,
        AtomicLong errors, AtomicLong running, CompletableFuture<Void> done) {
      if (System.nanoTime() >= end) {
        if (running.decrementAndGet() == 0) done.complete(null);
        return;
      }
      long start = System.nanoTime();
      get(client, uri.apply(n.getAndIncrement())).onComplete(ar -> {
        if (ar.succeeded() && ar.result() == 200) {
          lat.add(System.nanoTime() - start);
          ok.incrementAndGet();
        } else {
          errors.incrementAndGet();
        }
        loop(client, uri, n, end, lat, ok, errors, running, done);
      });
    }

    /** Requests at a fixed rate, latency measured from when each was due (no coordinated omission). */
    LoadResult fixedRate(String name, int connections, double rate, double secs, LongFunction<String> uri) {
      HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
          new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(connections * 64));
      Latencies lat = new Latencies();
      AtomicLong ok = new AtomicLong();
      AtomicLong errors = new AtomicLong();
      long total = (long) (rate * secs);
      AtomicLong issued = new AtomicLong();
      AtomicLong completed = new AtomicLong();
      CompletableFuture<Void> done = new CompletableFuture<>();
      long t0 = System.nanoTime();
      long timer = vertx.setPeriodic(1, id -> {
        long due = (long) ((System.nanoTime() - t0) / 1e9 * rate);
        while (issued.get() < Math.min(due, total)) {
          long k = issued.getAndIncrement();
          long dueAt = t0 + (long) (k / rate * 1e9);
          get(client, uri.apply(k)).onComplete(ar -> {
            if (ar.succeeded() && ar.result() == 200) {
              lat.add(System.nanoTime() - dueAt);
              ok.incrementAndGet();
            } else {
              errors.incrementAndGet();
            }
            if (completed.incrementAndGet() == total) done.complete(null);
          });
        }
      });
      done.orTimeout((long) (secs * 3 + 30), java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
      vertx.cancelTimer(timer);
      double elapsed = (System.nanoTime() - t0) / 1e9;
      client.close();
      return new LoadResult(name, String.format("paced %,.0f req/s", rate), ok.get(), errors.get(), elapsed, lat);
    }

    private Future<Integer> get(HttpClient client, String uri) {
      return client.request(new RequestOptions().setMethod(HttpMethod.GET).setHost("127.0.0.1").setPort(port)
              .setURI(uri).putHeader("Authorization", auth))
          .compose(req -> req.send())
          .compose(resp -> resp.body().map(b -> resp.statusCode()));
    }
  }
}
