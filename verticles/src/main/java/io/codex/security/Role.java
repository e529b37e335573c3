package io.codex.security;

import java.util.Locale;
import java.util.Optional;

/** The roles a caller may hold, as they appear in the JWT claim {@code roles}. */
public enum Role {
  ADMIN, VIEWER, ANALYST, DEVICE, GATEWAY;

  public String claim() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Role> fromClaim(String value) {
    if (value == null) return Optional.empty();
    for (Role r : values()) {
      if (r.claim().equals(value.trim().toLowerCase(Locale.ROOT))) return Optional.of(r);
    }
    return Optional.empty();
  }
}
