package io.codex.security;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumSet;
import java.util.List;
import java.util.Set;

/**
 * The {@code auth} section as verticles see it: key material and client credentials already
 * resolved by the launcher (files read, missing secrets generated) under {@code auth.resolved}.
 */
public record AuthSettings(
    List<JwtKey> keys,
    List<JsonObject> jwks,
    String issuer,
    int leewaySeconds,
    Duration tokenTtl,
    Duration maxTokenTtl,
    List<ApiClient> clients) {

  /** A seeded API client (client-credentials grant); only the hash of its secret is held. */
  public record ApiClient(String clientId, Set<Role> roles, List<String> devices, String secretHash) {
    public JsonObject toJson() {
      JsonObject o = new JsonObject().put("clientId", clientId)
          .put("roles", new JsonArray(roles.stream().map(Role::claim).toList()))
          .put("secretHash", secretHash);
      if (devices != null) o.put("devices", new JsonArray(devices));
      return o;
    }
  }

  public static AuthSettings from(JsonObject config) {
    ConfigReader auth = ConfigReader.of(config).section("auth");
    ConfigReader jwt = auth.section("jwt");
    ConfigReader resolved = auth.section("resolved");
    List<JwtKey> keys = new ArrayList<>();
    for (ConfigReader k : resolved.sections("keys")) keys.add(JwtKey.fromJson(k.json()));
    List<JsonObject> jwks = new ArrayList<>();
    for (ConfigReader k : resolved.sections("jwks")) jwks.add(k.json());
    if (keys.isEmpty() && jwks.isEmpty()) {
      throw new ConfigException(jwt.key("secret"), "no JWT key: set auth.jwt.secret, auth.jwt.keys or auth.jwt.jwksFile");
    }
    Duration ttl = jwt.duration("tokenTtl", Duration.ofHours(1));
    Duration max = jwt.duration("maxTokenTtl", Duration.ofDays(1));
    if (ttl.compareTo(max) > 0) throw new ConfigException(jwt.key("tokenTtl"), "must not exceed auth.jwt.maxTokenTtl (" + max + ")");
    List<ApiClient> clients = new ArrayList<>();
    for (ConfigReader c : resolved.sections("clients")) {
      clients.add(new ApiClient(c.requiredString("clientId"), roles(c, "roles"),
          c.has("devices") ? c.strings("devices") : null, c.requiredString("secretHash")));
    }
    return new AuthSettings(keys, jwks, jwt.string("issuer", "codex"), jwt.integer("leewaySeconds", 5, 0, 300),
        ttl, max, clients);
  }

  /** Parses a list of role names, naming the key when one is unknown. */
  public static Set<Role> roles(ConfigReader section, String name) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (String r : section.strings(name)) {
      roles.add(Role.fromClaim(r).orElseThrow(() -> new ConfigException(section.key(name),
          "unknown role \"" + r + "\" (admin, viewer, analyst, device, gateway)")));
    }
    if (roles.isEmpty()) throw new ConfigException(section.key(name), "must name at least one role");
    return roles;
  }
}
