package io.codex.bridge;

import io.codex.codecs.TelemetryRecord;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * Kafka value deserializer for readers of {@code codex.telemetry} (geofence evaluation; the live
 * feed decodes the same way the records it did not produce): decodes on the consumer's polling
 * thread, not on an event loop. An unreadable value becomes null (a deserializer that throws would
 * stall its partition); partition and offset are set by the caller.
 */
public final class TelemetryRecordDeserializer implements Deserializer<TelemetryRecord> {

  @Override
  public TelemetryRecord deserialize(String topic, byte[] data) {
    return TelemetryRecordReader.read(data, -1, -1);
  }
}
