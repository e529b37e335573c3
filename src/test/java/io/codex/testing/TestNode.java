package io.codex.testing;

import io.codex.launcher.ConfigLoader;
import io.codex.launcher.Platform;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.Map;
import java.util.Properties;

/**
 * A real Codex node for end-to-end tests: the same launcher code as {@code codex run}, with its
 * own data dir and free ports (embedded Kafka broker included, unless pointed at another node's).
 */
public final class TestNode implements AutoCloseable {
  public final Platform platform;
  public final Path dataDir;
  public final int httpPort;
  public final int mqttPort;

  private TestNode(Platform platform, Path dataDir, Ports ports) {
    this.platform = platform;
    this.dataDir = dataDir;
    this.httpPort = ports.http();
    this.mqttPort = ports.mqtt();
  }

  /** Ports chosen once per data dir, so that a restart on the same dir finds its broker storage. */
  public record Ports(int http, int kafka, int controller, int mqtt) {
    public static Ports free() {
      return new Ports(freePort(), freePort(), freePort(), freePort());
    }
  }

  public static JsonObject config(Path dataDir, Ports ports, Map<String, Object> overrides) {
    Map<String, Object> flags = new HashMap<>();
    flags.put("dataDir", dataDir.toString());
    flags.put("http.port", ports.http());
    flags.put("http.host", "127.0.0.1");
    flags.put("kafka.embedded.port", ports.kafka());
    flags.put("kafka.embedded.controllerPort", ports.controller());
    flags.put("http.instances", 2);
    flags.put("mqtt.port", ports.mqtt());
    flags.put("mqtt.host", "127.0.0.1");
    flags.putAll(overrides);
    return ConfigLoader.load(null, Map.of(), new Properties(), flags).config();
  }

  public static TestNode start(Path dataDir, Ports ports, Map<String, Object> overrides) throws Exception {
    Platform p = Platform.prepare(config(dataDir, ports, overrides)).start();
    return new TestNode(p, dataDir, ports);
  }

  public static TestNode start(Path dataDir) throws Exception {
    return start(dataDir, Ports.free(), Map.of());
  }

  public String url(String path) {
    return "http://127.0.0.1:" + httpPort + path;
  }

  /** A meter's value from this node's Prometheus endpoint, summed over its tags; 0 when absent. */
  public double metric(String name) {
    return metric(name, "");
  }

  /** A meter's value for one value of one of its tags, summed over its other tags; 0 when absent. */
  public double metric(String name, String tag, String value) {
    return metric(name, tag + "=\"" + value + "\"");
  }

  private double metric(String name, String tagged) {
    Http.Response r = Http.get(url("/metrics"), null);
    if (r.status() != 200) throw new AssertionError("GET /metrics answered " + r.status());
    return r.body().lines().filter(l -> l.startsWith(name + " ") || l.startsWith(name + "{"))
        .filter(l -> l.substring(0, l.lastIndexOf(' ')).contains(tagged))
        .mapToDouble(l -> Double.parseDouble(l.substring(l.lastIndexOf(' ') + 1))).sum();
  }

  public String mqttUrl() {
    return "tcp://127.0.0.1:" + mqttPort;
  }

  public String bootstrapServers() {
    return platform.bootstrapServers();
  }

  @Override
  public void close() {
    platform.close();
  }

  /** A free port, never the same twice in this JVM ({@link io.codex.bench.FreePorts}). */
  public static int freePort() {
    try {
      return io.codex.bench.FreePorts.next();
    } catch (IOException e) {
      throw new IllegalStateException(e);
    }
  }
}
