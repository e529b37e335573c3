package io.codex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.api.Status;
import io.codex.security.AuthSettings;
import io.codex.security.Role;
import io.codex.security.TokenService;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.TreeSet;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The route table of DESIGN.md, written down here independently of the code, against the running
 * router: every route answers each role exactly as the table says.
 */
class RoleAccessIT {
  private static final String PUBLIC = "public";
  private static final String ANY = "any";

  /** "METHOD path" → who may call it (admin may call everything that is not public). */
  private static final Map<String, Set<String>> TABLE = new LinkedHashMap<>();

  static {
    for (String r : List.of("GET /health/live", "GET /health/ready", "GET /metrics", "GET /openapi.yaml", "GET /docs",
        "POST /api/v1/auth/token", "GET /embed/l/{linkId}", "GET /map")) {
      TABLE.put(r, Set.of(PUBLIC));
    }
    TABLE.put("GET /api/v1/auth/me", Set.of(ANY));
    for (String r : List.of("POST /api/v1/devices", "GET /api/v1/devices", "GET /api/v1/devices/{deviceId}",
        "DELETE /api/v1/devices/{deviceId}")) {
      TABLE.put(r, Set.of("admin"));
    }
    TABLE.put("POST /api/v1/telemetry", Set.of("device", "gateway"));
    for (String r : List.of("POST /api/v1/embed/tableau", "POST /api/v1/embed/looker")) {
      TABLE.put(r, Set.of("viewer", "analyst"));
    }
    // share links publish a dashboard to whoever holds the URL: "share-link admin"
    for (String r : List.of("POST /api/v1/embed/links", "GET /api/v1/embed/links", "DELETE /api/v1/embed/links/{linkId}")) {
      TABLE.put(r, Set.of("admin"));
    }
    TABLE.put("GET /ws/live", Set.of("viewer", "analyst"));
    for (String r : List.of("GET /api/v1/geocode", "GET /api/v1/geocode/reverse")) {
      TABLE.put(r, Set.of("viewer", "analyst"));
    }
    for (String r : List.of("GET /api/v1/geofences", "GET /api/v1/geofences/{geofenceId}", "GET /api/v1/devices/nearest",
        "GET /api/v1/devices/within")) {
      TABLE.put(r, Set.of("viewer", "analyst"));
    }
    for (String r : List.of("POST /api/v1/geofences", "DELETE /api/v1/geofences/{geofenceId}")) {
      TABLE.put(r, Set.of("admin"));
    }
  }

  @TempDir static Path dir;
  static TestNode node;
  static Tokens tokens;
  static Map<Role, String> byRole = new LinkedHashMap<>();

  @BeforeAll
  static void start() throws Exception {
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), Map.of("auth.jwt.leewaySeconds", 0));
    tokens = new Tokens(node);
    String admin = tokens.forRole(Role.ADMIN);
    assertThat(Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
        new JsonObject().put("deviceId", "dev-1")).status()).isEqualTo(201);
    assertThat(Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin),
        new JsonObject().put("deviceId", "gw-1").put("gateway", true).put("devices", List.of("dev-2"))).status()).isEqualTo(201);
    for (Role r : Role.values()) byRole.put(r, tokens.forRole(r));
    byRole.put(Role.DEVICE, tokens.forDevice("dev-1", Role.DEVICE));
    byRole.put(Role.GATEWAY, tokens.forDevice("gw-1", Role.GATEWAY));
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
  }

  @Test
  void everyRouteOfTheRouterIsInTheTable() {
    Set<String> routed = new TreeSet<>();
    Status.routes(node.platform.vertx()).forEach(o -> {
      JsonObject r = (JsonObject) o;
      routed.add(r.getString("method") + " " + r.getString("path"));
    });
    assertThat(routed).isEqualTo(new TreeSet<>(TABLE.keySet()));
  }

  @Test
  void eachRoleReachesExactlyItsRoutes() {
    TABLE.forEach((route, allowed) -> {
      for (Role role : Role.values()) {
        int status = call(route, Http.bearer(byRole.get(role)));
        boolean may = allowed.contains(PUBLIC) || allowed.contains(ANY) || allowed.contains(role.claim())
            || (role == Role.ADMIN && !allowed.contains(PUBLIC));
        if (may) {
          assertThat(status).as(role + " on " + route).isNotIn(401, 403);
        } else {
          assertThat(status).as(role + " on " + route).isEqualTo(403);
        }
      }
    });
  }

  @Test
  void withoutATokenOnlyPublicRoutesAnswer() {
    TABLE.forEach((route, allowed) -> {
      int status = call(route, null);
      if (allowed.contains(PUBLIC)) {
        assertThat(status).as(route).isNotIn(401, 403);
      } else {
        assertThat(status).as(route).isEqualTo(401);
      }
    });
  }

  @Test
  void rejectsExpiredToken() throws Exception {
    String shortLived = tokens.issue("cli-admin", EnumSet.of(Role.ADMIN), null, Duration.ofSeconds(1));
    assertThat(Http.get(node.url("/api/v1/devices"), Http.bearer(shortLived)).status()).isEqualTo(200);
    Thread.sleep(2_100);
    Http.Response r = Http.get(node.url("/api/v1/devices"), Http.bearer(shortLived));
    assertThat(r.status()).isEqualTo(401);
    assertThat(r.header("WWW-Authenticate")).startsWith("Bearer");
  }

  @Test
  void rejectsTokenSignedWithAnotherKey() {
    Vertx other = Vertx.vertx();
    try {
      JsonObject cfg = new JsonObject().put("auth", new JsonObject().put("jwt", new JsonObject())
          .put("resolved", new JsonObject()
              .put("keys", List.of(new JsonObject().put("kid", "generated").put("algorithm", "HS256")
                  .put("material", "an-attacker-key-that-is-long-enough-0123456789").put("canSign", true)))
              .put("jwks", List.of()).put("clients", List.of())));
      String forged = TokenService.create(other, AuthSettings.from(cfg))
          .issue("cli-admin", EnumSet.of(Role.ADMIN), null, Duration.ofMinutes(5));
      assertThat(Http.get(node.url("/api/v1/devices"), Http.bearer(forged)).status()).isEqualTo(401);
    } finally {
      other.close();
    }
  }

  @Test
  void rejectsUnsignedAlgNoneToken() {
    assertThat(Http.get(node.url("/api/v1/devices"), Http.bearer(Tokens.unsignedAdmin())).status()).isEqualTo(401);
  }

  @Test
  void rejectsGarbageAndUnknownSchemes() {
    assertThat(Http.get(node.url("/api/v1/devices"), "Bearer not.a.jwt").status()).isEqualTo(401);
    assertThat(Http.get(node.url("/api/v1/devices"), "Digest abc").status()).isEqualTo(401);
  }

  private static int call(String route, String authorization) {
    String[] mp = route.split(" ", 2);
    String path = mp[1].replace("{deviceId}", "no-such-device").replace("{linkId}", "no-such-link")
        .replace("{geofenceId}", "no-such-geofence");
    String body = mp[0].equals("POST") ? "{}" : null;
    return Http.send(mp[0], node.url(path), authorization, body == null ? null : "application/json", body).status();
  }
}
