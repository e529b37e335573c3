package io.codex.testing;

import io.codex.security.AuthSettings;
import io.codex.security.Role;
import io.codex.security.TokenService;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.Collection;
import java.util.EnumSet;
import java.util.List;

/** Tokens signed with a node's own key, as {@code codex token} makes them. */
public final class Tokens {
  private final TokenService service;

  public Tokens(TestNode node) {
    this.service = TokenService.create(node.platform.vertx(), AuthSettings.from(node.platform.config()));
  }

  public String forRole(Role role) {
    return service.issue("cli-" + role.claim(), EnumSet.of(role), null, Duration.ofMinutes(10));
  }

  public String forDevice(String deviceId, Role role) {
    return service.issue(deviceId, EnumSet.of(role), List.of(deviceId), Duration.ofMinutes(10));
  }

  public String issue(String subject, Collection<Role> roles, Collection<String> devices, Duration ttl) {
    return service.issue(subject, roles, devices, ttl);
  }

  /** An unsigned token ({@code alg=none}) claiming admin: must never be accepted. */
  public static String unsignedAdmin() {
    Base64.Encoder enc = Base64.getUrlEncoder().withoutPadding();
    String header = enc.encodeToString("{\"alg\":\"none\",\"typ\":\"JWT\"}".getBytes(StandardCharsets.UTF_8));
    long exp = System.currentTimeMillis() / 1000 + 600;
    String payload = enc.encodeToString(("{\"sub\":\"mallory\",\"iss\":\"codex\",\"roles\":[\"admin\"],\"exp\":" + exp + "}")
        .getBytes(StandardCharsets.UTF_8));
    return header + "." + payload + ".";
  }
}
