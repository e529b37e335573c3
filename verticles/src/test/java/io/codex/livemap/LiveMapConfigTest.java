package io.codex.livemap;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import org.junit.jupiter.api.Test;

class LiveMapConfigTest {
  static LiveMapConfig of(JsonObject livemap) {
    return LiveMapConfig.from(new JsonObject().put("livemap", livemap));
  }

  @Test
  void defaults() {
    LiveMapConfig c = LiveMapConfig.from(new JsonObject());
    assertThat(c.flushInterval()).isEqualTo(Duration.ofMillis(200));
    assertThat(c.maxQueuedBytes()).isEqualTo(1 << 20);
    assertThat(c.stallTimeout()).isEqualTo(Duration.ofSeconds(10));
    assertThat(c.instances()).isEqualTo(1);
    assertThat(c.mapboxToken()).isEmpty();
  }

  @Test
  void flushIntervalStaysWithin100And250Ms() {
    assertThat(of(new JsonObject().put("flushInterval", "100ms")).flushInterval()).isEqualTo(Duration.ofMillis(100));
    assertThatThrownBy(() -> of(new JsonObject().put("flushInterval", "50ms"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("livemap.flushInterval");
    assertThatThrownBy(() -> of(new JsonObject().put("flushInterval", "1s"))).isInstanceOf(ConfigException.class);
  }

  @Test
  void refusesASecretMapboxTokenAndAnIdleTimeoutShorterThanThePing() {
    assertThatThrownBy(() -> of(new JsonObject().put("mapboxToken", "sk.secret"))).isInstanceOf(ConfigException.class)
        .hasMessageContaining("pk.");
    assertThat(of(new JsonObject().put("mapboxToken", "pk.public")).mapboxToken()).isEqualTo("pk.public");
    assertThatThrownBy(() -> of(new JsonObject().put("pingInterval", "30s").put("idleTimeout", "20s")))
        .isInstanceOf(ConfigException.class).hasMessageContaining("livemap.idleTimeout");
  }

  @Test
  void readsTheExpiryOfAToken() {
    String payload = java.util.Base64.getUrlEncoder().withoutPadding().encodeToString("{\"exp\":1800000000}".getBytes());
    assertThat(Messages.expiryMillis("h." + payload + ".s")).isEqualTo(1_800_000_000_000L);
    assertThat(Messages.expiryMillis("garbage")).isEqualTo(Long.MAX_VALUE);
    assertThat(Messages.expiryMillis(null)).isEqualTo(Long.MAX_VALUE);
  }
}
