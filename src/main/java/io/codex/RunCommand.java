package io.codex;

import io.codex.config.ConfigException;
import io.codex.launcher.AuthBootstrap;
import io.codex.launcher.JvmLimits;
import io.codex.launcher.LaunchSettings;
import io.codex.launcher.Platform;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;
import picocli.CommandLine.Spec;
import picocli.CommandLine.Model.CommandSpec;

/** {@code codex run}: the platform, in embedded mode unless configured otherwise. */
@Command(name = "run", mixinStandardHelpOptions = true, description = "Run Codex (embedded mode unless configured otherwise).")
final class RunCommand implements Callable<Integer> {
  @Spec CommandSpec spec;

  @Option(names = "--data-dir", description = "where embedded mode keeps its state (default ./data)")
  Path dataDir;

  @Option(names = "--http-port", description = "REST, WebSocket, map and metrics port (default 8080)")
  Integer httpPort;

  @Option(names = "--mqtt-port", description = "MQTT port (default 1883)")
  Integer mqttPort;

  @Option(names = "--cluster", description = "join a Hazelcast cluster (cluster-config/cluster.xml)")
  boolean cluster;

  @Option(names = "--simulate", description = "also run a simulated fleet of N devices, each reporting once a second over MQTT")
  Integer simulate;

  @Option(names = "--config", description = "config file (default conf/config.yaml when present)")
  Path config;

  @Override
  public Integer call() throws Exception {
    Map<String, Object> flags = new HashMap<>();
    if (dataDir != null) flags.put("dataDir", dataDir.toString());
    if (httpPort != null) flags.put("http.port", httpPort);
    if (mqttPort != null) flags.put("mqtt.port", mqttPort);
    if (cluster) flags.put("cluster.enabled", true);
    Platform platform;
    try {
      JsonObject cfg = Cli.loadConfig(config, flags);
      LaunchSettings launch = LaunchSettings.from(cfg);
      if (JvmLimits.needsRelaunch(launch)) {
        return JvmLimits.relaunch(launch, spec.commandLine().getParseResult().originalArgs());
      }
      platform = Platform.prepare(cfg);
    } catch (ConfigException e) {
      return Cli.badConfig(e);
    }
    if (simulate != null && simulate < 1) {
      System.err.println("codex: --simulate needs a number of devices >= 1");
      return 2;
    }
    CountDownLatch stopped = new CountDownLatch(1);
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      platform.close();
      stopped.countDown();
    }, "codex-shutdown"));
    try {
      platform.start();
    } catch (Exception e) {
      System.err.println("codex: start failed: " + e.getMessage());
      return 1;
    }
    printBanner(platform);
    if (simulate != null) startSimulator(platform, simulate);
    stopped.await();
    return 0;
  }

  private static void startSimulator(Platform p, int devices) {
    var tokens = io.codex.security.TokenService.create(p.vertx(), io.codex.security.AuthSettings.from(p.config()));
    String admin = tokens.issue("cli-simulator", java.util.EnumSet.of(io.codex.security.Role.ADMIN), null, java.time.Duration.ofDays(1));
    int mqttPort = io.codex.ingest.IngestConfig.from(p.config()).mqttPort();
    var sim = new io.codex.simulate.Simulator(p.vertx(), new io.codex.simulate.Simulator.Settings(devices, devices,
        io.codex.simulate.Simulator.Protocol.MQTT, "http://127.0.0.1:" + p.httpPort(), "tcp://127.0.0.1:" + mqttPort, admin, "demo-"));
    sim.start()
        .onSuccess(v -> System.out.println("Simulating " + devices + " devices (demo-0001…), one report per device per second over MQTT."))
        .onFailure(t -> System.err.println("codex: the simulator did not start: " + t.getMessage()));
  }

  /**
   * Embedded mode is a developer's own machine: its map link signs in with a viewer token carried
   * in the URL fragment, which browsers never send to a server (the page moves it to its session
   * storage and clears the address bar). Elsewhere the page asks for a token.
   */
  private static String mapSignIn(Platform p) {
    if (!p.launch().embeddedKafka()) return "";
    var tokens = io.codex.security.TokenService.create(p.vertx(), io.codex.security.AuthSettings.from(p.config()));
    if (!tokens.canIssue()) return "";
    return "#token=" + tokens.issue("cli-map", java.util.EnumSet.of(io.codex.security.Role.VIEWER), null, java.time.Duration.ofHours(12));
  }

  private static void printBanner(Platform p) {
    StringBuilder b = new StringBuilder();
    String base = "http://localhost:" + p.httpPort();
    b.append("\nCodex is ready").append(p.launch().embeddedKafka() ? " (embedded mode)" : "").append('\n');
    b.append("  API        ").append(base).append("/api/v1\n");
    b.append("  API docs   ").append(base).append("/docs\n");
    b.append("  health     ").append(base).append("/health/ready\n");
    b.append("  metrics    ").append(base).append("/metrics\n");
    b.append("  live map   ").append(base).append("/map").append(mapSignIn(p)).append('\n');
    b.append("  kafka      ").append(p.bootstrapServers()).append('\n');
    b.append("  data dir   ").append(p.launch().dataDir().toAbsolutePath().normalize()).append('\n');
    if (!p.newSecrets().isEmpty()) {
      b.append("\nAPI client credentials (shown once; only their hashes are kept):\n");
      for (AuthBootstrap.NewSecret s : p.newSecrets()) {
        b.append("  ").append(String.format("%-10s", s.clientId())).append(' ').append(s.secret()).append('\n');
      }
      b.append("Get a token: curl -s -u <client>:<secret> -X POST ").append(base).append("/api/v1/auth/token\n");
    }
    System.out.println(b);
    System.out.flush();
  }
}
