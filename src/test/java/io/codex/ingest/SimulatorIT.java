package io.codex.ingest;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.Role;
import io.codex.simulate.Simulator;
import io.codex.testing.Eventually;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.stream.Collectors;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The simulated fleet registers itself through the API and its positions reach Kafka, moving. */
class SimulatorIT {
  @TempDir Path dir;

  @Test
  void aSimulatedFleetReportsMovingPositionsOverMqttAndHttp() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of())) {
      String admin = new Tokens(node).forRole(Role.ADMIN);
      Vertx vertx = Vertx.vertx();
      try {
        for (Simulator.Protocol protocol : Simulator.Protocol.values()) {
          String prefix = "sim-" + protocol.name().toLowerCase() + "-";
          Simulator sim = new Simulator(vertx, new Simulator.Settings(5, 50, protocol, node.url(""), node.mqttUrl(), admin, prefix));
          sim.start().toCompletionStage().toCompletableFuture().get();
          Eventually.within(Duration.ofSeconds(20), protocol + " fleet acked 100 records", () -> sim.acked() >= 100);
          sim.stop().toCompletionStage().toCompletableFuture().get();
          assertThat(sim.errors()).isZero();

          List<JsonObject> records = KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry").stream()
              .map(r -> new JsonObject(r.value())).filter(v -> v.getString("deviceId").startsWith(prefix)).toList();
          assertThat(records.size()).isGreaterThanOrEqualTo(100);
          Set<String> devices = records.stream().map(v -> v.getString("deviceId")).collect(Collectors.toSet());
          assertThat(devices).hasSize(5);
          List<JsonObject> first = records.stream().filter(v -> v.getString("deviceId").equals(prefix + "0001")).toList();
          JsonObject a = first.get(0).getJsonObject("location");
          JsonObject b = first.get(first.size() - 1).getJsonObject("location");
          assertThat(a.getDouble("lat") != b.getDouble("lat") || a.getDouble("lon") != b.getDouble("lon"))
              .as("the device moved").isTrue();
        }
      } finally {
        vertx.close();
      }
    }
  }

  @Test
  void theSimulateCommandEndsWithCountsThatAddUpAndMatchKafka() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of())) {
      String admin = new Tokens(node).forRole(Role.ADMIN);
      java.io.ByteArrayOutputStream out = new java.io.ByteArrayOutputStream();
      java.io.PrintStream stdout = System.out;
      int exit;
      System.setOut(new java.io.PrintStream(out, true, java.nio.charset.StandardCharsets.UTF_8));
      try {
        exit = io.codex.Codex.commandLine().execute("simulate", "--devices", "4", "--rate", "2000",
            "--duration", "3s", "--url", node.url(""), "--mqtt-url", node.mqttUrl(), "--token", admin, "--prefix", "cmd-");
      } finally {
        System.setOut(stdout);
      }
      String text = out.toString(java.nio.charset.StandardCharsets.UTF_8);
      java.util.regex.Matcher done = java.util.regex.Pattern.compile("done: sent (\\d+), acked (\\d+), errors (\\d+) in").matcher(text);
      assertThat(done.find()).as(text).isTrue();
      long sent = Long.parseLong(done.group(1));
      long acked = Long.parseLong(done.group(2));
      assertThat(exit).as(text).isZero();
      assertThat(sent).isGreaterThan(100);
      assertThat(acked).as("every record sent was answered before the fleet disconnected").isEqualTo(sent);
      assertThat(done.group(3)).isEqualTo("0");
      long inKafka = KafkaTopics.readAll(node.bootstrapServers(), "codex.telemetry").stream()
          .filter(r -> new JsonObject(r.value()).getString("deviceId").startsWith("cmd-")).count();
      assertThat(inKafka).as("acknowledged means in Kafka").isEqualTo(acked);
    }
  }
}
