package io.codex.bench;

import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;

/**
 * The server under test: a Codex node in embedded mode, started as its own process from this jar
 * (with the same JVM limits as {@code codex run}), in a throw-away data dir, measured apart from
 * the load generator; or a node already running elsewhere ({@link #remote}), whose process this
 * machine cannot see (no CPU, RSS or thread figures: those readings are -1 or empty).
 */
final class BenchServer implements AutoCloseable {
  /** The data dir of a node started here; null for a remote one. */
  final Path dataDir;
  final String host;
  final int httpPort;
  final String mqttHost;
  final int mqttPort;
  /** The Kafka bootstrap servers of the node's broker; null when not known (a remote node without {@code --kafka}). */
  private final String bootstrap;
  private final Process process;

  private BenchServer(Path dataDir, String host, int httpPort, String mqttHost, int mqttPort, String bootstrap, Process process) {
    this.dataDir = dataDir;
    this.host = host;
    this.httpPort = httpPort;
    this.mqttHost = mqttHost;
    this.mqttPort = mqttPort;
    this.bootstrap = bootstrap;
    this.process = process;
  }

  /** A node already running: its HTTP API, MQTT listener and (if known) Kafka brokers. */
  static BenchServer remote(String host, int httpPort, String mqttHost, int mqttPort, String bootstrap) {
    return new BenchServer(null, host, httpPort, mqttHost, mqttPort, bootstrap, null);
  }

  boolean local() {
    return process != null;
  }

  /** {@code http://host:port}. */
  String baseUrl() {
    return "http://" + host + ":" + httpPort;
  }

  private long pid() {
    return process == null ? -1 : process.pid();
  }

  /**
   * The JVM flags {@code run} would relaunch with, from the defaults and this environment
   * ({@code CODEX_JVM_MAX_HEAP}, {@code CODEX_JVM_OPTIONS}, ...), so a bench server can be run
   * with other JVM settings the way a node would.
   */
  static List<String> runJvmFlags(Map<String, String> env) {
    return io.codex.launcher.JvmLimits.jvmFlags(io.codex.launcher.LaunchSettings.from(
        io.codex.launcher.ConfigLoader.load(null, env, new java.util.Properties(), Map.of()).config()));
  }

  /** Starts a node in embedded mode with {@code env} added to this process's environment. */
  static BenchServer start(Map<String, String> env) throws Exception {
    Path dir = Files.createTempDirectory("codex-bench");
    int http = FreePorts.next();
    int mqtt = FreePorts.next();
    int kafka = FreePorts.next();
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(runJvmFlags(System.getenv()));
    cmd.add("-Dcodex.relaunched=true");
    cmd.add("-Dcodex.logLevel=WARN");
    cmd.addAll(List.of("-cp", System.getProperty("java.class.path"), "io.codex.Codex", "run",
        "--data-dir", dir.resolve("data").toString(), "--http-port", Integer.toString(http), "--mqtt-port", Integer.toString(mqtt)));
    ProcessBuilder pb = new ProcessBuilder(cmd).redirectErrorStream(true).redirectOutput(dir.resolve("server.log").toFile());
    pb.environment().put("CODEX_KAFKA_EMBEDDED_PORT", Integer.toString(kafka));
    pb.environment().put("CODEX_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(FreePorts.next()));
    pb.environment().putAll(env);
    BenchServer s = new BenchServer(dir.resolve("data"), "127.0.0.1", http, "127.0.0.1", mqtt, "127.0.0.1:" + kafka, pb.start());
    s.awaitReady(Duration.ofSeconds(90));
    return s;
  }

  private void awaitReady(Duration timeout) throws Exception {
    HttpClient c = HttpClient.newHttpClient();
    long deadline = System.nanoTime() + timeout.toNanos();
    while (System.nanoTime() < deadline) {
      if (!process.isAlive()) throw new IllegalStateException("the bench server exited; see " + dataDir.getParent().resolve("server.log"));
      try {
        HttpResponse<Void> r = c.send(HttpRequest.newBuilder(URI.create("http://127.0.0.1:" + httpPort + "/health/ready")).build(),
            HttpResponse.BodyHandlers.discarding());
        if (r.statusCode() == 200) return;
      } catch (IOException notYet) {
        // starting
      }
      Thread.sleep(200);
    }
    throw new IllegalStateException("the bench server was not ready within " + timeout);
  }

  /** The Kafka bootstrap servers of the node's broker; null when not known. */
  String bootstrap() {
    return bootstrap;
  }

  /** Resident memory of the server process, in MB; -1 when unknown (a remote node). */
  long rssMb() {
    if (process == null) return -1;
    try {
      for (String line : Files.readAllLines(Path.of("/proc", Long.toString(process.pid()), "status"))) {
        if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", "")) / 1024;
      }
    } catch (IOException e) {
      return -1;
    }
    return -1;
  }

  /**
   * CPU time the server process has used so far (user + system), in ms; -1 when unknown. Unlike
   * a rate, it hardly depends on what else the machine runs at the time.
   */
  long cpuMillis() {
    return cpuMillis(pid());
  }

  /** CPU time process {@code pid} has used so far (user + system), in ms; -1 when unknown. */
  static long cpuMillis(long pid) {
    try {
      return statMillis(Files.readString(Path.of("/proc", Long.toString(pid), "stat")));
    } catch (IOException | RuntimeException e) {
      return -1;
    }
  }

  /**
   * CPU time the server's JIT compiler threads have used so far, in ms (-1 when unknown): the part
   * of its CPU that goes to compiling rather than to the load.
   */
  long compilerCpuMillis() {
    return threadCpuMillis(pid(), name -> name.startsWith("C1 Compiler") || name.startsWith("C2 Compiler"));
  }

  /** CPU time (ms) of the threads of {@code pid} whose name (as /proc shows it: 15 characters at most) matches. */
  static long threadCpuMillis(long pid, java.util.function.Predicate<String> name) {
    Map<String, Long> byGroup = threadCpuMillisByGroup(pid, n -> name.test(n) ? "yes" : "no");
    return byGroup == null ? -1 : byGroup.getOrDefault("yes", 0L);
  }

  /**
   * CPU time (ms) so far of the server's threads by what they do: its event loops, Kafka's
   * producer I/O thread, the embedded broker's request path, the live feed's consumer, GC, the JIT
   * compiler, and the rest ({@link #threadGroup}). Empty when unknown. A thread that ends between
   * two readings takes its time with it.
   */
  Map<String, Long> cpuMillisByThreadGroup() {
    Map<String, Long> m = threadCpuMillisByGroup(pid(), BenchServer::threadGroup);
    return m == null ? Map.of() : m;
  }

  /** The group of {@link #cpuMillisByThreadGroup} a server thread belongs to, by its name as /proc shows it. */
  static String threadGroup(String name) {
    if (name.startsWith("vert.x-eventloo")) return "event loops";
    if (name.startsWith("kafka-producer-")) return "Kafka producer";
    if (name.startsWith("data-plane-kafk")) return "broker";
    if (name.startsWith("codex-telemetry")) return "live feed";
    if (name.startsWith("GC Thread") || name.startsWith("G1 ")) return "GC";
    if (name.startsWith("C1 CompilerThre") || name.startsWith("C2 CompilerThre")) return "JIT";
    return "other";
  }

  /** CPU time (ms) of the threads of {@code pid}, summed by {@code group} of their names; null when unknown. */
  static Map<String, Long> threadCpuMillisByGroup(long pid, java.util.function.Function<String, String> group) {
    Map<String, Long> sums = new java.util.HashMap<>();
    try (java.nio.file.DirectoryStream<Path> tasks = Files.newDirectoryStream(Path.of("/proc", Long.toString(pid), "task"))) {
      for (Path task : tasks) {
        try {
          String stat = Files.readString(task.resolve("stat"));
          sums.merge(group.apply(stat.substring(stat.indexOf('(') + 1, stat.lastIndexOf(')'))), statMillis(stat), Long::sum);
        } catch (IOException | RuntimeException ended) {
          // the thread ended while listed
        }
      }
      return sums;
    } catch (IOException e) {
      return null;
    }
  }

  /**
   * {@code (server CPU by thread: event loops 58 %, …)}: each group's share of what the server's
   * threads used between two readings of {@link #cpuMillisByThreadGroup}, largest first (groups
   * that used nothing left out); "" when unknown.
   */
  static String cpuSplit(Map<String, Long> before, Map<String, Long> after) {
    Map<String, Long> used = new java.util.HashMap<>();
    after.forEach((g, ms) -> used.put(g, Math.max(0, ms - before.getOrDefault(g, 0L))));
    long total = used.values().stream().mapToLong(Long::longValue).sum();
    if (total <= 0) return "";
    StringBuilder b = new StringBuilder("(server CPU by thread: ");
    used.entrySet().stream().filter(e -> e.getValue() > 0)
        .sorted(Map.Entry.<String, Long>comparingByValue().reversed().thenComparing(Map.Entry.comparingByKey()))
        .forEach(e -> b.append(e.getKey()).append(' ').append(Math.round(e.getValue() * 100.0 / total)).append(" %, "));
    return b.substring(0, b.length() - 2) + ")";
  }

  /** user + system time of a /proc stat line, in ms. */
  static long statMillis(String stat) {
    String[] f = stat.substring(stat.lastIndexOf(')') + 2).split(" ");
    // fields 14 and 15 of stat (utime, stime), counted after the command name; USER_HZ is 100 on Linux
    return (Long.parseLong(f[11]) + Long.parseLong(f[12])) * 10;
  }

  @Override
  public void close() throws Exception {
    if (process == null) return;
    process.destroy();
    if (!process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS)) {
      process.destroyForcibly();
      process.waitFor(30, java.util.concurrent.TimeUnit.SECONDS);
    }
    // the broker's log of a full run is several GB: only server.log stays, next to where it was
    deleteRecursively(dataDir);
  }

  static void deleteRecursively(Path dir) throws java.io.IOException {
    if (!Files.exists(dir)) return;
    try (java.util.stream.Stream<Path> paths = Files.walk(dir)) {
      for (Path p : paths.sorted(java.util.Comparator.reverseOrder()).toList()) Files.deleteIfExists(p);
    }
  }
}
