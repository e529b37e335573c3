package io.codex.codecs;

import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.MessageCodec;

/** Wire format v1 of {@link TelemetryRecord}: fields in declaration order. */
public final class TelemetryRecordCodec implements MessageCodec<TelemetryRecord, TelemetryRecord> {

  public static final String NAME = "codex.telemetry-record.v1";

  /** Fields this codec writes; a test compares it with the record so that a new field is not silently dropped. */
  static final int FIELD_COUNT = 12;

  @Override
  public void encodeToWire(Buffer b, TelemetryRecord r) {
    Wire.writeString(b, r.id());
    Wire.writeString(b, r.deviceId());
    Wire.writeString(b, r.timestamp());
    Wire.writeString(b, r.receivedAt());
    Wire.writeString(b, r.sensorType());
    Wire.writeString(b, r.payloadJson());
    Wire.writeDouble(b, r.lat());
    Wire.writeDouble(b, r.lon());
    Wire.writeDouble(b, r.alt());
    Wire.writeString(b, r.correlationId());
    b.appendInt(r.partition());
    b.appendLong(r.offset());
  }

  @Override
  public TelemetryRecord decodeFromWire(int pos, Buffer b) {
    Wire.Reader in = Wire.reader(b, pos);
    return new TelemetryRecord(
        in.string(), in.string(), in.string(), in.string(), in.string(), in.string(),
        in.nullableDouble(), in.nullableDouble(), in.nullableDouble(),
        in.string(), in.int32(), in.int64());
  }

  @Override
  public TelemetryRecord transform(TelemetryRecord r) {
    return r; // immutable, safe to share between local consumers
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public byte systemCodecID() {
    return -1;
  }
}
