package io.codex.security;

import java.util.Collections;
import java.util.LinkedHashMap;
import java.util.Map;
import java.util.Set;

/**
 * Who is calling, once authenticated: a user or service holding roles, or a device.
 *
 * @param subject the JWT {@code sub}, the client id, or the device id
 * @param roles   the recognised roles (unknown role names are ignored)
 * @param devices the device ids this caller is narrowed to; {@code null} means every device
 * @param claims  the claims of the caller's verified JWT (read-only; empty for Basic credentials):
 *                what capabilities that act on the caller's behalf (e.g. row-level security of
 *                embedded dashboards) may derive from, never from a request body
 */
public record Caller(String subject, Set<Role> roles, Set<String> devices, Map<String, Object> claims) {
  public Caller {
    roles = Set.copyOf(roles);
    devices = devices == null ? null : Set.copyOf(devices);
    claims = claims == null || claims.isEmpty() ? Map.of() : Collections.unmodifiableMap(new LinkedHashMap<>(claims));
  }

  /** A caller without token claims (client credentials, device secrets). */
  public Caller(String subject, Set<Role> roles, Set<String> devices) {
    this(subject, roles, devices, null);
  }

  public boolean has(Role role) {
    return roles.contains(role);
  }

  public boolean isAdmin() {
    return roles.contains(Role.ADMIN);
  }

  /** Whether this caller may see (or, for a device, publish as) the given device. */
  public boolean maySee(String deviceId) {
    return devices == null || devices.contains(deviceId);
  }
}
