package io.codex.codecs;

/**
 * One telemetry record as read back from Kafka.
 *
 * @param timestamp     device time, RFC 3339
 * @param receivedAt    ingestion time, RFC 3339
 * @param payloadJson   JSON text of the payload object; kept as text so that consumers that only
 *                      forward it never pay for parsing
 * @param lat           nullable, as are {@code lon}, {@code alt} and {@code correlationId}
 * @param partition     Kafka partition, -1 when unknown
 * @param offset        Kafka offset, -1 when unknown
 */
public record TelemetryRecord(
    String id,
    String deviceId,
    String timestamp,
    String receivedAt,
    String sensorType,
    String payloadJson,
    Double lat,
    Double lon,
    Double alt,
    String correlationId,
    int partition,
    long offset) {

  /** True when both latitude and longitude are known; altitude is optional. */
  public boolean hasLocation() {
    return lat != null && lon != null;
  }

  /** The same record at a Kafka position. */
  public TelemetryRecord at(int partition, long offset) {
    return new TelemetryRecord(id, deviceId, timestamp, receivedAt, sensorType, payloadJson, lat, lon, alt, correlationId,
        partition, offset);
  }
}
