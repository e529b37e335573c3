package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.Role;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * An operator wipes the device registry and the geofences by deleting their compacted topics and
 * creating them again under a running node. The new topics' offsets start from 0 again, below the
 * ones the node's replicas hold: the node must forget what the old topics held (a device that was
 * in them no longer authenticates) and take what is written to the new ones (a device registered
 * again under the same id, with its new secret).
 */
class RegistryTopicsRecreatedIT {
  @TempDir
  static Path dir;

  private static String register(TestNode node, String admin, String deviceId) {
    Http.Response r = Http.postJson(node.url("/api/v1/devices"), admin, new JsonObject().put("deviceId", deviceId));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("secret");
  }

  private static int me(TestNode node, String deviceId, String secret) {
    return Http.get(node.url("/api/v1/auth/me"), Http.basic(deviceId, secret)).status();
  }

  private static Http.Response createFence(TestNode node, String admin, String id) {
    return Http.postJson(node.url("/api/v1/geofences"), admin, new JsonObject().put("id", id).put("name", id)
        .put("circle", new JsonObject().put("center", new JsonArray().add(4.8).add(45.0)).put("radiusMeters", 500)));
  }

  private static List<String> fenceIds(TestNode node, String admin) {
    List<String> ids = new ArrayList<>();
    for (Object f : Http.get(node.url("/api/v1/geofences"), admin).json().getJsonArray("features")) {
      ids.add(((JsonObject) f).getJsonObject("properties").getString("id"));
    }
    return ids;
  }

  /** Deletes the topics and creates them again with as many partitions, compacted, as Codex creates them. */
  private static void recreate(TestNode node, List<String> topics) throws Exception {
    try (Admin kafka = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
      Map<String, Integer> partitions = new java.util.HashMap<>();
      kafka.describeTopics(topics).allTopicNames().get().forEach((name, d) -> partitions.put(name, d.partitions().size()));
      kafka.deleteTopics(topics).all().get();
      for (int i = 0; i < 200 && kafka.listTopics().names().get().stream().anyMatch(topics::contains); i++) Thread.sleep(100);
      List<NewTopic> anew = new ArrayList<>();
      for (String t : topics) {
        anew.add(new NewTopic(t, partitions.get(t), (short) 1).configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0")));
      }
      kafka.createTopics(anew).all().get();
    }
  }

  @Test
  void afterTheRegistryTopicsAreRecreatedTheNodeForgetsTheOldEntriesAndTakesTheNewOnes() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("n"))) {
      String admin = Http.bearer(new Tokens(node).forRole(Role.ADMIN));
      String oldA = register(node, admin, "wiped-a");
      String oldB = register(node, admin, "wiped-b");
      assertThat(me(node, "wiped-a", oldA)).isEqualTo(200);
      assertThat(me(node, "wiped-b", oldB)).isEqualTo(200);
      assertThat(createFence(node, admin, "yard").status()).isEqualTo(201);
      assertThat(fenceIds(node, admin)).containsExactly("yard");

      recreate(node, List.of("codex.devices", "codex.geofences"));

      // the node notices within its watch interval: until then wiped-a still exists there (409)
      Eventually.within(Duration.ofSeconds(30), "wiped-b, which is not in the new registry topic, no longer authenticates",
          () -> me(node, "wiped-b", oldB) == 401);
      Eventually.within(Duration.ofSeconds(30), "the geofences of the old topic are gone", () -> fenceIds(node, admin).isEmpty());
      String[] newA = {null};
      Eventually.within(Duration.ofSeconds(30), "wiped-a can be registered again", () -> {
        Http.Response r = Http.postJson(node.url("/api/v1/devices"), admin, new JsonObject().put("deviceId", "wiped-a"));
        if (r.status() == 201) newA[0] = r.json().getString("secret");
        return r.status() == 201;
      });
      assertThat(me(node, "wiped-a", newA[0])).isEqualTo(200);
      assertThat(me(node, "wiped-a", oldA)).isEqualTo(401);
      assertThat(Http.get(node.url("/api/v1/devices"), admin).json().getJsonArray("devices").stream()
          .map(d -> ((JsonObject) d).getString("deviceId")).toList()).containsExactly("wiped-a");
      assertThat(createFence(node, admin, "yard").status()).isEqualTo(201);
      assertThat(fenceIds(node, admin)).containsExactly("yard");

      // revoking works on the new topic
      assertThat(Http.delete(node.url("/api/v1/devices/wiped-a"), admin).status()).isEqualTo(204);
      assertThat(me(node, "wiped-a", newA[0])).isEqualTo(401);
    }

    // and a restart reads the new topics alone
    try (TestNode node = TestNode.start(dir.resolve("n"))) {
      String admin = Http.bearer(new Tokens(node).forRole(Role.ADMIN));
      assertThat(Http.get(node.url("/api/v1/devices"), admin).json().getJsonArray("devices")).isEmpty();
      assertThat(fenceIds(node, admin)).containsExactly("yard");
    }
  }
}
