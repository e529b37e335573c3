package io.codex.security;

import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.Optional;
import java.util.Set;

/** Device credentials (device id + secret) to a {@link Caller} that may publish only as itself. */
public final class DeviceAuth {
  private DeviceAuth() {}

  public static Optional<Caller> authenticate(DeviceRegistry registry, String deviceId, String secret) {
    return registry.verify(deviceId, secret).map(DeviceAuth::callerOf);
  }

  public static Caller callerOf(DeviceEntry e) {
    return new Caller(e.deviceId(), EnumSet.of(e.gateway() ? Role.GATEWAY : Role.DEVICE), publishable(e));
  }

  /** A device publishes as itself; a gateway also for the devices listed in its registry entry. */
  public static Set<String> publishable(DeviceEntry e) {
    Set<String> ids = new LinkedHashSet<>();
    ids.add(e.deviceId());
    if (e.gateway()) ids.addAll(e.devices());
    return ids;
  }
}
