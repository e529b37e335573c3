package io.codex.testing;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;

/**
 * Telemetry bodies whose records carry {@code payload.marker}, so that a test can find each of them
 * in Kafka afterwards ({@link KafkaTopics#telemetryMarkers}).
 */
public final class MarkedRecords {
  private MarkedRecords() {}

  /** {@code n} records of {@code deviceId}, payload.marker {@code marker-0} … {@code marker-(n-1)}, as a JSON array. */
  public static String array(String deviceId, String marker, int n) {
    JsonArray a = new JsonArray();
    for (int i = 0; i < n; i++) {
      a.add(new JsonObject().put("deviceId", deviceId).put("timestamp", System.currentTimeMillis()).put("sensorType", "flow")
          .put("payload", new JsonObject().put("marker", marker + "-" + i)));
    }
    return a.encode();
  }
}
