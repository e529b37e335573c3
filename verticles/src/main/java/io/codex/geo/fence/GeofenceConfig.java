package io.codex.geo.fence;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code geofences} section: what a fence may be, how the cluster evaluates positions against
 * the fences, and the bounds of the spatial queries over the latest device positions.
 *
 * @param consumerGroup         the consumer group shared by every node's evaluator on
 *                              {@code codex.telemetry}: each position is evaluated once in the cluster
 * @param maxPollRecords        positions evaluated per batch (one Kafka poll); the batch's events are
 *                              acknowledged before its offsets are committed
 * @param recoveryTimeout       how long an evaluator may take to rebuild the inside/outside state of
 *                              newly assigned partitions from {@code codex.geofence-events}
 * @param maxFences             fences the registry holds; more: 409
 * @param maxVertices           positions per fence, all rings together
 * @param maxCircleRadiusMeters the largest circle radius
 * @param maxPropertiesBytes    the client's {@code properties} of a fence, as JSON
 * @param maxBodyBytes          the body of {@code POST /api/v1/geofences}
 * @param defaultK              {@code k} of {@code /api/v1/devices/nearest} when the request has none
 * @param maxResults            the most devices a spatial query answers ({@code k} and {@code within})
 * @param maxRadiusMeters       the largest {@code radiusMeters} of {@code /api/v1/devices/within}
 */
public record GeofenceConfig(
    String consumerGroup,
    int maxPollRecords,
    Duration recoveryTimeout,
    int maxFences,
    int maxVertices,
    double maxCircleRadiusMeters,
    int maxPropertiesBytes,
    long maxBodyBytes,
    int defaultK,
    int maxResults,
    double maxRadiusMeters) {

  public static GeofenceConfig from(JsonObject config) {
    ConfigReader g = ConfigReader.of(config).section("geofences");
    String group = g.string("consumerGroup", "codex-geofences").trim();
    if (!group.matches("[A-Za-z0-9._-]{1,200}")) {
      throw new ConfigException(g.key("consumerGroup"), "must be 1-200 characters of A-Z a-z 0-9 . _ - (got \"" + group + "\")");
    }
    Duration recovery = g.duration("recoveryTimeout", Duration.ofMinutes(2));
    if (recovery.toSeconds() < 1 || recovery.toMinutes() > 4) {
      // it runs inside the consumer's rebalance callback: it must end well within max.poll.interval.ms (5 min)
      throw new ConfigException(g.key("recoveryTimeout"), "must be between 1s and 4m (got " + recovery.toMillis() + "ms)");
    }
    ConfigReader q = g.section("queries");
    int maxResults = q.integer("maxResults", 1_000, 1, 100_000);
    int defaultK = q.integer("defaultK", 10, 1, 100_000);
    if (defaultK > maxResults) {
      throw new ConfigException(q.key("defaultK"), "must not be more than geofences.queries.maxResults (" + maxResults + ")");
    }
    return new GeofenceConfig(
        group,
        g.integer("maxPollRecords", 2_000, 1, 100_000),
        recovery,
        g.integer("maxFences", 10_000, 1, 1_000_000),
        g.integer("maxVertices", 10_000, 4, 1_000_000),
        g.integer("maxCircleRadiusMeters", 1_000_000, 1, (int) Spherical.MAX_DISTANCE_M),
        (int) g.bytes("maxPropertiesSize", 16L << 10, 0, 1L << 20),
        g.bytes("maxBodySize", 2L << 20, 1L << 10, 64L << 20),
        defaultK,
        maxResults,
        q.integer("maxRadiusMeters", 1_000_000, 1, (int) Spherical.MAX_DISTANCE_M));
  }
}
