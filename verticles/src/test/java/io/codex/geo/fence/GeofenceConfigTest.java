package io.codex.geo.fence;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class GeofenceConfigTest {
  static JsonObject section(JsonObject g) {
    return new JsonObject().put("geofences", g);
  }

  @Test
  void defaultsWithoutASection() {
    GeofenceConfig c = GeofenceConfig.from(new JsonObject());
    assertThat(c.consumerGroup()).isEqualTo("codex-geofences");
    assertThat(c.maxFences()).isEqualTo(10_000);
    assertThat(c.maxCircleRadiusMeters()).isEqualTo(1_000_000);
    assertThat(c.maxPropertiesBytes()).isEqualTo(16 * 1024);
    assertThat(c.recoveryTimeout()).isEqualTo(Duration.ofMinutes(2));
    assertThat(c.defaultK()).isEqualTo(10);
    assertThat(c.maxResults()).isEqualTo(1_000);
  }

  @Test
  void readsValuesAsEnvVarsGiveThem() {
    GeofenceConfig c = GeofenceConfig.from(section(new JsonObject().put("maxFences", "50").put("recoveryTimeout", "30s")
        .put("queries", new JsonObject().put("maxResults", "20").put("defaultK", "5"))));
    assertThat(c.maxFences()).isEqualTo(50);
    assertThat(c.recoveryTimeout()).isEqualTo(Duration.ofSeconds(30));
    assertThat(c.maxResults()).isEqualTo(20);
    assertThat(c.defaultK()).isEqualTo(5);
  }

  @Test
  void refusesBadValuesNamingTheKey() {
    assertThatThrownBy(() -> GeofenceConfig.from(section(new JsonObject().put("consumerGroup", "a b"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("geofences.consumerGroup");
    assertThatThrownBy(() -> GeofenceConfig.from(section(new JsonObject().put("recoveryTimeout", "10m"))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("geofences.recoveryTimeout");
    assertThatThrownBy(() -> GeofenceConfig.from(section(new JsonObject().put("maxCircleRadiusMeters", 0))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("geofences.maxCircleRadiusMeters");
    assertThatThrownBy(() -> GeofenceConfig.from(section(new JsonObject().put("queries", new JsonObject().put("defaultK", 2000)))))
        .isInstanceOf(ConfigException.class).hasMessageContaining("geofences.queries.defaultK");
  }
}
