package io.codex.geo.fence;

import io.codex.bridge.TelemetryRecordDeserializer;
import io.codex.codecs.TelemetryRecord;

/**
 * What geofence evaluation needs of a telemetry record (as ingest wrote it to
 * {@code codex.telemetry}), read with the live feed's one-pass reader: every node's evaluator reads
 * every record it is assigned, so this runs at the ingest rate.
 *
 * @param lat NaN when the record has no location (it is then not evaluated)
 */
public record GeofencePosition(String recordId, String deviceId, String timestamp, String receivedAt, double lon, double lat) {
  private static final TelemetryRecordDeserializer READER = new TelemetryRecordDeserializer();

  public boolean hasLocation() {
    return !Double.isNaN(lat) && !Double.isNaN(lon);
  }

  /** Reads a record; null when it is not a JSON object with a deviceId. */
  public static GeofencePosition parse(byte[] value) {
    TelemetryRecord r = READER.deserialize(null, value);
    if (r == null || r.deviceId() == null) return null;
    double lat = r.lat() == null ? Double.NaN : r.lat();
    double lon = r.lon() == null ? Double.NaN : r.lon();
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
      lat = Double.NaN;
      lon = Double.NaN;
    }
    return new GeofencePosition(r.id(), r.deviceId(), r.timestamp(), r.receivedAt(), lon, lat);
  }
}
