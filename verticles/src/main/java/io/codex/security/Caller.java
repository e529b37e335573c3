package io.codex.security;

import java.util.Set;

/**
 * Who is calling, once authenticated: a user or service holding roles, or a device.
 *
 * @param subject the JWT {@code sub}, the client id, or the device id
 * @param roles   the recognised roles (unknown role names are ignored)
 * @param devices the device ids this caller is narrowed to; {@code null} means every device
 */
public record Caller(String subject, Set<Role> roles, Set<String> devices) {
  public Caller {
    roles = Set.copyOf(roles);
    devices = devices == null ? null : Set.copyOf(devices);
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
