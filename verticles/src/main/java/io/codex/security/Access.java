package io.codex.security;

import java.util.EnumSet;
import java.util.Set;

/**
 * Who may call a route: the columns of the route table in DESIGN.md. Admin may call everything
 * that is not public.
 */
public enum Access {
  PUBLIC(EnumSet.noneOf(Role.class)),
  /** Any authenticated caller (e.g. "who am I"). */
  AUTHENTICATED(EnumSet.allOf(Role.class)),
  VIEWER(EnumSet.of(Role.ADMIN, Role.VIEWER, Role.ANALYST)),
  ANALYST(EnumSet.of(Role.ADMIN, Role.ANALYST)),
  DEVICE(EnumSet.of(Role.ADMIN, Role.DEVICE, Role.GATEWAY)),
  ADMIN(EnumSet.of(Role.ADMIN));

  private final Set<Role> roles;

  Access(Set<Role> roles) {
    this.roles = roles;
  }

  public boolean allows(Caller caller) {
    if (this == PUBLIC) return true;
    if (caller == null) return false;
    for (Role r : caller.roles()) {
      if (roles.contains(r)) return true;
    }
    return false;
  }

  public Set<Role> roles() {
    return roles;
  }
}
