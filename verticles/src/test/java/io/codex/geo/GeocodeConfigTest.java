package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class GeocodeConfigTest {
  @TempDir Path dir;

  static GeocodeConfig of(JsonObject geo) {
    return GeocodeConfig.from(new JsonObject().put("geo", geo));
  }

  @Test
  void defaultsToTheOfflineGazetteerAlone() {
    GeocodeConfig c = GeocodeConfig.from(new JsonObject());
    assertThat(c.providers()).containsExactly("offline");
    assertThat(c.timeout()).isEqualTo(Duration.ofSeconds(2));
    assertThat(c.cache().ttl()).isEqualTo(Duration.ofMinutes(10));
    assertThat(c.cache().maxPlaces()).isEqualTo(50_000);
    assertThat(c.rateLimit().perSecond()).isEqualTo(10);
    assertThat(c.rateLimit().burst()).isEqualTo(20);
    assertThat(c.breaker().maxFailures()).isEqualTo(5);
    assertThat(c.mapbox().baseUrl()).isEqualTo("https://api.mapbox.com");
    assertThat(c.google().baseUrl()).isEqualTo("https://maps.googleapis.com");
  }

  @Test
  void aChainFromAnEnvVarIsACommaSeparatedList() {
    GeocodeConfig c = of(new JsonObject().put("providers", "Google , offline")
        .put("google", new JsonObject().put("apiKey", "AIzaKey")));
    assertThat(c.providers()).containsExactly("google", "offline");
  }

  @Test
  void refusesUnknownAndRepeatedProviders() {
    assertThatThrownBy(() -> of(new JsonObject().put("providers", new JsonArray().add("here"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("geo.providers").hasMessageContaining("here");
    assertThatThrownBy(() -> of(new JsonObject().put("providers", "offline,offline")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("twice");
  }

  @Test
  void aRemoteProviderInTheChainNeedsItsCredentialsAndNeverEchoesThem() {
    assertThatThrownBy(() -> of(new JsonObject().put("providers", "mapbox,offline")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("geo.mapbox.token"));
    assertThatThrownBy(() -> of(new JsonObject().put("providers", "mapbox")
        .put("mapbox", new JsonObject().put("token", "not-a-token-secret-123"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("pk.").hasMessageNotContaining("secret-123");
    assertThatThrownBy(() -> of(new JsonObject().put("providers", "google")))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("geo.google.apiKey"));
    assertThatThrownBy(() -> of(new JsonObject().put("providers", "google")
        .put("google", new JsonObject().put("apiKey", "key-secret-456"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("AIza").hasMessageNotContaining("secret-456");
    assertThat(of(new JsonObject().put("providers", "offline")).mapbox().token()).as("unused: not required").isEmpty();
  }

  @Test
  void baseUrlsAreSchemeHostAndPort() {
    GeocodeConfig c = of(new JsonObject().put("mapbox", new JsonObject().put("baseUrl", "http://127.0.0.1:8089/")));
    assertThat(c.mapbox().baseUrl()).isEqualTo("http://127.0.0.1:8089");
    assertThatThrownBy(() -> of(new JsonObject().put("google", new JsonObject().put("baseUrl", "maps.example.com/api"))))
        .isInstanceOfSatisfying(ConfigException.class, e -> assertThat(e.key()).isEqualTo("geo.google.baseUrl"));
  }

  @Test
  void boundsAreChecked() {
    assertThatThrownBy(() -> of(new JsonObject().put("timeout", "10ms"))).hasMessageContaining("geo.timeout");
    assertThatThrownBy(() -> of(new JsonObject().put("rateLimit", new JsonObject().put("perSecond", "-1"))))
        .hasMessageContaining("geo.rateLimit.perSecond");
    assertThatThrownBy(() -> of(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 0))))
        .hasMessageContaining("geo.breaker.maxFailures");
    assertThat(of(new JsonObject().put("rateLimit", new JsonObject().put("perSecond", "0"))).rateLimit().enabled()).isFalse();
    assertThat(of(new JsonObject().put("rateLimit", new JsonObject().put("perSecond", "2.5"))).rateLimit().perSecond()).isEqualTo(2.5);
  }

  @Test
  void secretsMayComeFromFilesButAnEnvVarWins() throws Exception {
    Path token = dir.resolve("mapbox-token");
    Files.writeString(token, "pk.from-file\n");
    Path key = dir.resolve("google-key");
    Files.writeString(key, "AIzaFromFile");
    JsonObject cfg = new JsonObject().put("geo", new JsonObject().put("providers", "mapbox,google")
        .put("mapbox", new JsonObject().put("token", "").put("tokenFile", token.toString()))
        .put("google", new JsonObject().put("apiKey", "AIzaFromEnv").put("apiKeyFile", key.toString())));
    GeocodeConfig.resolveSecretFiles(cfg);
    GeocodeConfig c = GeocodeConfig.from(cfg);
    assertThat(c.mapbox().token()).isEqualTo("pk.from-file");
    assertThat(c.google().apiKey()).isEqualTo("AIzaFromEnv");
    assertThat(c.toString()).doesNotContain("from-file").doesNotContain("FromEnv");
    JsonObject missing = new JsonObject().put("geo", new JsonObject()
        .put("mapbox", new JsonObject().put("tokenFile", dir.resolve("nope").toString())));
    assertThatThrownBy(() -> GeocodeConfig.resolveSecretFiles(missing)).hasMessageContaining("geo.mapbox.tokenFile");
  }
}
