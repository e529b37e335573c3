package io.codex.launcher;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.api.ApiConfig;
import io.codex.bridge.KafkaSettings;
import io.codex.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;
import java.util.Properties;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class ConfigLoaderTest {
  @TempDir Path dir;

  @Test
  void namesEnvVarsAfterTheKeyPath() {
    assertThat(ConfigLoader.envName("kafka.embedded.port")).isEqualTo("CODEX_KAFKA_EMBEDDED_PORT");
    assertThat(ConfigLoader.envName("embed.tableau.clientId")).isEqualTo("CODEX_EMBED_TABLEAU_CLIENT_ID");
    assertThat(ConfigLoader.envName("kafka.bootstrapServers")).isEqualTo("CODEX_KAFKA_BOOTSTRAP_SERVERS");
    assertThat(ConfigLoader.envName("http.cors.origins")).isEqualTo("CODEX_HTTP_CORS_ORIGINS");
    assertThat(ConfigLoader.envName("kafka.topics.geofenceEvents.partitions")).isEqualTo("CODEX_KAFKA_TOPICS_GEOFENCE_EVENTS_PARTITIONS");
  }

  @Test
  void layersFileEnvSystemPropertiesAndFlagsInThatOrder() throws Exception {
    Path file = dir.resolve("c.yaml");
    Files.writeString(file, "http:\n  port: 7000\n  host: 10.0.0.1\nkafka:\n  bootstrapServers: file:9092\n");
    Properties sys = new Properties();
    sys.setProperty("codex.kafka.bootstrapServers", "sys:9092");
    ConfigLoader.Loaded l = ConfigLoader.load(file,
        Map.of("CODEX_HTTP_PORT", "7100", "CODEX_KAFKA_BOOTSTRAP_SERVERS", "env:9092", "CODEX_HTTP_CORS_ORIGINS",
            "https://a.example.com, https://b.example.com", "CODEX_HTPP_PORT", "1", "PATH", "/bin"),
        sys, Map.of("http.host", "127.0.0.1"));
    JsonObject cfg = l.config();
    ApiConfig api = ApiConfig.from(cfg);
    assertThat(api.port()).isEqualTo(7100);
    assertThat(api.host()).isEqualTo("127.0.0.1");
    assertThat(api.corsOrigins()).containsExactly("https://a.example.com", "https://b.example.com");
    assertThat(KafkaSettings.from(cfg).bootstrapServers()).isEqualTo("sys:9092");
    assertThat(l.unknownEnv()).containsExactly("CODEX_HTPP_PORT");
    assertThat(cfg.getJsonObject("kafka").getJsonObject("topics").getJsonObject("telemetry").getInteger("partitions"))
        .as("defaults stay where nothing overrides them").isEqualTo(6);
  }

  @Test
  void aBadValueFailsNamingTheKey() {
    JsonObject cfg = ConfigLoader.load(null, Map.of("CODEX_HTTP_PORT", "eighty"), new Properties(), Map.of()).config();
    assertThatThrownBy(() -> ApiConfig.from(cfg)).isInstanceOfSatisfying(ConfigException.class,
        e -> assertThat(e.key()).isEqualTo("http.port"));
    assertThatThrownBy(() -> ConfigLoader.load(dir.resolve("missing.yaml"), Map.of(), new Properties(), Map.of()))
        .isInstanceOf(ConfigException.class);
  }

  @Test
  void anUnknownNetworkTransportFailsNamingTheKeyAndTheChoices() {
    JsonObject cfg = ConfigLoader.load(null, Map.of("CODEX_NODE_TRANSPORT", "kqueue"), new Properties(), Map.of()).config();
    assertThatThrownBy(() -> LaunchSettings.from(cfg)).isInstanceOfSatisfying(ConfigException.class, e -> {
      assertThat(e.key()).isEqualTo("node.transport");
      assertThat(e.getMessage()).contains("auto, epoll, io_uring, nio").contains("kqueue");
    });
    JsonObject defaults = ConfigLoader.load(null, Map.of(), new Properties(), Map.of()).config();
    assertThat(LaunchSettings.from(defaults).transport()).isEqualTo("nio");
  }

  @Test
  void redactsSecretsForTheStartLog() {
    JsonObject cfg = ConfigLoader.load(null, Map.of("CODEX_AUTH_JWT_SECRET", "s3cret-s3cret-s3cret-s3cret-s3cret-42"),
        new Properties(), Map.of()).config();
    String logged = ConfigLoader.redacted(cfg).encode();
    assertThat(logged).doesNotContain("s3cret").contains("\"secret\":\"***\"").contains("\"secretFile\":\"\"");
    assertThat(cfg.getJsonObject("auth").getJsonObject("jwt").getString("secret")).startsWith("s3cret");
  }

  @Test
  void geoKeysHaveTheirDocumentedEnvVarsAndTheirSecretsAreRedacted() {
    ConfigLoader.Loaded l = ConfigLoader.load(null, Map.of(
        "CODEX_GEO_PROVIDERS", "mapbox, google, offline",
        "CODEX_GEO_MAPBOX_TOKEN", "pk.mapbox-token-value-42",
        "CODEX_GEO_MAPBOX_BASE_URL", "http://127.0.0.1:9001",
        "CODEX_GEO_GOOGLE_API_KEY", "AIzaGoogleKeyValue42",
        "CODEX_GEO_GOOGLE_BASE_URL", "http://127.0.0.1:9002/"), new Properties(), Map.of());
    assertThat(l.unknownEnv()).isEmpty();
    io.codex.geo.GeocodeConfig geo = io.codex.geo.GeocodeConfig.from(l.config());
    assertThat(geo.providers()).containsExactly("mapbox", "google", "offline");
    assertThat(geo.mapbox().token()).isEqualTo("pk.mapbox-token-value-42");
    assertThat(geo.mapbox().baseUrl()).isEqualTo("http://127.0.0.1:9001");
    assertThat(geo.google().apiKey()).isEqualTo("AIzaGoogleKeyValue42");
    assertThat(geo.google().baseUrl()).isEqualTo("http://127.0.0.1:9002");
    String logged = ConfigLoader.redacted(l.config()).encode();
    assertThat(logged).doesNotContain("mapbox-token-value").doesNotContain("GoogleKeyValue")
        .contains("\"token\":\"***\"").contains("\"apiKey\":\"***\"").contains("\"baseUrl\":\"http://127.0.0.1:9001\"");
    assertThat(geo.toString()).doesNotContain("mapbox-token-value").doesNotContain("GoogleKeyValue");
  }
}
