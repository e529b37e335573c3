package io.codex.geo.fence;

import com.fasterxml.jackson.core.JsonFactory;
import com.fasterxml.jackson.core.JsonParser;
import com.fasterxml.jackson.core.JsonToken;
import java.io.IOException;

/**
 * What geofence evaluation needs of a telemetry record (as ingest wrote it to
 * {@code codex.telemetry}): read with a streaming parser that skips the payload.
 *
 * @param lat NaN when the record has no location (it is then not evaluated)
 */
public record GeofencePosition(String recordId, String deviceId, String timestamp, String receivedAt, double lon, double lat) {
  private static final JsonFactory JSON = new JsonFactory();

  public boolean hasLocation() {
    return !Double.isNaN(lat) && !Double.isNaN(lon);
  }

  /** Reads a record; null when it is not a JSON object with a deviceId. */
  public static GeofencePosition parse(byte[] value) {
    return parse(value, true);
  }

  /**
   * Reads only what evaluation needs — device id and location — leaving {@code recordId},
   * {@code timestamp} and {@code receivedAt} null (the parser then skips those strings without
   * decoding them). The evaluator reads the whole record again only for a position that causes a
   * transition.
   */
  public static GeofencePosition parseLocation(byte[] value) {
    return parse(value, false);
  }

  private static GeofencePosition parse(byte[] value, boolean all) {
    if (value == null) return null;
    String id = null;
    String deviceId = null;
    String timestamp = null;
    String receivedAt = null;
    double lat = Double.NaN;
    double lon = Double.NaN;
    try (JsonParser p = JSON.createParser(value)) {
      if (p.nextToken() != JsonToken.START_OBJECT) return null;
      while (p.nextToken() == JsonToken.FIELD_NAME) {
        String f = p.currentName();
        JsonToken t = p.nextToken();
        switch (f) {
          case "id" -> id = all && t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "deviceId" -> deviceId = t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "timestamp" -> timestamp = all && t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "receivedAt" -> receivedAt = all && t == JsonToken.VALUE_STRING ? p.getText() : null;
          case "location" -> {
            if (t != JsonToken.START_OBJECT) {
              p.skipChildren();
              break;
            }
            while (p.nextToken() == JsonToken.FIELD_NAME) {
              String lf = p.currentName();
              JsonToken lt = p.nextToken();
              boolean number = lt == JsonToken.VALUE_NUMBER_FLOAT || lt == JsonToken.VALUE_NUMBER_INT;
              switch (lf) {
                case "lat" -> lat = number ? p.getDoubleValue() : Double.NaN;
                case "lon" -> lon = number ? p.getDoubleValue() : Double.NaN;
                default -> p.skipChildren();
              }
            }
          }
          default -> p.skipChildren();
        }
      }
    } catch (IOException | RuntimeException e) {
      return null;
    }
    if (deviceId == null) return null;
    if (!(lat >= -90 && lat <= 90 && lon >= -180 && lon <= 180)) {
      lat = Double.NaN;
      lon = Double.NaN;
    }
    return new GeofencePosition(id, deviceId, timestamp, receivedAt, lon, lat);
  }
}
