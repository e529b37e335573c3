package io.codex.bench;

import io.codex.launcher.AuthBootstrap;
import io.codex.launcher.ConfigLoader;
import io.codex.security.Role;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;

/**
 * {@code codex bench ingest}: one Codex node in embedded mode (its own process), or a node already
 * running ({@link Target}), driven by this process's clients, one result line per scenario;
 * Kafka's own ProducerPerformance (on the node's broker) and a local Mosquitto run in the same
 * session on the same machine for the ratios.
 */
final class IngestBench {
  /**
   * A node already running, instead of one started here: its HTTP API ({@code http://host:port}),
   * its MQTT listener, its Kafka brokers (null: Kafka's producer is not run) and an admin token
   * (to register the bench's devices and read {@code /metrics}).
   */
  record Target(String host, int httpPort, String mqttHost, int mqttPort, String kafkaBootstrap, String adminToken) {}

  /** About 200 bytes, like the records of the targets. */
  static String record(String device) {
    return "{\"deviceId\":\"" + device + "\",\"timestamp\":1764000000000,\"sensorType\":\"gps\",\"payload\":{\"speed\":12.3,"
        + "\"heading\":270,\"battery\":87,\"status\":\"moving\",\"odometer\":123456.7,\"fix\":\"3d\"},"
        + "\"location\":{\"lat\":48.8566,\"lon\":2.3522}}";
  }

  private final double seconds;
  private final double warmUp;
  private final Duration soak;
  /** Scenario names to run; empty: all of them. */
  private final java.util.Set<String> only;
  private final List<String> out = new ArrayList<>();
  private URI metricsUrl;
  private final HttpClient metricsClient = HttpClient.newBuilder().version(HttpClient.Version.HTTP_1_1).build();
  private String adminToken;
  private double[] kafkaAck;
  /** The server's mean time to the Kafka ack during each scenario, by scenario name (ms). */
  private final Map<String, Double> ackMeanMs = new java.util.HashMap<>();
  private long cpuAtStart = -1;
  private long jitAtStart = -1;
  private Map<String, Long> threadsAtStart = Map.of();
  /** The host's steal since the scenario started (see {@link StolenTime}). */
  private StolenTime stolenSince = StolenTime.start();
  private long ownCpuAtStart;
  /** The compiler's share of the server's CPU (%) under which a load counts as settled (see {@link #settle}). */
  static final double JIT_SETTLED_PERCENT = 3;
  static final int SETTLE_SLICE_SECONDS = 5;
  static final int MAX_SETTLE_SLICES = 18;
  static final int INTERLEAVED_ROUNDS = 5;
  /** How long Kafka's producer runs in its turn-taking JVM before its turns count. */
  static final double RAW_WARM_UP_SECONDS = 10;
  /** The MQTT target's load: 16 connections, each with at most 10 QoS 1 messages awaiting their PUBACK. */
  static final int MQTT_CONNECTIONS = 16;
  static final int MQTT_WINDOW = 10;
  static final long INTERLEAVED_PAUSE_MS = 500;
  static final Path MOSQUITTO = Path.of("/usr/sbin/mosquitto");

  static final List<String> SCENARIOS = List.of("http-1rec", "http-1rec-rate", "http-100rec", "mqtt-qos1", "mosquitto-qos1",
      "mqtt-qos1-vertx", "mosquitto-qos1-vertx", "kafka-raw");

  /** MQTT messages per second the lean generator's scenarios are paced to; 0: as fast as the windows allow. */
  private final double mqttRate;

  /** The node to drive; null: start one in embedded mode. */
  private final Target target;

  IngestBench(double seconds, double warmUp, Duration soak, java.util.Set<String> only, double mqttRate) {
    this(seconds, warmUp, soak, only, mqttRate, null);
  }

  IngestBench(double seconds, double warmUp, Duration soak, java.util.Set<String> only, double mqttRate, Target target) {
    this.target = target;
    this.mqttRate = mqttRate;
    this.seconds = seconds;
    this.warmUp = warmUp;
    this.soak = soak;
    this.only = only;
  }

  private boolean runs(String scenario) {
    return only.isEmpty() || only.contains(scenario);
  }

  int run() throws Exception {
    Vertx vertx = Vertx.vertx(new VertxOptions().setEventLoopPoolSize(2));
    try (BenchServer server = target == null ? BenchServer.start(Map.of())
        : BenchServer.remote(target.host(), target.httpPort(), target.mqttHost(), target.mqttPort(), target.kafkaBootstrap())) {
      String admin;
      String prefix;
      if (server.local()) {
        JsonObject cfg = ConfigLoader.load(null, Map.of(), new Properties(), Map.of("dataDir", server.dataDir.toString())).config();
        admin = AuthBootstrap.localToken(vertx, cfg, Role.ADMIN, Duration.ofHours(2));
        prefix = "bench-";
      } else {
        admin = target.adminToken();
        // a node that ran the bench before has its bench-* devices: a prefix of this run's own, as long
        prefix = runPrefix();
      }
      String base = server.baseUrl();
      metricsUrl = URI.create(base + "/metrics");
      adminToken = admin;
      List<String[]> devices = provision(base, admin, prefix, 64);
      HttpLoad http = new HttpLoad(vertx, server.host, server.httpPort);
      // two generator threads: one alone was 90 % busy against Mosquitto, near being the limit itself
      MqttGenerator mqtt = new MqttLoad(2, mqttRate);
      MqttGenerator vertxMqtt = new VertxMqttLoad(vertx);
      if (server.local()) {
        System.out.printf("bench ingest: server pid rss %d MB at idle; %.0f s per scenario; record %d bytes%n",
            server.rssMb(), seconds, record("bench-0001").length());
      } else {
        System.out.printf("bench ingest: node at %s, MQTT %s:%d, Kafka %s (its process is not on this machine: no server CPU or RSS "
            + "figures); devices %s0001-%04d; %.0f s per scenario; record %d bytes%n", base, server.mqttHost, server.mqttPort,
            server.bootstrap() == null ? "not given (kafka-raw skipped)" : server.bootstrap(), prefix, devices.size(), seconds,
            record(prefix + "0001").length());
      }

      List<String[]> mqttUsers = new ArrayList<>();
      for (int i = 0; i < MQTT_CONNECTIONS; i++) mqttUsers.add(new String[] {devices.get(i)[0], devices.get(i)[1], "telemetry/" + devices.get(i)[0]});
      String mqttRecord = record("ignored").replace("\"deviceId\":\"ignored\",", "");
      String url = base + "/api/v1/telemetry";
      List<String[]> singles = new ArrayList<>();
      List<String[]> hundreds = new ArrayList<>();
      for (String[] d : devices) {
        singles.add(req(d, 1));
        if (hundreds.size() < 64) hundreds.add(req(d, 100));
      }
      boolean wrk = WrkLoad.available();
      if (!wrk) System.out.println("(wrk not installed: HTTP closed-loop load from JVM clients, which cost the shared CPU more)");
      // both JVMs compile for minutes on two cores: measure steady state, not the JIT. First every
      // kind of load at once (as a node in service sees them, so the compiled code serves them all),
      // then each alone right before it is measured (after 60 s of warm-up, MQTT measured after the
      // HTTP scenarios ran with the C2 compiler at 19 % of the server's CPU); only the loads of the
      // scenarios asked for
      long warmStart = System.nanoTime();
      boolean single = runs("http-1rec") || runs("http-1rec-rate");
      boolean hundredRec = runs("http-100rec") || soak != null;
      boolean codexMqtt = runs("mqtt-qos1");
      boolean codexVertxMqtt = runs("mqtt-qos1-vertx");
      List<java.util.concurrent.Callable<LoadResult>> loads = new ArrayList<>();
      if (single) loads.add(() -> closedLoop(http, wrk, url, "warm-up", 128, 1, warmUp * 0.5, singles, devices));
      if (hundredRec) loads.add(() -> closedLoop(http, wrk, url, "warm-up", 16, 100, warmUp * 0.5, hundreds, devices));
      if (codexMqtt || codexVertxMqtt) {
        MqttGenerator g = codexMqtt ? mqtt : vertxMqtt;
        loads.add(() -> g.run("warm-up", server.mqttHost, server.mqttPort, MQTT_WINDOW, warmUp * 0.5, mqttUsers, mqttRecord));
      }
      java.util.concurrent.ExecutorService warm = java.util.concurrent.Executors.newFixedThreadPool(3);
      try {
        for (java.util.concurrent.Future<LoadResult> f : warm.invokeAll(loads)) f.get();
      } finally {
        warm.shutdown();
      }
      System.out.printf("warm-up done after %.0f s (all loads at once); measuring, each load warmed alone first%n",
          (System.nanoTime() - warmStart) / 1e9);

      LoadResult best = null;
      if (runs("http-1rec") || runs("http-1rec-rate")) {
        closedLoop(http, wrk, url, "warm-up", 256, 1, warmUp * 0.2, singles, devices);
        settle(server, "http-1rec c=256", () -> closedLoop(http, wrk, url, "warm-up", 256, 1, SETTLE_SLICE_SECONDS, singles, devices));
        settle(server, "http-1rec c=64", () -> closedLoop(http, wrk, url, "warm-up", 64, 1, SETTLE_SLICE_SECONDS, singles, devices));
        mark(server);
        LoadResult one = closedLoop(http, wrk, url, "http-1rec", 64, 1, seconds, singles, devices);
        if (runs("http-1rec")) print(one, server);
        best = one;
        if (runs("http-1rec")) {
          mark(server);
          LoadResult many = closedLoop(http, wrk, url, "http-1rec", 256, 1, seconds, singles, devices);
          print(many, server);
          if (many.recordsPerSecond() > one.recordsPerSecond()) best = many;
        }
      }
      if (runs("http-1rec-rate")) {
        double half = Math.max(1000, Math.round(best.recordsPerSecond() / 2 / 1000) * 1000.0);
        if (wrk) {
          double answerMs = WrkLoad.answerMs(url, 64, 1, singles, half);
          mark(server);
          print(WrkLoad.run("http-1rec-rate", url, 64, 1, seconds, singles, half, answerMs), server);
        } else {
          mark(server);
          print(http.fixedRate("http-1rec-rate", 64, half, seconds, i -> req(devices.get(i % devices.size()), 1)), server);
        }
      }
      LoadResult hundred = null;
      int hundredConnections = 16;
      if (hundredRec) {
        closedLoop(http, wrk, url, "warm-up", 16, 100, warmUp * 0.15, hundreds, devices);
        settle(server, "http-100rec c=16", () -> closedLoop(http, wrk, url, "warm-up", 16, 100, SETTLE_SLICE_SECONDS, hundreds, devices));
      }
      if (runs("http-100rec")) {
        mark(server);
        hundred = closedLoop(http, wrk, url, "http-100rec", 16, 100, seconds, hundreds, devices);
        print(hundred, server);
        // as for one record per request, a second concurrency: more requests in flight, fuller Kafka
        // batches (and code paths of its own for the JIT: 9 % of the server's CPU when measured unsettled)
        settle(server, "http-100rec c=64", () -> closedLoop(http, wrk, url, "warm-up", 64, 100, SETTLE_SLICE_SECONDS, hundreds, devices));
        mark(server);
        LoadResult wide = closedLoop(http, wrk, url, "http-100rec", 64, 100, seconds, hundreds, devices);
        print(wide, server);
        if (wide.recordsPerSecond() > hundred.recordsPerSecond()) {
          hundred = wide;
          hundredConnections = 64;
        }
      }
      if (codexMqtt) {
        mqtt.run("warm-up", server.mqttHost, server.mqttPort, MQTT_WINDOW, warmUp * 0.15, mqttUsers, mqttRecord);
        settle(server, "mqtt-qos1", () -> mqtt.run("warm-up", server.mqttHost, server.mqttPort, MQTT_WINDOW, SETTLE_SLICE_SECONDS, mqttUsers, mqttRecord));
      }
      LoadResult codex = codexMqtt ? mqttOnCodex(mqtt, "mqtt-qos1", server, mqttUsers, mqttRecord) : null;
      LoadResult mosquitto = runs("mosquitto-qos1") ? mosquitto(mqtt, "mosquitto-qos1") : null;
      if (codexVertxMqtt) {
        vertxMqtt.run("warm-up", server.mqttHost, server.mqttPort, MQTT_WINDOW, warmUp * (codexMqtt ? 0.05 : 0.15), mqttUsers, mqttRecord);
        settle(server, "mqtt-qos1-vertx",
            () -> vertxMqtt.run("warm-up", server.mqttHost, server.mqttPort, MQTT_WINDOW, SETTLE_SLICE_SECONDS, mqttUsers, mqttRecord));
      }
      LoadResult codexVertx = codexVertxMqtt ? mqttOnCodex(vertxMqtt, "mqtt-qos1-vertx", server, mqttUsers, mqttRecord) : null;
      LoadResult mosquittoVertx = runs("mosquitto-qos1-vertx") ? mosquitto(vertxMqtt, "mosquitto-qos1-vertx") : null;
      if (codex != null && mosquitto != null) {
        Map<String, MqttGenerator> both = new java.util.LinkedHashMap<>();
        both.put("lean", mqtt);
        if (codexVertx != null && mosquittoVertx != null) both.put("vertx-mqtt", vertxMqtt);
        interleaved(server, both, mqttUsers, mqttRecord);
      }
      if (runs("kafka-raw") && server.bootstrap() == null) {
        System.out.println("(kafka-raw skipped: give --kafka with the node's Kafka bootstrap servers to run Kafka's producer on its broker)");
      }
      double raw = runs("kafka-raw") && server.bootstrap() != null ? rawKafka(server) : 0;
      // the two measured minutes apart can land in different stretches of the machine's speed: taking turns shares them out
      double rawInterleaved = hundred != null && raw > 0
          ? interleavedHttp(server, http, wrk, url, hundredConnections, hundreds, devices, raw) : 0;

      out.add("");
      if (hundred != null && raw > 0) {
        out.add(String.format("ratio http-100rec / kafka-raw          = %.2f  (best of c=16, c=64, against the producer in a new JVM; target >= 0.70)",
            hundred.recordsPerSecond() / raw));
      }
      if (rawInterleaved > 0) {
        out.add(String.format("ratio http-100rec / kafka-raw interleaved = %.2f  (at c=%d, taking turns with the producer warmed up; target >= 0.70)",
            rawInterleaved, hundredConnections));
      }
      if (best != null && runs("http-1rec")) {
        out.add(String.format("http-1rec (best of c=64, c=256)         = %,.0f records/s (target >= 20,000)", best.recordsPerSecond()));
      }
      if (codex != null && mosquitto != null) {
        out.add(String.format("ratio mqtt-qos1 codex / mosquitto       = %.2f  (lean generator; Codex also makes each message durable in Kafka)",
            codex.recordsPerSecond() / mosquitto.recordsPerSecond()));
      }
      if (codexVertx != null && mosquittoVertx != null) {
        out.add(String.format("ratio mqtt-qos1-vertx / mosquitto-qos1-vertx = %.2f  (vertx-mqtt's client as the generator)",
            codexVertx.recordsPerSecond() / mosquittoVertx.recordsPerSecond()));
      }
      double bestMosquitto = Math.max(mosquitto == null ? 0 : mosquitto.recordsPerSecond(),
          mosquittoVertx == null ? 0 : mosquittoVertx.recordsPerSecond());
      if (codex != null && mosquitto != null && codexVertx != null && mosquittoVertx != null) {
        // the generator changes both brokers' results, each differently (see MqttLoad): compare each
        // at its best, whichever generator gave it
        out.add(String.format("ratio mqtt codex / mosquitto, each with its better generator = %.2f  (target >= 1.00)",
            Math.max(codex.recordsPerSecond(), codexVertx.recordsPerSecond()) / bestMosquitto));
      }
      // the lean generator paced by --mqtt-rate is no closed loop: its ack time bounds nothing
      String bound = closedLoopBound(MQTT_CONNECTIONS * MQTT_WINDOW, bestMosquitto,
          mqttRate > 0 ? null : ackMeanMs.get("mqtt-qos1"), ackMeanMs.get("mqtt-qos1-vertx"));
      if (bound != null) out.add(bound);
      if (soak != null) soak(http, devices, url, hundreds, server);
      out.forEach(System.out::println);
      return 0;
    } finally {
      vertx.close();
    }
  }

  /** The server's {@code /metrics} (one scrape, read with the admin token); null when not read. */
  private String scrape() {
    try {
      HttpResponse<String> r = metricsClient.send(HttpRequest.newBuilder(metricsUrl).timeout(Duration.ofSeconds(10))
          .header("Authorization", "Bearer " + adminToken).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() == 200) return r.body();
      System.err.println("(the server's metrics were not read: " + r.statusCode() + ")");
    } catch (Exception e) {
      System.err.println("(the server's metrics were not read: " + e + ")");
    }
    return null;
  }

  /**
   * The server's own ingest timer ({@code codex_ingest_kafka_ack_seconds}: records handed to the
   * producer until Kafka acknowledged the last one) in a scrape, as {count, sum in seconds}; null
   * without a scrape.
   */
  static double[] kafkaAck(String scrape) {
    if (scrape == null) return null;
    return new double[] {PrometheusText.sum(scrape, "codex_ingest_kafka_ack_seconds_count").orElse(0),
        PrometheusText.sum(scrape, "codex_ingest_kafka_ack_seconds_sum").orElse(0)};
  }

  /** CPU time of this process (the load generators), in ms, read as the server's and Mosquitto's are. */
  private static long ownCpuMillis() {
    return BenchServer.cpuMillis(ProcessHandle.current().pid());
  }

  /**
   * Keeps {@code load} (one slice of it per call) going, after its warm-up, while the server's JIT
   * compiler still takes {@link #JIT_SETTLED_PERCENT} % or more of the server's CPU, for at most
   * {@link #MAX_SETTLE_SLICES} slices: on two cores a compiling JVM loses a fifth to a third of its
   * CPU to the compiler (seen after a 60 s warm-up), and a measurement then says more about the JIT
   * than about the load. Each slice also scrapes the metrics as a measurement does, so that the JIT has
   * compiled that too.
   */
  private void settle(BenchServer server, String load, java.util.concurrent.Callable<LoadResult> slice) throws Exception {
    for (int i = 0; i < MAX_SETTLE_SLICES; i++) {
      scrape();
      long cpu0 = server.cpuMillis();
      long jit0 = server.compilerCpuMillis();
      slice.call();
      long cpu = server.cpuMillis() - cpu0;
      long jit = server.compilerCpuMillis() - jit0;
      if (cpu0 < 0 || jit0 < 0 || cpu <= 0 || jit < 0) return;   // not readable here: nothing to wait for
      double share = jit * 100.0 / cpu;
      if (share < JIT_SETTLED_PERCENT) return;
      System.out.printf("(%s: the JIT compiler took %.0f %% of the server's CPU in the last %d s; warming on)%n", load, share,
          SETTLE_SLICE_SECONDS);
    }
    System.out.printf("(%s: the JIT was still compiling after %d s more warm-up; measuring anyway)%n", load,
        MAX_SETTLE_SLICES * SETTLE_SLICE_SECONDS);
  }

  /**
   * The most a closed loop of {@code inFlight} QoS 1 messages can get from Codex, whose PUBACK waits
   * for Kafka: by Little's law, {@code inFlight / time per message}, and each message takes at least
   * the Kafka ack (the fastest of the scenarios' means; a null is a scenario without one), before any
   * MQTT, parsing or client work. When Mosquitto's rate is above it, the target cannot be met on this
   * machine by spending less CPU, only by a faster Kafka round trip. Null without a measured ack.
   */
  static String closedLoopBound(int inFlight, double bestMosquitto, Double... ackMs) {
    java.util.OptionalDouble fastest = java.util.Arrays.stream(ackMs).filter(a -> a != null && a > 0).mapToDouble(Double::doubleValue).min();
    if (fastest.isEmpty()) return null;
    double ack = fastest.getAsDouble();
    double bound = inFlight / ack * 1000;
    return String.format("mqtt closed-loop bound = %,.0f msg/s  (%d messages in flight / Codex's mean Kafka ack %.2f ms, with nothing else taking time%s)",
        bound, inFlight, ack, bestMosquitto > 0 ? String.format("; Mosquitto's best %,.0f = %.2f of it", bestMosquitto, bestMosquitto / bound) : "");
  }

  /** Notes the server's CPU time and Kafka ack timer before a scenario. */
  private void mark(BenchServer server) {
    // the scrape first: its CPU (and what the JIT compiles for it) is not the load's
    kafkaAck = kafkaAck(scrape());
    ownCpuAtStart = ownCpuMillis();
    cpuAtStart = server.cpuMillis();
    jitAtStart = server.compilerCpuMillis();
    threadsAtStart = server.cpuMillisByThreadGroup();
    stolenSince = StolenTime.start();
  }

  private void print(LoadResult r, BenchServer server) {
    // the server's CPU per record (all its threads: HTTP/MQTT, producer, broker, feeds), which
    // depends far less on what else the machine runs than a rate does; and how much of the
    // answer time was Kafka's (linger + broker round trip)
    long cpu = server.cpuMillis() - cpuAtStart;
    String scrape = scrape();
    double[] now = kafkaAck(scrape);
    String extra = r.records() > 0 && cpuAtStart >= 0 ? String.format("  server-cpu=%.1fus/rec", cpu * 1000.0 / r.records()) : "";
    long jit = server.compilerCpuMillis() - jitAtStart;
    // a JVM still compiling measures the compiler too: say how much of the server's CPU it took
    if (cpu > 0 && jitAtStart >= 0 && jit >= 0) extra += String.format("  jit=%.0f%%", jit * 100.0 / cpu);
    if (r.name().startsWith("mqtt") && r.records() > 0) {
      // the MQTT load comes from this process (HTTP's from wrk, when installed): what it took from the shared cores
      extra += String.format("  generator-cpu=%.1fus/rec", (ownCpuMillis() - ownCpuAtStart) * 1000.0 / r.records());
    }
    if (now != null && kafkaAck != null && now[0] > kafkaAck[0]) {
      double ackMs = (now[1] - kafkaAck[1]) / (now[0] - kafkaAck[0]) * 1000;
      ackMeanMs.put(r.name(), ackMs);
      extra += String.format("  kafka-ack-mean=%.2fms", ackMs) + producerSplit(scrape);
    }
    long memory = server.local() ? server.rssMb() : jvmMemoryUsedMb(scrape);
    if (memory >= 0) extra += (server.local() ? "  server-rss=" : "  server-jvm-memory=") + memory + "MB";
    String line = r.line(extra + stolenSince.since());
    out.add(line);
    System.out.println(line);
    String split = BenchServer.cpuSplit(threadsAtStart, server.cpuMillisByThreadGroup());
    if (!split.isEmpty()) System.out.println("  " + split);
  }

  /**
   * A closed loop of telemetry posts: wrk sending {@code bodies} when it is installed, else the
   * JVM clients, each request for the next of {@code devices}.
   */
  private static LoadResult closedLoop(HttpLoad http, boolean wrk, String url, String name, int connections, int perRequest,
      double seconds, List<String[]> bodies, List<String[]> devices) throws Exception {
    return wrk ? WrkLoad.run(name, url, connections, perRequest, seconds, bodies)
        : http.closedLoop(name, connections, perRequest, seconds, i -> req(devices.get(i % devices.size()), perRequest));
  }

  private static String[] req(String[] device, int records) {
    String auth = "Basic " + Base64.getEncoder().encodeToString((device[0] + ":" + device[1]).getBytes(StandardCharsets.UTF_8));
    if (records == 1) return new String[] {auth, record(device[0])};
    StringBuilder b = new StringBuilder("[");
    for (int i = 0; i < records; i++) b.append(i == 0 ? "" : ",").append(record(device[0]));
    return new String[] {auth, b.append(']').toString()};
  }

  /**
   * The server's memory in MB: its process's RSS when it runs here, else what its JVM reports in
   * use (heap and non-heap, {@code jvm_memory_used_bytes} on {@code /metrics}); -1 when unknown.
   */
  private long serverMemoryMb(BenchServer server) {
    return server.local() ? server.rssMb() : jvmMemoryUsedMb(scrape());
  }

  /**
   * Where the Kafka ack went, from the node's producer: a record's mean wait before its produce
   * request left (linger, or a request still out) and the requests' mean round trip, as
   * {@code "  kafka-record-wait=…ms  kafka-request=…ms"}; empty when the scrape lacks them or the
   * producer sent nothing. Kafka's own averages, over the node's last 5-10 s (its producer's
   * {@code metrics.sample.window.ms}): the end of the scenario.
   */
  static String producerSplit(String scrape) {
    if (scrape == null) return "";
    double wait = PrometheusText.sum(scrape, "kafka_producer_record_queue_time_avg{", "kafka_producer_record_queue_time_avg ").orElse(Double.NaN);
    double request = PrometheusText.sum(scrape, "kafka_producer_request_latency_avg{", "kafka_producer_request_latency_avg ").orElse(Double.NaN);
    if (Double.isNaN(wait) || Double.isNaN(request)) return "";
    return String.format("  kafka-record-wait=%.2fms  kafka-request=%.2fms", wait, request);
  }

  /** The sum of {@code jvm_memory_used_bytes} in a Prometheus scrape, in MB; -1 when absent. */
  static long jvmMemoryUsedMb(String scrape) {
    if (scrape == null) return -1;
    java.util.OptionalDouble bytes = PrometheusText.sum(scrape, "jvm_memory_used_bytes{", "jvm_memory_used_bytes ");
    return bytes.isPresent() ? (long) (bytes.getAsDouble() / (1 << 20)) : -1;
  }

  /** {@code bXXXX-}: as long as {@code bench-}, so the records keep their size, and new on every run. */
  static String runPrefix() {
    String digits = Long.toString(java.util.concurrent.ThreadLocalRandom.current().nextLong(36L * 36 * 36 * 36), 36);
    return "b" + "0".repeat(4 - digits.length()) + digits + "-";
  }

  static List<String[]> provision(String base, String admin, String prefix, int n) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    List<String[]> out = new ArrayList<>();
    for (int i = 1; i <= n; i++) {
      String id = String.format("%s%04d", prefix, i);
      HttpResponse<String> r = c.send(HttpRequest.newBuilder(URI.create(base + "/api/v1/devices"))
          .header("Authorization", "Bearer " + admin).header("Content-Type", "application/json")
          .POST(HttpRequest.BodyPublishers.ofString("{\"deviceId\":\"" + id + "\"}")).build(), HttpResponse.BodyHandlers.ofString());
      if (r.statusCode() != 201) throw new IllegalStateException("provisioning " + id + ": " + r.statusCode() + " " + r.body());
      out.add(new String[] {id, new JsonObject(r.body()).getString("secret")});
    }
    return out;
  }

  /** The MQTT load of the target (16 devices, window 10) against the node, printed. */
  private LoadResult mqttOnCodex(MqttGenerator generator, String name, BenchServer server, List<String[]> users, String record) throws Exception {
    mark(server);
    LoadResult r = generator.run(name, server.mqttHost, server.mqttPort, MQTT_WINDOW, seconds, users, record);
    print(r, server);
    return r;
  }

  /** The same MQTT load against a local Mosquitto (no persistence), when it is installed. */
  private LoadResult mosquitto(MqttGenerator mqtt, String name) throws Exception {
    if (!Files.isExecutable(MOSQUITTO)) {
      out.add("mosquitto-qos1   skipped: mosquitto is not installed (apt-get install mosquitto)");
      System.out.println(out.get(out.size() - 1));
      return null;
    }
    int port = FreePorts.next();
    Process p = startMosquitto(port, 100_000);
    try {
      List<String[]> users = mosquittoUsers();
      long brokerCpu = BenchServer.cpuMillis(p.pid());
      long ownCpu = ownCpuMillis();
      StolenTime stolen = StolenTime.start();
      LoadResult r = mqtt.run(name, "127.0.0.1", port, MQTT_WINDOW, seconds, users, record("bench-0001"));
      String steal = stolen.since();
      out.add(r.line(String.format("  mosquitto-cpu=%.1fus/rec  generator-cpu=%.1fus/rec%s  (reference broker, nothing durable)",
          (BenchServer.cpuMillis(p.pid()) - brokerCpu) * 1000.0 / Math.max(1, r.records()), (ownCpuMillis() - ownCpu) * 1000.0 / Math.max(1, r.records()),
          steal)));
      System.out.println(out.get(out.size() - 1));
      return r;
    } finally {
      p.destroy();
    }
  }

  /**
   * A local Mosquitto (apt's) on {@code port}: anonymous, no persistence, at most {@code maxQueued}
   * messages queued per subscriber (0: no limit); started, half a second given to bind.
   */
  static Process startMosquitto(int port, int maxQueued) throws Exception {
    Path conf = Files.createTempFile("mosquitto", ".conf");
    conf.toFile().deleteOnExit();
    Files.writeString(conf, "listener " + port + " 127.0.0.1\nallow_anonymous true\npersistence false\nmax_queued_messages "
        + maxQueued + "\n");
    Process p = new ProcessBuilder(MOSQUITTO.toString(), "-c", conf.toString()).redirectErrorStream(true)
        .redirectOutput(ProcessBuilder.Redirect.DISCARD).start();
    Thread.sleep(500);
    return p;
  }

  private static List<String[]> mosquittoUsers() {
    List<String[]> users = new ArrayList<>();
    for (int i = 0; i < MQTT_CONNECTIONS; i++) users.add(new String[] {null, null, "telemetry/bench-" + i});
    return users;
  }

  /**
   * The MQTT loads once more, Codex and Mosquitto taking turns in short slices: {@link
   * #INTERLEAVED_ROUNDS} rounds, in each of which every generator drives Codex and then Mosquitto
   * for {@code seconds / rounds}. This machine's speed swings by almost half for seconds at a time
   * (an idle single-threaded loop counted 341,000 to 624,000 iterations per second), so scenarios
   * measured minutes apart compare the machine's moods as much as the brokers; taking turns shares
   * the moods out. Prints each turn's rates as it goes, then each broker's rate per generator and the ratios.
   */
  private void interleaved(BenchServer server, Map<String, MqttGenerator> generators, List<String[]> codexUsers, String codexRecord)
      throws Exception {
    int port = FreePorts.next();
    Process p = startMosquitto(port, 100_000);
    List<String[]> mosquittoUsers = mosquittoUsers();
    double slice = Math.max(1, seconds / INTERLEAVED_ROUNDS);
    Map<String, double[]> codex = new java.util.LinkedHashMap<>();       // generator -> {records, seconds}
    Map<String, double[]> mosquitto = new java.util.LinkedHashMap<>();
    try {
      for (int round = 0; round < INTERLEAVED_ROUNDS; round++) {
        for (Map.Entry<String, MqttGenerator> g : generators.entrySet()) {
          LoadResult c = g.getValue().run("interleaved", server.mqttHost, server.mqttPort, MQTT_WINDOW, slice, codexUsers, codexRecord);
          // what a broker still does after its turn (Codex's live feed catching up, a GC) is left
          // out of the other's turn
          Thread.sleep(INTERLEAVED_PAUSE_MS);
          LoadResult m = g.getValue().run("interleaved", "127.0.0.1", port, MQTT_WINDOW, slice, mosquittoUsers, record("bench-0001"));
          System.out.printf("  turn %d, %s generator: codex=%,.0f msg/s  mosquitto=%,.0f msg/s%n", round + 1, g.getKey(),
              c.recordsPerSecond(), m.recordsPerSecond());
          Thread.sleep(INTERLEAVED_PAUSE_MS);
          add(codex.computeIfAbsent(g.getKey(), k -> new double[2]), c);
          add(mosquitto.computeIfAbsent(g.getKey(), k -> new double[2]), m);
        }
      }
    } finally {
      p.destroy();
    }
    double bestCodex = 0;
    double bestMosquitto = 0;
    for (String g : generators.keySet()) {
      double c = codex.get(g)[0] / codex.get(g)[1];
      double m = mosquitto.get(g)[0] / mosquitto.get(g)[1];
      bestCodex = Math.max(bestCodex, c);
      bestMosquitto = Math.max(bestMosquitto, m);
      String line = String.format("%-16s %-22s codex=%,10.0f msg/s  mosquitto=%,10.0f msg/s  ratio=%.2f  (%d turns of %.0f s each)",
          "interleaved", g + " generator", c, m, c / m, INTERLEAVED_ROUNDS, slice);
      out.add(line);
      System.out.println(line);
    }
    if (generators.size() > 1) {
      out.add(String.format("ratio mqtt interleaved, each with its better generator = %.2f  (target >= 1.00)", bestCodex / bestMosquitto));
    }
  }

  private static void add(double[] sum, LoadResult r) {
    sum[0] += r.records();
    sum[1] += r.seconds();
  }

  static final String RAW_TOPIC = "codex.bench-raw";
  private static final Pattern RAW_TOTAL =
      Pattern.compile("(\\d+) records sent, ([\\d.]+) records/sec.*?([\\d.]+) ms 50th, ([\\d.]+) ms 95th, ([\\d.]+) ms 99th");

  /**
   * A JVM running {@code mainClass} (ProducerPerformance or {@link RawProducerTurns}) with
   * ProducerPerformance's arguments but the record count: 200 B, acks=all, idempotent, batching as
   * Codex's producer does.
   */
  static List<String> rawCommand(String mainClass, String bootstrap) {
    return List.of(ProcessHandle.current().info().command().orElse("java"), "-Xmx512m", "-cp", System.getProperty("java.class.path"),
        mainClass, "--topic", RAW_TOPIC, "--record-size", "200", "--throughput", "-1", "--producer-props",
        "bootstrap.servers=" + bootstrap, "acks=all", "enable.idempotence=true", "linger.ms=5", "batch.size=131072",
        "compression.type=lz4");
  }

  /** Kafka's own ProducerPerformance, same record size, acks=all, idempotent, on the same broker. */
  private double rawKafka(BenchServer server) throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", server.bootstrap()))) {
      // the cluster's default replication factor: on a node's own cluster (--url) one replica may be
      // below its min.insync.replicas, and every acks=all send would fail
      if (!admin.listTopics().names().get().contains(RAW_TOPIC)) {
        admin.createTopics(List.of(new NewTopic(RAW_TOPIC, java.util.Optional.of(6), java.util.Optional.empty()))).all().get();
      }
    }
    long records = (long) Math.max(500_000, 400_000 * seconds);
    List<String> cmd = new ArrayList<>(rawCommand("org.apache.kafka.tools.ProducerPerformance", server.bootstrap()));
    cmd.addAll(List.of("--num-records", Long.toString(records)));
    StolenTime stolen = StolenTime.start();
    Process p = new ProcessBuilder(cmd).redirectErrorStream(true).start();
    String last = null;
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) {
        if (line.contains("records sent")) last = line;
      }
    }
    p.waitFor();
    Matcher m = last == null ? null : RAW_TOTAL.matcher(last);
    if (m == null || !m.find()) throw new IllegalStateException("ProducerPerformance printed no result: " + last);
    double rate = Double.parseDouble(m.group(2));
    String line = String.format("%-16s %-22s records/s=%,10.0f  p50=%7.2fms  p99=%7.2fms%s  (ProducerPerformance in a new JVM, 200 B, acks=all, idempotent)",
        "kafka-raw", "1 producer", rate, Double.parseDouble(m.group(3)), Double.parseDouble(m.group(5)), stolen.since());
    out.add(line);
    System.out.println(line);
    return rate;
  }

  /**
   * HTTP 100 records/request and Kafka's ProducerPerformance taking turns, as the MQTT brokers do
   * ({@link #interleaved}): {@link #INTERLEAVED_ROUNDS} rounds of the HTTP load for a fifth of the
   * duration, then the producer for about as long (a record count from its last rate), half a second
   * apart. The producer runs in one child JVM ({@link RawProducerTurns}) that first produces for
   * {@link #RAW_WARM_UP_SECONDS} in turns of its own, so that no measured turn includes its JIT
   * compiler's work (its rate still rises by a third over its first 10 s). Its turns include creating
   * the producer, as its one-shot run does. Prints each turn's rates as it goes, then the sums and their ratio.
   */
  private double interleavedHttp(BenchServer server, HttpLoad http, boolean wrk, String url, int connections,
      List<String[]> bodies, List<String[]> devices, double rawRate) throws Exception {
    Process p = new ProcessBuilder(rawCommand(RawProducerTurns.class.getName(), server.bootstrap())).redirectErrorStream(true).start();
    double slice = Math.max(1, seconds / INTERLEAVED_ROUNDS);
    try (BufferedReader from = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8));
        java.io.Writer to = new java.io.OutputStreamWriter(p.getOutputStream(), StandardCharsets.UTF_8)) {
      double rate = rawRate;
      // warms the new JVM up: its first turns run slower while its compiler works
      for (double warm = 0; warm < RAW_WARM_UP_SECONDS; ) {
        double[] turn = rawTurn(from, to, Math.max(10_000, (long) (rate * slice)));
        warm += turn[1];
        rate = turn[0] / turn[1];
        System.out.printf("  warm-up turn: kafka-raw=%,.0f records/s%n", rate);
      }
      double[] codex = new double[2];   // {records, seconds}
      double[] raw = new double[2];
      for (int round = 0; round < INTERLEAVED_ROUNDS; round++) {
        LoadResult mine = closedLoop(http, wrk, url, "interleaved", connections, 100, slice, bodies, devices);
        add(codex, mine);
        Thread.sleep(INTERLEAVED_PAUSE_MS);
        double[] turn = rawTurn(from, to, Math.max(10_000, (long) (rate * slice)));
        raw[0] += turn[0];
        raw[1] += turn[1];
        rate = turn[0] / turn[1];
        System.out.printf("  turn %d: codex=%,.0f records/s  kafka-raw=%,.0f records/s%n", round + 1, mine.recordsPerSecond(), rate);
        Thread.sleep(INTERLEAVED_PAUSE_MS);
      }
      double c = codex[0] / codex[1];
      double k = raw[0] / raw[1];
      String line = String.format("%-16s %-22s codex=%,10.0f records/s  kafka-raw=%,10.0f records/s  ratio=%.2f  (%d turns of %.0f s each)",
          "interleaved", "http-100rec c=" + connections, c, k, c / k, INTERLEAVED_ROUNDS, slice);
      out.add(line);
      System.out.println(line);
      return c / k;
    } finally {
      p.destroy();
    }
  }

  /** One turn of {@link RawProducerTurns}: {records sent, seconds} from ProducerPerformance's total line. */
  static double[] rawTurn(BufferedReader from, java.io.Writer to, long records) throws java.io.IOException {
    to.write(records + "\n");
    to.flush();
    Matcher total = null;
    for (String line; (line = from.readLine()) != null; ) {
      if (line.equals(RawProducerTurns.TURN_DONE)) break;
      Matcher m = RAW_TOTAL.matcher(line);
      if (total == null && m.find()) total = m;
    }
    if (total == null) throw new IllegalStateException("ProducerPerformance printed no result for a turn of " + records + " records");
    double sent = Double.parseDouble(total.group(1));
    return new double[] {sent, sent / Double.parseDouble(total.group(2))};
  }

  /**
   * HTTP 100 records/request for the soak duration in 30 s intervals, one line per interval with
   * the rate and the server's RSS; the summary compares the RSS of the first and the second half
   * (the JVM commits heap up to its cap early on; a leak keeps growing in the second half).
   */
  private void soak(HttpLoad http, List<String[]> devices, String url, List<String[]> hundreds, BenchServer server)
      throws Exception {
    long total = soak.toSeconds();
    int interval = (int) Math.min(30, Math.max(5, total / 4));
    List<long[]> samples = new ArrayList<>();   // {elapsed s, rss MB}
    long records = 0;
    long t0 = System.nanoTime();
    long elapsed;
    while ((elapsed = (System.nanoTime() - t0) / 1_000_000_000L) < total) {
      double slice = Math.min(interval, total - elapsed);
      LoadResult r = closedLoop(http, WrkLoad.available(), url, "soak", 16, 100, slice, hundreds, devices);
      records += r.records();
      long rss = serverMemoryMb(server);
      long at = (System.nanoTime() - t0) / 1_000_000_000L;
      samples.add(new long[] {at, rss});
      System.out.printf("soak t=%4ds  %,10.0f records/s  p99 %6.1f ms  %s %d MB%n", at, r.recordsPerSecond(),
          r.latencies().percentileMs(99), server.local() ? "server-rss" : "server-jvm-memory", rss);
    }
    int half = samples.size() / 2;
    long firstHalfMax = samples.subList(0, Math.max(1, half)).stream().mapToLong(x -> x[1]).max().orElse(-1);
    long secondMin = samples.subList(half, samples.size()).stream().mapToLong(x -> x[1]).min().orElse(-1);
    long secondMax = samples.subList(half, samples.size()).stream().mapToLong(x -> x[1]).max().orElse(-1);
    long last = samples.get(samples.size() - 1)[1];
    out.add(String.format("soak             %-22s records=%,d  %s first=%dMB first-half-max=%dMB second-half=%d..%dMB last=%dMB"
            + "  (second-half growth %+d MB)",
        total + "s http-100rec", records, server.local() ? "server-rss" : "server-jvm-memory", samples.get(0)[1], firstHalfMax, secondMin, secondMax, last,
        last - samples.get(half)[1]));
  }
}
