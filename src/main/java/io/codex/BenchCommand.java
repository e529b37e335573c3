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
        + "embed (Tableau tokens and Looker URLs, in-process and through the HTTP API).")
final class BenchCommand implements Callable<Integer> {
  @Parameters(index = "0", description = "ingest or embed")
  String scenario;

  @Option(names = "--duration", defaultValue = "10s", description = "per scenario (default ${DEFAULT-VALUE})")
  String duration;

  @Option(names = "--warm-up", defaultValue = "30s", description = "load before measuring, while the JIT compiles (default ${DEFAULT-VALUE})")
  String warmUp;

  @Option(names = "--soak", description = "also run HTTP load this long and report the server's RSS (e.g. 5m)")
  String soak;

  @Override
  public Integer call() throws Exception {
    Duration d = ConfigReader.parseDuration("--duration", duration);
    Duration s = soak == null ? null : ConfigReader.parseDuration("--soak", soak);
    return switch (scenario) {
      case "ingest" -> new io.codex.bench.IngestBenchLauncher().run(d.toMillis() / 1000.0,
          ConfigReader.parseDuration("--warm-up", warmUp).toMillis() / 1000.0, s);
      case "embed" -> new io.codex.bench.EmbedBenchLauncher().run(d.toMillis() / 1000.0);
      default -> {
        System.err.println("codex bench: unknown scenario \"" + scenario + "\" (available: ingest, embed)");
        yield 2;
      }
    };
  }
}
