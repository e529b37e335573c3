package io.codex;

import io.codex.config.ConfigReader;
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
}
