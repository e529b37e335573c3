package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.config.ConfigException;
import io.vertx.core.json.JsonObject;
import java.util.Map;
import org.junit.jupiter.api.Test;

class KafkaSettingsTest {

  private static JsonObject kafka(JsonObject section) {
    return new JsonObject().put("kafka", section);
  }

  private static JsonObject minimal() {
    return new JsonObject().put("bootstrapServers", "localhost:9092");
  }

  @Test
  void defaultsComeFromTopic() {
    KafkaSettings s = KafkaSettings.from(kafka(minimal()));

    assertThat(s.bootstrapServers()).isEqualTo("localhost:9092");
    assertThat(s.topic(Topic.TELEMETRY)).isEqualTo("codex.telemetry");
    assertThat(s.topic(Topic.ALERTS)).isEqualTo("codex.alerts");
    assertThat(s.topic(Topic.DEVICES)).isEqualTo("codex.devices");
    for (Topic t : Topic.values()) {
      assertThat(s.topic(t)).as(t.name()).isEqualTo(t.defaultName);
      assertThat(s.partitions().get(t)).as(t.name()).isEqualTo(t.defaultPartitions);
    }
    assertThat(s.clientId()).isEqualTo("codex");
    assertThat(s.replicationFactor()).isEqualTo(1);
    assertThat(s.compression()).isEqualTo("lz4");
    assertThat(s.lingerMs()).isEqualTo(1);
    assertThat(s.earlySendRecords()).isEqualTo(64);
  }

  @Test
  void rejectsNegativeEarlySendRecordsNamingTheKey() {
    JsonObject cfg = minimal().put("producer", new JsonObject().put("earlySendRecords", -1));

    assertThatThrownBy(() -> KafkaSettings.from(kafka(cfg)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.producer.earlySendRecords: ");
  }

  @Test
  void topicNameAndPartitionsCanBeOverridden() {
    JsonObject cfg = minimal().put("topics", new JsonObject()
        .put("telemetry", new JsonObject().put("name", "acme.telemetry").put("partitions", "12")));

    KafkaSettings s = KafkaSettings.from(kafka(cfg));

    assertThat(s.topic(Topic.TELEMETRY)).isEqualTo("acme.telemetry");
    assertThat(s.partitions().get(Topic.TELEMETRY)).isEqualTo(12);
    assertThat(s.topic(Topic.ALERTS)).isEqualTo("codex.alerts");
  }

  @Test
  void rejectsBadTopicNameNamingTheKey() {
    JsonObject cfg = minimal().put("topics", new JsonObject()
        .put("telemetry", new JsonObject().put("name", "codex telemetry!")));

    assertThatThrownBy(() -> KafkaSettings.from(kafka(cfg)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.topics.telemetry.name: ")
        .hasMessageContaining("codex telemetry!");
  }

  @Test
  void rejectsZeroPartitionsNamingTheKey() {
    JsonObject cfg = minimal().put("topics", new JsonObject()
        .put("geofenceEvents", new JsonObject().put("partitions", 0)));

    assertThatThrownBy(() -> KafkaSettings.from(kafka(cfg)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.topics.geofenceEvents.partitions: ");
  }

  @Test
  void rejectsMissingBootstrapServersNamingTheKey() {
    assertThatThrownBy(() -> KafkaSettings.from(kafka(new JsonObject())))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.bootstrapServers: ");
    assertThatThrownBy(() -> KafkaSettings.from(new JsonObject()))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.bootstrapServers: ");
    assertThatThrownBy(() -> KafkaSettings.from(kafka(new JsonObject().put("bootstrapServers", " "))))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.bootstrapServers: ");
  }

  @Test
  void producerIsDurableAndIdempotent() {
    Map<String, String> p = KafkaSettings.from(kafka(minimal())).producerConfig();

    assertThat(p)
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry("acks", "all")
        .containsEntry("enable.idempotence", "true")
        .containsEntry("compression.type", "lz4")
        .containsEntry("linger.ms", "1")
        .as("its averages on /metrics are recent: two samples of 5 s").containsEntry("metrics.sample.window.ms", "5000");
    assertThat(Integer.parseInt(p.get("max.in.flight.requests.per.connection")))
        .as("idempotence requires at most 5 in flight").isBetween(1, 5);
  }

  @Test
  void consumerStartsFromEarliest() {
    KafkaSettings s = KafkaSettings.from(kafka(minimal()));

    Map<String, String> grouped = s.consumerConfig("alerts");
    assertThat(grouped)
        .containsEntry("bootstrap.servers", "localhost:9092")
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("group.id", "alerts");

    Map<String, String> replica = s.consumerConfig(null);
    assertThat(replica)
        .containsEntry("auto.offset.reset", "earliest")
        .containsEntry("enable.auto.commit", "false")
        .doesNotContainKey("group.id");
  }

  @Test
  void rejectsUnknownCompressionNamingTheKey() {
    JsonObject cfg = minimal().put("producer", new JsonObject().put("compression", "brotli"));

    assertThatThrownBy(() -> KafkaSettings.from(kafka(cfg)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.producer.compression: ")
        .hasMessageContaining("brotli");
  }

  @Test
  void rejectsDeliveryTimeoutShorterThanRequestTimeoutPlusLinger() {
    JsonObject cfg = minimal().put("producer", new JsonObject()
        .put("requestTimeoutMs", 20_000).put("lingerMs", 100).put("deliveryTimeoutMs", 20_000));

    assertThatThrownBy(() -> KafkaSettings.from(kafka(cfg)))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.producer.deliveryTimeoutMs: ")
        .hasMessageContaining("20100");
  }
}
