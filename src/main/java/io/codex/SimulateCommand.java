package io.codex;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.codex.security.Role;
import io.codex.simulate.Simulator;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.concurrent.Callable;
import java.util.concurrent.CountDownLatch;
import java.util.concurrent.TimeUnit;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code codex simulate}: a device fleet moving along routes, with a live progress line. */
@Command(name = "simulate", mixinStandardHelpOptions = true,
    description = "Run a simulated device fleet against a Codex node (registers its devices through the API).")
final class SimulateCommand implements Callable<Integer> {
  @Option(names = "--devices", defaultValue = "10", description = "number of devices (default ${DEFAULT-VALUE})")
  int devices;

  @Option(names = "--rate", defaultValue = "10", description = "records per second for the whole fleet (default ${DEFAULT-VALUE})")
  double rate;

  @Option(names = "--protocol", defaultValue = "mqtt", description = "mqtt (QoS 1) or http (default ${DEFAULT-VALUE})")
  Simulator.Protocol protocol;

  @Option(names = "--url", defaultValue = "http://localhost:8080", description = "the node's API (default ${DEFAULT-VALUE})")
  String url;

  @Option(names = "--mqtt-url", defaultValue = "tcp://localhost:1883", description = "the node's MQTT listener (default ${DEFAULT-VALUE})")
  String mqttUrl;

  @Option(names = "--duration", description = "stop after this long (e.g. 60s); default: until interrupted")
  String duration;

  @Option(names = "--prefix", defaultValue = "sim-", description = "device id prefix (default ${DEFAULT-VALUE})")
  String prefix;

  @Option(names = "--token", description = "an admin token (default: env CODEX_TOKEN, else minted with the local data dir's key)")
  String token;

  @Option(names = "--data-dir", description = "data dir whose key mints the admin token (default from config)")
  Path dataDir;

  @Override
  public Integer call() throws Exception {
    if (devices < 1 || rate <= 0) {
      System.err.println("codex simulate: --devices must be >= 1 and --rate > 0");
      return 2;
    }
    Vertx vertx = Vertx.vertx();
    CountDownLatch finished = new CountDownLatch(1);
    try {
      String admin = token != null ? token : System.getenv("CODEX_TOKEN");
      Duration limit = duration == null ? null : ConfigReader.parseDuration("--duration", duration);
      if (admin == null) {
        Map<String, Object> flags = new HashMap<>();
        if (dataDir != null) flags.put("dataDir", dataDir.toString());
        JsonObject cfg = Cli.loadConfig(null, flags);
        admin = io.codex.launcher.AuthBootstrap.localToken(vertx, cfg, Role.ADMIN, Duration.ofHours(12));
      }
      Simulator sim = new Simulator(vertx, new Simulator.Settings(devices, rate, protocol, url, mqttUrl, admin, prefix));
      sim.start().toCompletionStage().toCompletableFuture().get(120, TimeUnit.SECONDS);
      System.out.printf("simulating %d devices at %.0f records/s over %s%n", devices, rate, protocol.name().toLowerCase());
      CountDownLatch stop = new CountDownLatch(1);
      // on Ctrl-C the JVM halts once its shutdown hooks return: this one waits for the final counts
      Runtime.getRuntime().addShutdownHook(new Thread(() -> {
        stop.countDown();
        try {
          finished.await(25, TimeUnit.SECONDS);
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }));
      long t0 = System.nanoTime();
      long lastAcked = 0;
      boolean tty = System.console() != null;
      while (!stop.await(1, TimeUnit.SECONDS)) {
        long acked = sim.acked();
        double secs = (System.nanoTime() - t0) / 1e9;
        String line = String.format("sent %d  acked %d  rate %d/s  errors %d  elapsed %.0fs",
            sim.sent(), acked, acked - lastAcked, sim.errors(), secs);
        System.out.print(tty ? "\r" + line + "   " : line + "\n");
        System.out.flush();
        lastAcked = acked;
        if (limit != null && secs >= limit.toSeconds()) break;
      }
      System.out.println();
      sim.stop().toCompletionStage().toCompletableFuture().get(20, TimeUnit.SECONDS);
      double secs = (System.nanoTime() - t0) / 1e9;
      long unanswered = sim.sent() - sim.acked() - sim.errors();
      System.out.printf("done: sent %d, acked %d, errors %d%s in %.1f s (%.0f acked/s)%n", sim.sent(), sim.acked(), sim.errors(),
          unanswered > 0 ? ", " + unanswered + " unanswered" : "", secs, sim.acked() / secs);
      return sim.errors() == 0 && unanswered == 0 ? 0 : 1;
    } catch (ConfigException e) {
      return Cli.badConfig(e);
    } catch (java.util.concurrent.ExecutionException e) {
      System.err.println("codex simulate: " + e.getCause().getMessage());
      return 1;
    } finally {
      finished.countDown(); // the final counts are printed (or never will be): a shutdown may go on
      vertx.close();
    }
  }
}
