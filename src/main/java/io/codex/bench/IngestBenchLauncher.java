package io.codex.bench;

import java.net.URI;
import java.time.Duration;

/** The public door to {@link IngestBench} for the command line. */
public final class IngestBenchLauncher {
  public static final java.util.List<String> SCENARIOS = IngestBench.SCENARIOS;

  /** Starts a node in embedded mode and drives it. */
  public int run(double seconds, double warmUpSeconds, Duration soak, java.util.Set<String> only, double mqttRate) throws Exception {
    return new IngestBench(seconds, warmUpSeconds, soak, only, mqttRate).run();
  }

  /**
   * Drives a node already running: its API at {@code http} ({@code http://host:port}), its MQTT
   * listener at {@code mqtt} ({@code tcp://host:port}), Kafka's producer on {@code kafka} (null:
   * not run), devices registered with {@code adminToken}.
   */
  public int run(double seconds, double warmUpSeconds, Duration soak, java.util.Set<String> only, double mqttRate,
      URI http, URI mqtt, String kafka, String adminToken) throws Exception {
    IngestBench.Target target = new IngestBench.Target(http.getHost(), http.getPort(), mqtt.getHost(), mqtt.getPort(), kafka, adminToken);
    return new IngestBench(seconds, warmUpSeconds, soak, only, mqttRate, target).run();
  }
}
