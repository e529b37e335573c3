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
}
