package io.codex.security;

import static io.codex.security.SecurityFixtures.assertUnauthorized;
import static io.codex.security.SecurityFixtures.await;
import static io.codex.security.SecurityFixtures.b64url;
import static io.codex.security.SecurityFixtures.config;
import static io.codex.security.SecurityFixtures.hmacKey;
import static io.codex.security.SecurityFixtures.jwtPart;
import static io.codex.security.SecurityFixtures.randomMaterial;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.config.ConfigException;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.junit5.VertxExtension;
import java.time.Duration;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class TokenServiceTest {
  private static final Duration TEN_MINUTES = Duration.ofMinutes(10);

  private String material;
  private DeviceRegistry registry;
  private TokenService service;

  @BeforeEach
  void setUp(Vertx vertx) {
    material = randomMaterial();
    registry = new DeviceRegistry();
    service = TokenService.create(vertx, AuthSettings.from(config("codex", hmacKey("k1", material))));
  }

  @Test
  void settingsReadIssuerLeewayAndKeys() {
    AuthSettings s = AuthSettings.from(config("codex", hmacKey("k1", material)));
    assertThat(s.issuer()).isEqualTo("codex");
    assertThat(s.leewaySeconds()).isEqualTo(5);
    assertThat(s.keys()).containsExactly(new JwtKey("k1", "HS256", material, true));
    assertThat(s.keys().get(0).toString()).doesNotContain(material);
  }

  @Test
  void settingsWithoutAnyKeyAreRejected() {
    assertThatThrownBy(() -> AuthSettings.from(config("codex")))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.jwt.secret: ");
  }

  @Test
  void issuedTokenVerifiesToCallerWithSubjectAndRoles() {
    assertThat(service.canIssue()).isTrue();
    String token = service.issue("alice", EnumSet.of(Role.VIEWER, Role.ANALYST), null, TEN_MINUTES);

    Caller caller = await(service.verify(token, registry));

    assertThat(caller.subject()).isEqualTo("alice");
    assertThat(caller.roles()).containsExactlyInAnyOrder(Role.VIEWER, Role.ANALYST);
    assertThat(caller.devices()).as("not narrowed: every device").isNull();
    assertThat(caller.maySee("any-device")).isTrue();
    assertThat(caller.claims()).containsEntry("sub", "alice").containsKey("jti").containsKey("exp");
  }

  @Test
  void issuedTokenCarriesKidIssuerAndExpiry() {
    long before = System.currentTimeMillis() / 1000;
    String token = service.issue("alice", EnumSet.of(Role.VIEWER), null, TEN_MINUTES);

    assertThat(jwtPart(token, 0).getString("alg")).isEqualTo("HS256");
    assertThat(jwtPart(token, 0).getString("kid")).isEqualTo("k1");
    JsonObject payload = jwtPart(token, 1);
    assertThat(payload.getString("iss")).isEqualTo("codex");
    assertThat(payload.getString("sub")).isEqualTo("alice");
    assertThat(payload.getJsonArray("roles")).containsExactly("viewer");
    assertThat(payload.getLong("exp")).isBetween(before + 600 - 2, before + 600 + 2);
  }

  @Test
  void narrowedTokenVerifiesWithItsDevices() {
    String token = service.issue("bob", EnumSet.of(Role.VIEWER), List.of("d1", "d2"), TEN_MINUTES);

    Caller caller = await(service.verify(token, registry));

    assertThat(caller.devices()).containsExactlyInAnyOrder("d1", "d2");
    assertThat(caller.maySee("d1")).isTrue();
    assertThat(caller.maySee("d3")).isFalse();
  }

  @Test
  void expiredTokenIsRejectedWith401(Vertx vertx) throws Exception {
    JsonObject jwt = new JsonObject().put("issuer", "codex").put("leewaySeconds", 0);
    TokenService noLeeway = TokenService.create(vertx, AuthSettings.from(config(jwt, hmacKey("k1", material))));
    // exp is in whole seconds: with 2 s to live the token has at least 1 s left when checked at once
    // (with 1 s, one issued late in a second could be expired already: a flaky test)
    String token = noLeeway.issue("alice", EnumSet.of(Role.ADMIN), null, Duration.ofSeconds(2));
    assertThat(await(noLeeway.verify(token, registry)).subject()).as("valid before expiry").isEqualTo("alice");

    Thread.sleep(3_100);

    assertUnauthorized(noLeeway.verify(token, registry));
  }

  @Test
  void tokenSignedWithAnotherKeyIsRejectedWith401(Vertx vertx) {
    TokenService other = TokenService.create(vertx, AuthSettings.from(config("codex", hmacKey("k1", randomMaterial()))));
    String forged = other.issue("mallory", EnumSet.of(Role.ADMIN), null, TEN_MINUTES);
    assertThat(await(other.verify(forged, registry)).subject()).as("valid for its own key").isEqualTo("mallory");

    assertUnauthorized(service.verify(forged, registry));
  }

  @Test
  void tokenWithTamperedPayloadIsRejectedWith401() {
    String token = service.issue("alice", EnumSet.of(Role.VIEWER), null, TEN_MINUTES);
    String[] parts = token.split("\\.");
    JsonObject payload = jwtPart(token, 1).put("roles", new JsonArray().add("admin"));
    String tampered = parts[0] + "." + b64url(payload.encode()) + "." + parts[2];

    assertUnauthorized(service.verify(tampered, registry));
  }

  @Test
  void unsignedAlgNoneTokenIsRejectedWith401() {
    long exp = System.currentTimeMillis() / 1000 + 600;
    String header = b64url("{\"alg\":\"none\",\"typ\":\"JWT\"}");
    String payload = b64url("{\"sub\":\"mallory\",\"iss\":\"codex\",\"roles\":[\"admin\"],\"exp\":" + exp + "}");

    assertUnauthorized(service.verify(header + "." + payload + ".", registry));
  }

  @Test
  void unsignedAlgNoneTokenWithKidIsRejectedWith401() {
    long exp = System.currentTimeMillis() / 1000 + 600;
    String header = b64url("{\"alg\":\"none\",\"typ\":\"JWT\",\"kid\":\"k1\"}");
    String payload = b64url("{\"sub\":\"mallory\",\"iss\":\"codex\",\"roles\":[\"admin\"],\"exp\":" + exp + "}");

    assertUnauthorized(service.verify(header + "." + payload + ".", registry));
  }

  @Test
  void garbageTokenIsRejectedWith401() {
    assertUnauthorized(service.verify("not-a-jwt", registry));
    assertUnauthorized(service.verify("a.b.c", registry));
  }

  @Test
  void tokenFromAnotherIssuerIsRejectedWith401(Vertx vertx) {
    TokenService elsewhere = TokenService.create(vertx, AuthSettings.from(config("elsewhere", hmacKey("k1", material))));
    String token = elsewhere.issue("alice", EnumSet.of(Role.ADMIN), null, TEN_MINUTES);

    assertThat(jwtPart(token, 1).getString("iss")).isEqualTo("elsewhere");
    assertThat(await(elsewhere.verify(token, registry)).subject()).as("valid for its own issuer").isEqualTo("alice");
    assertUnauthorized(service.verify(token, registry));
  }

  @Test
  void tokenWithoutKnownRoleIsRejectedWith401() {
    String token = service.issue("nobody", EnumSet.noneOf(Role.class), null, TEN_MINUTES);

    assertUnauthorized(service.verify(token, registry));
  }

  @Test
  void deviceTokenIsOnlyGoodWhileDeviceIsRegistered() {
    String token = service.issue("dev-7", EnumSet.of(Role.DEVICE), List.of("dev-7"), TEN_MINUTES);

    assertUnauthorized(service.verify(token, registry));

    registry.apply("dev-7", new DeviceEntry("dev-7", null, false, List.of(), SecretHasher.hash("s"), "now"), 1);
    Caller caller = await(service.verify(token, registry));
    assertThat(caller.subject()).isEqualTo("dev-7");
    assertThat(caller.roles()).containsExactly(Role.DEVICE);
    assertThat(caller.devices()).containsExactly("dev-7");

    registry.apply("dev-7", null, 2);
    assertUnauthorized(service.verify(token, registry));
  }

  @Test
  void deviceTokenIsNarrowedToRegistryEntryNotToItsClaim() {
    // the claim lists another device; the registry (not the token) decides what it may publish as
    String token = service.issue("dev-8", EnumSet.of(Role.DEVICE), List.of("dev-8", "someone-else"), TEN_MINUTES);
    registry.apply("dev-8", new DeviceEntry("dev-8", null, false, List.of(), SecretHasher.hash("s"), "now"), 1);

    Caller caller = await(service.verify(token, registry));

    assertThat(caller.devices()).containsExactly("dev-8");
  }

  @Test
  void gatewayTokenMayPublishForItselfAndItsListedDevices() {
    String token = service.issue("gw-1", EnumSet.of(Role.GATEWAY), null, TEN_MINUTES);
    assertUnauthorized(service.verify(token, registry));

    registry.apply("gw-1", new DeviceEntry("gw-1", "gateway", true, List.of("s-1", "s-2"), SecretHasher.hash("s"), "now"), 1);
    Caller caller = await(service.verify(token, registry));

    assertThat(caller.roles()).containsExactly(Role.GATEWAY);
    assertThat(caller.devices()).containsExactlyInAnyOrder("gw-1", "s-1", "s-2");
  }

  @Test
  void adminTokenDoesNotNeedARegistryEntry() {
    String token = service.issue("ops", EnumSet.of(Role.ADMIN, Role.DEVICE), null, TEN_MINUTES);

    Caller caller = await(service.verify(token, registry));

    assertThat(caller.isAdmin()).isTrue();
    assertThat(caller.devices()).isNull();
  }

  @Test
  void rotatedServiceVerifiesTokensOfTheOldKey(Vertx vertx) {
    String k2 = randomMaterial();
    TokenService oldService = service; // k1 only
    TokenService rotated = TokenService.create(vertx,
        AuthSettings.from(config("codex", hmacKey("k2", k2), hmacKey("k1", material))));

    String oldToken = oldService.issue("alice", EnumSet.of(Role.VIEWER), null, TEN_MINUTES);
    String newToken = rotated.issue("bob", EnumSet.of(Role.ANALYST), null, TEN_MINUTES);

    assertThat(jwtPart(newToken, 0).getString("kid")).as("k2 is listed first, so it signs").isEqualTo("k2");
    assertThat(await(rotated.verify(oldToken, registry)).subject()).isEqualTo("alice");
    assertThat(await(rotated.verify(newToken, registry)).subject()).isEqualTo("bob");
    assertUnauthorized(oldService.verify(newToken, registry));
  }

  @Test
  void serviceWithoutSigningKeyCannotIssue(Vertx vertx) {
    JsonObject verifyOnly = hmacKey("k1", material).put("canSign", false);
    TokenService verifier = TokenService.create(vertx, AuthSettings.from(config("codex", verifyOnly)));

    assertThat(verifier.canIssue()).isFalse();
    assertThatThrownBy(() -> verifier.issue("a", EnumSet.of(Role.ADMIN), null, TEN_MINUTES))
        .isInstanceOf(IllegalStateException.class);
    String token = service.issue("alice", EnumSet.of(Role.VIEWER), null, TEN_MINUTES);
    assertThat(await(verifier.verify(token, registry)).subject()).isEqualTo("alice");
  }

  @Test
  void tokenMintedBeforeTheDeviceWasRegisteredAgainIsRefused() {
    String old = service.issue("dev-9", EnumSet.of(Role.DEVICE), List.of("dev-9"), TEN_MINUTES);
    String registeredLater = java.time.Instant.now().plusSeconds(5).toString();
    registry.apply("dev-9", new DeviceEntry("dev-9", null, false, List.of(), SecretHasher.hash("s"), registeredLater), 1);
    assertUnauthorized(service.verify(old, registry));
    registry.apply("dev-9", new DeviceEntry("dev-9", null, false, List.of(), SecretHasher.hash("s"),
        java.time.Instant.now().minusSeconds(5).toString()), 2);
    assertThat(await(service.verify(old, registry)).subject()).isEqualTo("dev-9");
  }
}
