package io.codex.launcher;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.util.List;

/** What the launcher itself needs: data dir, embedded broker, cluster, JVM limits, network transport. */
public record LaunchSettings(
    Path dataDir,
    boolean embeddedKafka,
    int kafkaPort,
    int controllerPort,
    boolean cluster,
    Path clusterConfig,
    String clusterHost,
    int clusterPort,
    List<String> clusterMembers,
    int httpInstances,
    boolean relaunch,
    long maxHeap,
    long maxDirectMemory,
    String jvmOptions,
    String transport) {

  public static LaunchSettings from(JsonObject config) {
    ConfigReader root = ConfigReader.of(config);
    String dataDir = root.string("dataDir", "./data");
    if (dataDir.isBlank()) throw new ConfigException("dataDir", "must not be empty");
    ConfigReader kafka = root.section("kafka");
    ConfigReader embedded = kafka.section("embedded");
    int port = embedded.integer("port", 9092, 1, 65535);
    int controller = embedded.integer("controllerPort", 9093, 1, 65535);
    if (port == controller) throw new ConfigException(embedded.key("controllerPort"), "must differ from kafka.embedded.port");
    ConfigReader cluster = root.section("cluster");
    ConfigReader jvm = root.section("jvm");
    return new LaunchSettings(
        Path.of(dataDir),
        kafka.string("bootstrapServers", "").isBlank(),
        port,
        controller,
        cluster.bool("enabled", false),
        Path.of(cluster.string("config", "cluster-config/cluster.xml")),
        cluster.string("host", "127.0.0.1"),
        cluster.integer("port", 0, 0, 65535),
        cluster.strings("members"),
        root.section("http").integer("instances", 2, 1, 64),
        jvm.bool("relaunch", true),
        jvm.bytes("maxHeap", 512L << 20, 64L << 20, 64L << 30),
        jvm.bytes("maxDirectMemory", 256L << 20, 16L << 20, 64L << 30),
        jvm.string("options", ""),
        EventLoopTransport.validate(root.section("node").string("transport", "nio")));
  }
}
