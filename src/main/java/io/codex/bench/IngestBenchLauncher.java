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

  /**
   * Before any load: the node answers, and the token is an admin's there ({@code GET
   * /api/v1/auth/me}); what is wrong in one line, else null.
   */
  public static String preflight(URI http, String adminToken) {
    java.net.http.HttpResponse<String> r;
    try {
      r = java.net.http.HttpClient.newHttpClient().send(java.net.http.HttpRequest.newBuilder(http.resolve("/api/v1/auth/me"))
          .timeout(Duration.ofSeconds(10)).header("Authorization", "Bearer " + adminToken).build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
    } catch (java.io.IOException e) {
      return "the node at " + http + " did not answer (" + (e.getMessage() == null ? e.getClass().getSimpleName() : e.getMessage()) + ")";
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return "interrupted";
    }
    if (r.statusCode() == 401) return "the node at " + http + " refused the token (401): give an admin token of that node (--token or CODEX_TOKEN)";
    if (r.statusCode() != 200) return "the node at " + http + " answered " + r.statusCode() + " to GET /api/v1/auth/me";
    try {
      if (!new io.vertx.core.json.JsonObject(r.body()).getJsonArray("roles", new io.vertx.core.json.JsonArray()).contains("admin")) {
        return "the token is not an admin's at " + http + " (it registers the bench's devices and reads /metrics)";
      }
    } catch (RuntimeException e) {
      return "the node at " + http + " answered GET /api/v1/auth/me with something other than Codex's JSON";
    }
    return null;
  }
}
