package io.codex.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.EnumSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

/** The route table of DESIGN.md, column by column. */
class AccessTest {

  private static Caller as(Role role) {
    return new Caller("someone", EnumSet.of(role), null);
  }

  private static Set<Role> allowedRoles(Access access) {
    Set<Role> allowed = EnumSet.noneOf(Role.class);
    for (Role r : Role.values()) {
      if (access.allows(as(r))) allowed.add(r);
    }
    return allowed;
  }

  @Test
  void publicAllowsAnonymousAndEveryRole() {
    assertThat(Access.PUBLIC.allows(null)).isTrue();
    assertThat(allowedRoles(Access.PUBLIC)).containsExactlyInAnyOrder(Role.values());
  }

  @Test
  void viewerAllowsViewerAnalystAndAdminButNotDevices() {
    assertThat(allowedRoles(Access.VIEWER)).containsExactlyInAnyOrder(Role.VIEWER, Role.ANALYST, Role.ADMIN);
    assertThat(Access.VIEWER.allows(as(Role.DEVICE))).isFalse();
    assertThat(Access.VIEWER.allows(as(Role.GATEWAY))).isFalse();
    assertThat(Access.VIEWER.allows(null)).isFalse();
  }

  @Test
  void analystAllowsAnalystAndAdminOnly() {
    assertThat(allowedRoles(Access.ANALYST)).containsExactlyInAnyOrder(Role.ANALYST, Role.ADMIN);
    assertThat(Access.ANALYST.allows(null)).isFalse();
  }

  @Test
  void deviceAllowsDeviceGatewayAndAdmin() {
    assertThat(allowedRoles(Access.DEVICE)).containsExactlyInAnyOrder(Role.DEVICE, Role.GATEWAY, Role.ADMIN);
    assertThat(Access.DEVICE.allows(null)).isFalse();
  }

  @Test
  void adminAllowsOnlyAdmin() {
    assertThat(allowedRoles(Access.ADMIN)).containsExactly(Role.ADMIN);
    assertThat(Access.ADMIN.allows(null)).isFalse();
  }

  @Test
  void authenticatedAllowsAnyRoleButNotAnonymous() {
    assertThat(allowedRoles(Access.AUTHENTICATED)).containsExactlyInAnyOrder(Role.values());
    assertThat(Access.AUTHENTICATED.allows(null)).isFalse();
  }

  @Test
  void callerWithSeveralRolesIsAllowedByAnyOfThem() {
    Caller viewerAndDevice = new Caller("x", EnumSet.of(Role.VIEWER, Role.DEVICE), null);
    assertThat(Access.VIEWER.allows(viewerAndDevice)).isTrue();
    assertThat(Access.DEVICE.allows(viewerAndDevice)).isTrue();
    assertThat(Access.ANALYST.allows(viewerAndDevice)).isFalse();
    assertThat(Access.ADMIN.allows(viewerAndDevice)).isFalse();
  }

  @Test
  void callerWithoutRolesIsOnlyAllowedPublicRoutes() {
    Caller none = new Caller("x", EnumSet.noneOf(Role.class), null);
    for (Access a : Access.values()) {
      assertThat(a.allows(none)).as(a.name()).isEqualTo(a == Access.PUBLIC);
    }
  }
}
