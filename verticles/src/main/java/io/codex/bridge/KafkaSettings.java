package io.codex.bridge;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.EnumMap;
import java.util.HashMap;
import java.util.Map;

/**
 * The {@code kafka} section: where the brokers are, the topic names and partition counts, and the
 * producer tuning shared by every node's one producer.
 */
public record KafkaSettings(
    String bootstrapServers,
    String clientId,
    int replicationFactor,
    Map<Topic, String> topicNames,
    Map<Topic, Integer> partitions,
    int lingerMs,
    int earlySendRecords,
    int maxInFlight,
    int batchSize,
    String compression,
    int requestTimeoutMs,
    int deliveryTimeoutMs,
    long bufferMemory) {

  public static KafkaSettings from(JsonObject config) {
    ConfigReader k = ConfigReader.of(config).section("kafka");
    String bootstrap = k.string("bootstrapServers", "");
    if (bootstrap.isBlank()) {
      throw new ConfigException(k.key("bootstrapServers"), "is required (the launcher fills it in for the embedded broker)");
    }
    ConfigReader topics = k.section("topics");
    Map<Topic, String> names = new EnumMap<>(Topic.class);
    Map<Topic, Integer> parts = new EnumMap<>(Topic.class);
    for (Topic t : Topic.values()) {
      ConfigReader s = topics.section(t.configKey);
      String name = s.string("name", t.defaultName);
      if (!name.matches("[A-Za-z0-9._-]{1,249}") || name.equals(".") || name.equals("..")) {
        throw new ConfigException(s.key("name"), "must be a Kafka topic name ([A-Za-z0-9._-], 1-249 chars), got \"" + name + "\"");
      }
      names.put(t, name);
      parts.put(t, s.integer("partitions", t.defaultPartitions, 1, 10_000));
    }
    ConfigReader p = k.section("producer");
    String compression = p.string("compression", "lz4");
    if (!compression.matches("none|gzip|snappy|lz4|zstd")) {
      throw new ConfigException(p.key("compression"), "must be one of none, gzip, snappy, lz4, zstd (got \"" + compression + "\")");
    }
    int requestTimeout = p.integer("requestTimeoutMs", 5_000, 100, 600_000);
    int linger = p.integer("lingerMs", 1, 0, 10_000);
    int delivery = p.integer("deliveryTimeoutMs", 15_000, 1_000, 3_600_000);
    if (delivery < requestTimeout + linger) {
      throw new ConfigException(p.key("deliveryTimeoutMs"), "must be at least requestTimeoutMs + lingerMs (" + (requestTimeout + linger) + ")");
    }
    return new KafkaSettings(
        bootstrap,
        k.string("clientId", "codex"),
        k.integer("replicationFactor", 1, 1, 32),
        names,
        parts,
        linger,
        p.integer("earlySendRecords", 64, 0, 1_000_000),
        p.integer("maxInFlight", 1, 1, 5),
        p.integer("batchSize", 131_072, 1_024, 16 << 20),
        compression,
        requestTimeout,
        delivery,
        p.bytes("bufferMemory", 64L << 20, 1L << 20, 4L << 30));
  }

  public String topic(Topic t) {
    return topicNames.get(t);
  }

  /** The one producer per node: durable (acks=all, idempotent) and batching. */
  public Map<String, String> producerConfig() {
    Map<String, String> m = common();
    m.put("client.id", clientId + "-producer");
    m.put("acks", "all");
    m.put("enable.idempotence", "true");
    m.put("max.in.flight.requests.per.connection", Integer.toString(maxInFlight));
    m.put("linger.ms", Integer.toString(lingerMs));
    m.put("batch.size", Integer.toString(batchSize));
    m.put("compression.type", compression);
    m.put("request.timeout.ms", Integer.toString(requestTimeoutMs));
    m.put("delivery.timeout.ms", Integer.toString(deliveryTimeoutMs));
    // never block an event loop: fail fast instead (see SharedProducer)
    m.put("max.block.ms", "0");
    m.put("metadata.max.idle.ms", Long.toString(java.time.Duration.ofDays(1).toMillis()));
    m.put("buffer.memory", Long.toString(bufferMemory));
    // its averages on /metrics (record wait, request round trip…) cover the last 5-10 s, not 30-60 s
    m.put("metrics.sample.window.ms", "5000");
    m.put("key.serializer", "org.apache.kafka.common.serialization.StringSerializer");
    m.put("value.serializer", "org.apache.kafka.common.serialization.ByteArraySerializer");
    return m;
  }

  /**
   * A consumer that reads from the first offset when its group is new (state builders and sinks
   * must not miss what was written before they joined). {@code groupId} null: no group, for
   * consumers that assign partitions themselves.
   */
  public Map<String, String> consumerConfig(String groupId) {
    Map<String, String> m = common();
    m.put("client.id", clientId + "-consumer-" + (groupId == null ? "replica" : groupId));
    if (groupId != null) m.put("group.id", groupId);
    m.put("auto.offset.reset", "earliest");
    m.put("enable.auto.commit", groupId == null ? "false" : "true");
    m.put("key.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    m.put("value.deserializer", "org.apache.kafka.common.serialization.StringDeserializer");
    return m;
  }

  public Map<String, Object> adminConfig() {
    Map<String, Object> m = new HashMap<>(common());
    m.put("client.id", clientId + "-admin");
    m.put("request.timeout.ms", "5000");
    m.put("default.api.timeout.ms", "10000");
    return m;
  }

  private Map<String, String> common() {
    Map<String, String> m = new HashMap<>();
    m.put("bootstrap.servers", bootstrapServers);
    return m;
  }
}
