package io.codex.codecs;

/**
 * One telemetry record as read back from Kafka.
 *
 * @param timestamp     device time, RFC 3339
 * @param receivedAt    ingestion time, RFC 3339
 * @param payload       JSON text of the payload object; kept as text so that consumers that only
 *                      forward it never pay for parsing, and as the bytes it arrived in until one
 *                      asks for it ({@link #payloadJson()})
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
    JsonText payload,
    Double lat,
    Double lon,
    Double alt,
    String correlationId,
    int partition,
    long offset) {

  /** With the payload's JSON text as a String (null for none). */
  public TelemetryRecord(String id, String deviceId, String timestamp, String receivedAt, String sensorType,
      String payloadJson, Double lat, Double lon, Double alt, String correlationId, int partition, long offset) {
    this(id, deviceId, timestamp, receivedAt, sensorType, JsonText.of(payloadJson), lat, lon, alt, correlationId,
        partition, offset);
  }

  /** The payload's JSON text (decoded on the first call); null for none. */
  public String payloadJson() {
    return payload == null ? null : payload.toString();
  }

  /** True when both latitude and longitude are known; altitude is optional. */
  public boolean hasLocation() {
    return lat != null && lon != null;
  }

  /** The same record at a Kafka position. */
  public TelemetryRecord at(int partition, long offset) {
    return new TelemetryRecord(id, deviceId, timestamp, receivedAt, sensorType, payload, lat, lon, alt, correlationId,
        partition, offset);
  }
}
