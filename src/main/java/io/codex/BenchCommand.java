package io.codex;

import io.codex.config.ConfigReader;
import java.net.URI;
import java.time.Duration;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Parameters;

/** {@code codex bench <scenario>}: prints one result line per scenario. */
@Command(name = "bench", mixinStandardHelpOptions = true,
    description = "Benchmarks that print numbers: ingest (HTTP, MQTT, with raw Kafka and Mosquitto side by side); "
        + "embed (Tableau tokens and Looker URLs, in-process and through the HTTP API); "
        + "livemap (WebSocket clients while devices report); "
        + "geo (offline geocoding, forward and reverse, in-process and through the HTTP API).")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "ingest | embed | livemap | geo")
  String scenario;

  @Option(names = "--duration", defaultValue = "10s", description = "per scenario (default ${DEFAULT-VALUE})")
  String duration;

  @Option(names = "--warm-up", defaultValue = "30s", description = "load before measuring, while the JIT compiles (default ${DEFAULT-VALUE})")
  String warmUp;

  @Option(names = "--soak", description = "also run the load this long and report the server's RSS (e.g. 5m)")
  String soak;

  @Option(names = "--only", split = ",", description = "ingest: run only these scenarios (http-1rec, http-1rec-rate, "
      + "http-100rec, mqtt-qos1, mosquitto-qos1, mqtt-qos1-vertx, mosquitto-qos1-vertx, kafka-raw; default all); the warm-up "
      + "drives only their loads")
  java.util.Set<String> only = new java.util.LinkedHashSet<>();

  @Option(names = "--mqtt-rate", defaultValue = "0", description = "ingest: pace mqtt-qos1 and mosquitto-qos1 to this many "
      + "messages/s, to compare CPU per message at one rate (default 0: as fast as the windows allow)")
  double mqttRate;

  @Option(names = "--url", description = "ingest: drive a node already running at this URL (http://host:port) instead of "
      + "starting one in embedded mode")
  String url;

  @Option(names = "--mqtt-url", description = "ingest, with --url: the node's MQTT listener (default tcp://<the URL's host>:1883)")
  String mqttUrl;

  @Option(names = "--kafka", description = "ingest, with --url: the Kafka bootstrap servers of the node's cluster, where Kafka's "
      + "own producer runs for the ratio (default: kafka-raw is skipped)")
  String kafka;

  @Option(names = "--token", description = "ingest, with --url: an admin token, to register the bench's devices and read "
      + "/metrics (default: env CODEX_TOKEN, else minted with the local data dir's key)")
  String token;

  @Option(names = "--clients", defaultValue = "100", description = "livemap: WebSocket clients subscribed world-wide (default ${DEFAULT-VALUE})")
  int clients;

  @Option(names = "--devices", defaultValue = "500", description = "livemap: devices reporting (default ${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--rate", defaultValue = "5000", description = "livemap: device updates per second in (default ${DEFAULT-VALUE})")
  int rate;

  @Option(names = "--stalled", defaultValue = "0", description = "livemap: extra clients that never read (default ${DEFAULT-VALUE})")
  int stalled;

  @Override
  public Integer call() throws Exception {
    Duration d = ConfigReader.parseDuration("--duration", duration);
    Duration s = soak == null ? null : ConfigReader.parseDuration("--soak", soak);
    for (String name : only) {
      if (!scenario.equals("ingest") || !io.codex.bench.IngestBenchLauncher.SCENARIOS.contains(name)) {
        System.err.println("codex bench: --only \"" + name + "\" is not a scenario of bench ingest (available: "
            + String.join(", ", io.codex.bench.IngestBenchLauncher.SCENARIOS) + ")");
        return 2;
      }
    }
    if ((url == null) && (mqttUrl != null || kafka != null || token != null) || url != null && !scenario.equals("ingest")) {
      System.err.println("codex bench: --url, --mqtt-url, --kafka and --token go together, with bench ingest --url");
      return 2;
    }
    if (url != null) return remoteIngest(d, s);
    return switch (scenario) {
      case "ingest" -> new io.codex.bench.IngestBenchLauncher().run(d.toMillis() / 1000.0,
          ConfigReader.parseDuration("--warm-up", warmUp).toMillis() / 1000.0, s, only, mqttRate);
      case "embed" -> new io.codex.bench.EmbedBenchLauncher().run(d.toMillis() / 1000.0);
      case "livemap" -> new io.codex.bench.LiveMapBench(clients, devices, rate, stalled, d.toMillis() / 1000.0,
          ConfigReader.parseDuration("--warm-up", warmUp).toMillis() / 1000.0, s).run();
      case "geo" -> new io.codex.bench.GeoBench(d.toMillis() / 1000.0,
          ConfigReader.parseDuration("--warm-up", warmUp).toMillis() / 1000.0).run();
      default -> {
        System.err.println("codex bench: unknown scenario \"" + scenario + "\" (available: ingest, embed, livemap, geo)");
        yield 2;
      }
    };
  }

  /** {@code bench ingest --url …}: the node already running, checked and named before anything is sent. */
  private int remoteIngest(Duration d, Duration s) throws Exception {
    URI http;
    URI mqtt;
    try {
      http = endpoint("--url", url, "http", 80);
      mqtt = endpoint("--mqtt-url", mqttUrl != null ? mqttUrl : "tcp://" + http.getHost() + ":1883", "tcp", 1883);
    } catch (IllegalArgumentException e) {
      System.err.println("codex bench: " + e.getMessage());
      return 2;
    }
    String admin = token != null ? token : System.getenv("CODEX_TOKEN");
    if (admin == null) {
      io.vertx.core.Vertx vertx = io.vertx.core.Vertx.vertx();
      try {
        admin = io.codex.launcher.AuthBootstrap.localToken(vertx, Cli.loadConfig(null, java.util.Map.of()),
            io.codex.security.Role.ADMIN, Duration.ofHours(2));
      } finally {
        vertx.close();
      }
    }
    String refused = io.codex.bench.IngestBenchLauncher.preflight(http, admin);
    if (refused != null) {
      System.err.println("codex bench: " + refused);
      return 1;
    }
    return new io.codex.bench.IngestBenchLauncher().run(d.toMillis() / 1000.0,
        ConfigReader.parseDuration("--warm-up", warmUp).toMillis() / 1000.0, s, only, mqttRate, http, mqtt, kafka, admin);
  }

  /** {@code scheme://host[:port]} with nothing after it; the port defaulted. */
  static URI endpoint(String option, String value, String scheme, int defaultPort) {
    URI u;
    try {
      u = new URI(value.endsWith("/") ? value.substring(0, value.length() - 1) : value);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(option + ": not a URL: " + value);
    }
    boolean mqtt = scheme.equals("tcp") && "mqtt".equals(u.getScheme());
    if (!scheme.equals(u.getScheme()) && !mqtt || u.getHost() == null || u.getRawPath() != null && !u.getRawPath().isEmpty()
        || u.getQuery() != null) {
      throw new IllegalArgumentException(option + ": expected " + scheme + "://host[:port] (the bench's clients do not speak TLS), got " + value);
    }
    try {
      return new URI(scheme, null, u.getHost(), u.getPort() < 0 ? defaultPort : u.getPort(), null, null, null);
    } catch (java.net.URISyntaxException e) {
      throw new IllegalArgumentException(option + ": not a URL: " + value);
    }
  }
}
