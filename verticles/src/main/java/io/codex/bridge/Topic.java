package io.codex.bridge;

/** The platform's Kafka topics (DESIGN.md, "Kafka topics"): config key, default name, partitions. */
public enum Topic {
  TELEMETRY("telemetry", "codex.telemetry", 6, false),
  ALERTS("alerts", "codex.alerts", 3, false),
  GEOFENCE_EVENTS("geofenceEvents", "codex.geofence-events", 3, false),
  AUDIT("audit", "codex.audit", 1, false),
  DEVICES("devices", "codex.devices", 3, true),
  GEOFENCES("geofences", "codex.geofences", 1, true),
  EMBED_LINKS("embedLinks", "codex.embed-links", 1, true);

  /** The key under {@code kafka.topics} that configures this topic. */
  public final String configKey;
  public final String defaultName;
  public final int defaultPartitions;
  /** State every node rebuilds at start: kept compacted, latest value per key. */
  public final boolean compacted;

  Topic(String configKey, String defaultName, int defaultPartitions, boolean compacted) {
    this.configKey = configKey;
    this.defaultName = defaultName;
    this.defaultPartitions = defaultPartitions;
    this.compacted = compacted;
  }
}
