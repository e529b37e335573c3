package io.codex.codecs;

/** Event-bus addresses of Codex; the single place where their names are spelled. */
public final class Addresses {

  /** Publish, local: each telemetry record read back from Kafka ({@link TelemetryRecord}). */
  public static final String TELEMETRY_RECEIVED = "codex.telemetry.received";
  /** Publish, local: a device registry entry was created, updated or revoked ({@link DeviceChange}). */
  public static final String DEVICES_CHANGED = "codex.devices.changed";
  /** Publish: an alert rule fired. */
  public static final String ALERTS_RAISED = "codex.alerts.raised";
  /** Publish: a device entered or left a geofence. */
  public static final String GEOFENCES_CROSSED = "codex.geofences.crossed";
  /** Request/reply, reserved: address to coordinates. */
  public static final String GEOCODE_FORWARD = "codex.geocode.forward";
  /** Request/reply, reserved: coordinates to address. */
  public static final String GEOCODE_REVERSE = "codex.geocode.reverse";
  /** Request/reply, reserved: run a query against stored telemetry. */
  public static final String QUERY_EXECUTE = "codex.query.execute";
  /** Request/reply, reserved: issue a Tableau embed token. */
  public static final String EMBED_TABLEAU = "codex.embed.tableau";

  private Addresses() {
  }
}
