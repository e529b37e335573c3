package io.codex.embed;

import io.codex.security.Caller;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.util.EnumSet;
import java.util.Map;

/** Configurations and callers shared by the embed tests. */
final class EmbedFixtures {
  static final String CLIENT_ID = "8f3c2a1e-client";
  static final String SECRET_ID = "5b7d9e0f-secret-id";
  /** Tableau secret values are long random strings; 44 characters here (HS256 wants >= 32 bytes). */
  static final String SECRET_VALUE = "q2Vx8rT0yWm5Lk3Jh7Gf1Ds9Aa4Zz6Xc2Vb8Nn0Mm1Qq=";
  static final String LOOKER_SECRET = "6f8d2e0b9c4a7e1f3b5d8c2a0e9f7b4d6c1a3e5f7b9d2c4e6a8f0b1d3c5e7a9f";

  private EmbedFixtures() {}

  /** A complete embed section: Tableau and Looker configured, everything under Sales/ allowed. */
  static JsonObject config() {
    return new JsonObject().put("embed", new JsonObject()
        .put("allowlist", new JsonArray().add("tableau:Sales/*").add("looker:dashboards/4*"))
        .put("tableau", new JsonObject()
            .put("clientId", CLIENT_ID).put("secretId", SECRET_ID).put("secretValue", SECRET_VALUE)
            .put("server", "https://tableau.example.com").put("site", "acme")
            .put("user", "{email}")
            .put("userAttributes", new JsonObject().put("Region", "region").put("Tenant", "tenant")))
        .put("looker", new JsonObject()
            .put("host", "analytics.example.com").put("secret", LOOKER_SECRET)
            .put("models", new JsonArray().add("fleet"))
            .put("userAttributes", new JsonArray().add("region=region")))
        .put("roles", new JsonObject()
            .put("analyst", new JsonObject().put("allowlist", new JsonArray().add("Finance/*"))
                .put("tableau", new JsonObject().put("scopes", new JsonArray().add("tableau:views:embed").add("tableau:views:embed_authoring"))))));
  }

  static Caller caller(Role role, Map<String, Object> claims) {
    return new Caller("alice", EnumSet.of(role), null, claims);
  }

  static Caller alice(Role role) {
    return caller(role, Map.of("sub", "alice", "email", "alice@example.com", "region", "EMEA", "tenant", "acme"));
  }
}
