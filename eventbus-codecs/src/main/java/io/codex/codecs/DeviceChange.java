package io.codex.codecs;

import java.util.List;

/**
 * A device registry entry was created, updated or revoked.
 *
 * @param gateway whether the entry is a gateway
 * @param devices for a gateway, the device ids it speaks for; never null
 */
public record DeviceChange(String deviceId, Kind kind, boolean gateway, List<String> devices) {

  public enum Kind { UPSERTED, REVOKED }

  public DeviceChange {
    // Copy so that a caller mutating its list cannot change a message already on the bus.
    devices = devices == null ? List.of() : List.copyOf(devices);
  }
}
