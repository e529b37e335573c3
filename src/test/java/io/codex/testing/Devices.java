package io.codex.testing;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.Role;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** Registers devices through the admin API and returns their secrets. */
public final class Devices {
  private final TestNode node;
  private final String admin;

  public Devices(TestNode node) {
    this.node = node;
    this.admin = new Tokens(node).forRole(Role.ADMIN);
  }

  public String create(String deviceId) {
    Http.Response r = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin), new JsonObject().put("deviceId", deviceId));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("secret");
  }

  public String createGateway(String deviceId, List<String> devices) {
    Http.Response r = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
        new JsonObject().put("deviceId", deviceId).put("gateway", true).put("devices", devices));
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json().getString("secret");
  }

  public String adminToken() {
    return admin;
  }
}
