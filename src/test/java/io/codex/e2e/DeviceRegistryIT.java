package io.codex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import io.codex.security.Role;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.KafkaConsumer;
import org.apache.kafka.common.serialization.StringDeserializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** The device registry: secrets shown once and stored as hashes, shared by nodes through Kafka. */
class DeviceRegistryIT {
  @TempDir Path dir;

  @Test
  void secretIsShownOnceVerifiesAndIsNeverLoggedNorStored() throws Exception {
    ListAppender<ILoggingEvent> logs = new ListAppender<>();
    Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);
    logs.start();
    root.addAppender(logs);
    List<String> mustNotLeak = new ArrayList<>();
    try (TestNode node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of("http.accessLog", true))) {
      String admin = new Tokens(node).forRole(Role.ADMIN);
      mustNotLeak.add(admin);
      Http.Response created = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
          new JsonObject().put("deviceId", "truck-7").put("name", "Truck 7"));
      assertThat(created.status()).isEqualTo(201);
      assertThat(created.header("Location")).isEqualTo("/api/v1/devices/truck-7");
      String secret = created.json().getString("secret");
      mustNotLeak.add(secret);
      assertThat(secret).hasSize(43);

      Http.Response me = Http.get(node.url("/api/v1/auth/me"), Http.basic("truck-7", secret));
      assertThat(me.status()).isEqualTo(200);
      assertThat(me.json().getJsonArray("roles").getList()).containsExactly("device");
      assertThat(me.json().getJsonArray("devices").getList()).containsExactly("truck-7");
      assertThat(Http.get(node.url("/api/v1/auth/me"), Http.basic("truck-7", secret + "x")).status()).isEqualTo(401);

      Http.Response deviceToken = Http.send("POST", node.url("/api/v1/auth/token"), Http.basic("truck-7", secret), null, null);
      assertThat(deviceToken.status()).isEqualTo(200);
      mustNotLeak.add(deviceToken.json().getString("access_token"));
      assertThat(Http.get(node.url("/api/v1/auth/me"), Http.bearer(deviceToken.json().getString("access_token")))
          .json().getString("subject")).isEqualTo("truck-7");

      Http.Response shown = Http.get(node.url("/api/v1/devices/truck-7"), Http.bearer(admin));
      Http.Response listed = Http.get(node.url("/api/v1/devices"), Http.bearer(admin));
      for (Http.Response r : List.of(shown, listed)) {
        assertThat(r.status()).isEqualTo(200);
        assertThat(r.body()).contains("truck-7").doesNotContain(secret).doesNotContain("secret");
      }
      Http.Response again = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
          new JsonObject().put("deviceId", "truck-7"));
      assertThat(again.status()).isEqualTo(409);
      assertThat(again.body()).doesNotContain(secret);

      List<String> stored = readTopic(node.bootstrapServers(), "codex.devices");
      assertThat(stored).hasSize(1);
      assertThat(stored.get(0)).doesNotContain(secret).contains("\"secretHash\":\"sha256:");
    } finally {
      root.detachAppender(logs);
    }
    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : logs.list) {
      String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      for (String s : mustNotLeak) assertThat(text).doesNotContain(s);
    }
  }

  @Test
  void registrySurvivesARestart() throws Exception {
    Path data = dir.resolve("data");
    TestNode.Ports ports = TestNode.Ports.free();
    String secret;
    try (TestNode node = TestNode.start(data, ports, Map.of())) {
      String admin = new Tokens(node).forRole(Role.ADMIN);
      secret = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
          new JsonObject().put("deviceId", "pump-1")).json().getString("secret");
      Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin), new JsonObject().put("deviceId", "pump-2"));
      assertThat(Http.delete(node.url("/api/v1/devices/pump-2"), Http.bearer(admin)).status()).isEqualTo(204);
    }
    try (TestNode node = TestNode.start(data, ports, Map.of())) {
      String admin = new Tokens(node).forRole(Role.ADMIN);
      JsonObject list = Http.get(node.url("/api/v1/devices"), Http.bearer(admin)).json();
      assertThat(list.getInteger("count")).isEqualTo(1);
      assertThat(list.getJsonArray("devices").getJsonObject(0).getString("deviceId")).isEqualTo("pump-1");
      assertThat(Http.get(node.url("/api/v1/auth/me"), Http.basic("pump-1", secret)).status()).isEqualTo(200);
    }
  }

  @Test
  void revocationReachesEveryNodeAtOnce() throws Exception {
    String sharedKey = "shared-test-key-" + UUID.randomUUID();
    try (TestNode a = TestNode.start(dir.resolve("a"), TestNode.Ports.free(), Map.of("auth.jwt.secret", sharedKey))) {
      try (TestNode b = TestNode.start(dir.resolve("b"), TestNode.Ports.free(),
          Map.of("auth.jwt.secret", sharedKey, "kafka.bootstrapServers", a.bootstrapServers()))) {
        String admin = new Tokens(a).forRole(Role.ADMIN);
        String secret = Http.postJson(a.url("/api/v1/devices"), Http.bearer(admin),
            new JsonObject().put("deviceId", "van-3")).json().getString("secret");
        Duration seen = Eventually.within(Duration.ofSeconds(10), "node b knows van-3",
            () -> Http.get(b.url("/api/v1/auth/me"), Http.basic("van-3", secret)).status() == 200);
        String deviceJwt = new Tokens(b).forDevice("van-3", Role.DEVICE);
        assertThat(Http.get(b.url("/api/v1/auth/me"), Http.bearer(deviceJwt)).status()).isEqualTo(200);

        assertThat(Http.delete(a.url("/api/v1/devices/van-3"), Http.bearer(admin)).status()).isEqualTo(204);
        assertThat(Http.get(a.url("/api/v1/auth/me"), Http.basic("van-3", secret)).status()).isEqualTo(401);
        Duration revoked = Eventually.within(Duration.ofSeconds(5), "node b refuses van-3",
            () -> Http.get(b.url("/api/v1/auth/me"), Http.basic("van-3", secret)).status() == 401);
        assertThat(Http.get(b.url("/api/v1/auth/me"), Http.bearer(deviceJwt)).status()).isEqualTo(401);
        System.out.printf("registry propagation to a second node: create %d ms, revoke %d ms%n",
            seen.toMillis(), revoked.toMillis());
      }
    }
  }

  @Test
  void rejectsInvalidDevicesNamingEachField() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"))) {
      String admin = new Tokens(node).forRole(Role.ADMIN);
      Http.Response r = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
          new JsonObject().put("deviceId", "bad id!").put("gateway", "yes").put("name", 7));
      assertThat(r.status()).isEqualTo(400);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
      List<String> fields = r.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")).toList();
      assertThat(fields).containsExactlyInAnyOrder("deviceId", "gateway", "name");
      assertThat(Http.send("POST", node.url("/api/v1/devices"), Http.bearer(admin), "application/json", "{nope").status())
          .isEqualTo(400);
      assertThat(Http.get(node.url("/api/v1/devices"), Http.bearer(admin)).json().getInteger("count")).isZero();
      assertThat(readTopic(node.bootstrapServers(), "codex.devices")).isEmpty();
    }
  }

  /** Everything in a topic, read by an independent consumer. */
  static List<String> readTopic(String bootstrap, String topic) {
    try (KafkaConsumer<String, String> c = new KafkaConsumer<>(Map.of(
        "bootstrap.servers", bootstrap, "group.id", "test-" + UUID.randomUUID(), "auto.offset.reset", "earliest"),
        new StringDeserializer(), new StringDeserializer())) {
      c.subscribe(List.of(topic));
      List<String> out = new ArrayList<>();
      long deadline = System.currentTimeMillis() + 5_000;
      while (System.currentTimeMillis() < deadline) {
        for (ConsumerRecord<String, String> r : c.poll(Duration.ofMillis(300))) {
          if (r.value() != null) out.add(r.value());
        }
        if (!c.assignment().isEmpty() && c.assignment().stream()
            .allMatch(tp -> c.position(tp) >= c.endOffsets(List.of(tp)).get(tp))) {
          break;
        }
      }
      return out;
    }
  }
}
