package io.codex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.api.Status;
import io.codex.launcher.AuthBootstrap;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.Config;
import org.apache.kafka.clients.admin.TopicDescription;
import org.apache.kafka.common.config.ConfigResource;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.yaml.snakeyaml.Yaml;

/** Codex in embedded mode, started as `codex run` starts it, checked from the outside. */
class EmbeddedPlatformIT {
  @TempDir static Path dir;
  static TestNode node;

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(),
        Map.of("http.cors.origins", "https://bi.example.com"));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void answersLiveAndReadyWithKafkaAndVerticlesUp() {
    assertThat(Http.get(node.url("/health/live"), null).json().getString("status")).isEqualTo("UP");
    Http.Response ready = Http.get(node.url("/health/ready"), null);
    assertThat(ready.status()).isEqualTo(200);
    assertThat(ready.json().getJsonObject("checks"))
        .isEqualTo(new JsonObject().put("verticles", "UP").put("kafka", "UP"));
  }

  @Test
  void exposesPrometheusMetricsForHttpJvmAndKafkaProducer() {
    Http.get(node.url("/health/live"), null);
    Http.Response metrics = Http.get(node.url("/metrics"), null);
    assertThat(metrics.status()).isEqualTo(200);
    assertThat(metrics.body())
        .contains("vertx_http_server_requests_total")
        .contains("jvm_memory_used_bytes")
        .contains("kafka_producer_")
        // per-message event-bus meters are off unless metrics.eventBus is set: they cost a
        // registry lookup for every record of the live feed
        .doesNotContain("vertx_eventbus_");
  }

  @Test
  void createsEveryTopicWithItsPartitionsAndCompaction() throws Exception {
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
      Map<String, Integer> expected = Map.of("codex.telemetry", 6, "codex.alerts", 3, "codex.geofence-events", 3,
          "codex.audit", 1, "codex.devices", 3, "codex.geofences", 1, "codex.embed-links", 1);
      Map<String, TopicDescription> topics = admin.describeTopics(expected.keySet()).allTopicNames().get();
      expected.forEach((name, partitions) -> assertThat(topics.get(name).partitions()).as(name).hasSize(partitions));
      Set<String> compacted = new HashSet<>();
      List<ConfigResource> resources = expected.keySet().stream()
          .map(n -> new ConfigResource(ConfigResource.Type.TOPIC, n)).toList();
      Map<ConfigResource, Config> configs = admin.describeConfigs(resources).all().get();
      configs.forEach((r, c) -> {
        if (c.get("cleanup.policy").value().equals("compact")) compacted.add(r.name());
      });
      assertThat(compacted).containsExactlyInAnyOrder("codex.devices", "codex.geofences", "codex.embed-links");
    }
  }

  @Test
  @SuppressWarnings("unchecked")
  void openApiDocumentsExactlyTheRoutesOfTheRouter() {
    Http.Response doc = Http.get(node.url("/openapi.yaml"), null);
    assertThat(doc.status()).isEqualTo(200);
    Map<String, Object> api = new Yaml().load(doc.body());
    Set<String> documented = new TreeSet<>();
    ((Map<String, Map<String, Object>>) api.get("paths")).forEach((path, ops) -> ops.keySet().stream()
        .filter(m -> Set.of("get", "post", "put", "delete", "patch").contains(m))
        .forEach(m -> documented.add(m.toUpperCase() + " " + path)));
    Set<String> routed = new TreeSet<>();
    Status.routes(node.platform.vertx()).forEach(o -> {
      JsonObject r = (JsonObject) o;
      routed.add(r.getString("method") + " " + r.getString("path"));
    });
    assertThat(documented).isEqualTo(routed);
  }

  @Test
  void servesSwaggerUiFromItsWebjar() {
    Http.Response docs = Http.get(node.url("/docs"), null);
    assertThat(docs.status()).isEqualTo(200);
    assertThat(docs.body()).contains("/openapi.yaml").contains("swagger-ui-bundle.js");
    assertThat(Http.get(node.url("/docs/ui/swagger-ui-bundle.js"), null).status()).isEqualTo(200);
  }

  @Test
  void unknownRouteIsAProblemJsonWithoutStackTrace() {
    Http.Response r = Http.get(node.url("/api/v1/nothing-here"), null);
    assertThat(r.status()).isEqualTo(404);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    JsonObject p = r.json();
    assertThat(p.getValue("status")).isEqualTo(404);
    assertThat(p.fieldNames()).contains("type", "title", "status", "detail");
    assertThat(r.body()).doesNotContain("Exception").doesNotContain("\tat ");
  }

  @Test
  void echoesTheCallersRequestIdOrMakesOne() {
    Http.Response given = Http.send("GET", node.url("/health/live"), null, null, null);
    assertThat(given.header("X-Request-Id")).isNotBlank();
    var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url("/health/live")))
        .header("X-Request-Id", "trace-42").build();
    try {
      var resp = java.net.http.HttpClient.newHttpClient().send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      assertThat(resp.headers().firstValue("X-Request-Id")).contains("trace-42");
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  @Test
  void corsAnswersOnlyTheConfiguredOrigins() throws Exception {
    var client = java.net.http.HttpClient.newHttpClient();
    for (String origin : List.of("https://bi.example.com", "https://evil.example.org")) {
      var req = java.net.http.HttpRequest.newBuilder(java.net.URI.create(node.url("/api/v1/auth/me")))
          .method("OPTIONS", java.net.http.HttpRequest.BodyPublishers.noBody())
          .header("Origin", origin)
          .header("Access-Control-Request-Method", "GET")
          .header("Access-Control-Request-Headers", "authorization").build();
      var resp = client.send(req, java.net.http.HttpResponse.BodyHandlers.ofString());
      var allowed = resp.headers().firstValue("Access-Control-Allow-Origin");
      if (origin.contains("bi.example.com")) {
        assertThat(allowed).contains(origin);
      } else {
        assertThat(allowed).isEmpty();
        assertThat(resp.statusCode()).isEqualTo(403);
      }
    }
  }

  @Test
  void seededClientsGetTokensWithTheirSecretAndNotWithoutIt() {
    AuthBootstrap.NewSecret analyst = node.platform.newSecrets().stream()
        .filter(s -> s.clientId().equals("analyst")).findFirst().orElseThrow();
    Http.Response basic = Http.send("POST", node.url("/api/v1/auth/token"), Http.basic("analyst", analyst.secret()), null, null);
    assertThat(basic.status()).isEqualTo(200);
    JsonObject token = basic.json();
    assertThat(token.getString("token_type")).isEqualTo("Bearer");
    assertThat(token.getValue("expires_in")).isInstanceOf(Number.class);
    assertThat(token.getLong("expires_in")).isEqualTo(3600L);
    assertThat(token.getJsonArray("roles").getList()).containsExactly("analyst");
    Http.Response me = Http.get(node.url("/api/v1/auth/me"), Http.bearer(token.getString("access_token")));
    assertThat(me.json().getString("subject")).isEqualTo("analyst");

    Http.Response form = Http.send("POST", node.url("/api/v1/auth/token"), null, "application/x-www-form-urlencoded",
        "grant_type=client_credentials&client_id=analyst&client_secret=" + analyst.secret());
    assertThat(form.status()).isEqualTo(200);

    Http.Response wrong = Http.postJson(node.url("/api/v1/auth/token"), null,
        new JsonObject().put("clientId", "analyst").put("clientSecret", analyst.secret() + "x"));
    assertThat(wrong.status()).isEqualTo(401);
    assertThat(wrong.header("Content-Type")).isEqualTo("application/problem+json");

    Http.Response missing = Http.postJson(node.url("/api/v1/auth/token"), null, new JsonObject());
    assertThat(missing.status()).isEqualTo(400);
    assertThat(missing.json().getJsonArray("errors").encode()).contains("client_id");
  }
}
