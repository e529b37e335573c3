package io.codex.security;

import static io.codex.security.SecurityFixtures.assertUnauthorized;
import static io.codex.security.SecurityFixtures.await;
import static io.codex.security.SecurityFixtures.config;
import static io.codex.security.SecurityFixtures.failureOf;
import static io.codex.security.SecurityFixtures.hmacKey;
import static io.codex.security.SecurityFixtures.randomMaterial;
import static org.assertj.core.api.Assertions.assertThat;

import io.codex.api.Problem;
import io.vertx.core.Vertx;
import io.vertx.junit5.VertxExtension;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.extension.ExtendWith;

@ExtendWith(VertxExtension.class)
class AuthenticatorTest {
  private DeviceRegistry registry;
  private TokenService tokens;
  private Authenticator auth;
  private String deviceSecret;

  @BeforeEach
  void setUp(Vertx vertx) {
    registry = new DeviceRegistry();
    tokens = TokenService.create(vertx, AuthSettings.from(config("codex", hmacKey("k1", randomMaterial()))));
    auth = new Authenticator(tokens, registry);
    deviceSecret = SecretHasher.newSecret();
    registry.apply("dev-1", new DeviceEntry("dev-1", "thermometer", false, List.of(), SecretHasher.hash(deviceSecret), "now"), 1);
  }

  private static String basic(String userPass) {
    return "Basic " + Base64.getEncoder().encodeToString(userPass.getBytes(StandardCharsets.UTF_8));
  }

  @Test
  void basicWithRightDeviceSecretGivesDeviceCaller() {
    Caller caller = await(auth.authenticate(basic("dev-1:" + deviceSecret)));

    assertThat(caller.subject()).isEqualTo("dev-1");
    assertThat(caller.roles()).containsExactly(Role.DEVICE);
    assertThat(caller.devices()).containsExactly("dev-1");
  }

  @Test
  void schemeIsCaseInsensitive() {
    String header = basic("dev-1:" + deviceSecret).replace("Basic", "basic");
    assertThat(await(auth.authenticate(header)).subject()).isEqualTo("dev-1");
  }

  @Test
  void basicForGatewayGivesGatewayCallerWithItsDevices() {
    String gwSecret = SecretHasher.newSecret();
    registry.apply("gw-1", new DeviceEntry("gw-1", null, true, List.of("s-1"), SecretHasher.hash(gwSecret), "now"), 2);

    Caller caller = await(auth.authenticate(basic("gw-1:" + gwSecret)));

    assertThat(caller.roles()).containsExactly(Role.GATEWAY);
    assertThat(caller.devices()).containsExactlyInAnyOrder("gw-1", "s-1");
  }

  @Test
  void aRememberedBasicCredentialStopsWorkingOnceTheDeviceIsRevokedOrReRegistered() {
    String header = basic("dev-1:" + deviceSecret);
    assertThat(await(auth.authenticate(header)).subject()).isEqualTo("dev-1");
    assertThat(await(auth.authenticate(header)).subject()).as("second time: remembered").isEqualTo("dev-1");

    registry.apply("dev-1", null, 2);
    assertUnauthorized(auth.authenticate(header));

    String newSecret = SecretHasher.newSecret();
    registry.apply("dev-1", new DeviceEntry("dev-1", "thermometer", false, List.of(), SecretHasher.hash(newSecret), "now"), 3);
    assertUnauthorized(auth.authenticate(header));
    assertThat(await(auth.authenticate(basic("dev-1:" + newSecret))).subject()).isEqualTo("dev-1");

    // re-registered with the same secret but as a gateway: the new entry's roles, not the remembered ones
    registry.apply("dev-1", new DeviceEntry("dev-1", null, true, List.of("s-9"), SecretHasher.hash(newSecret), "now"), 4);
    assertThat(await(auth.authenticate(basic("dev-1:" + newSecret))).roles()).containsExactly(Role.GATEWAY);
  }

  @Test
  void basicWithWrongSecretIs401() {
    assertUnauthorized(auth.authenticate(basic("dev-1:" + SecretHasher.newSecret())));
  }

  @Test
  void basicForUnknownOrRevokedDeviceIs401() {
    assertUnauthorized(auth.authenticate(basic("dev-2:" + deviceSecret)));
    registry.apply("dev-1", null, 9);
    assertUnauthorized(auth.authenticate(basic("dev-1:" + deviceSecret)));
  }

  @Test
  void malformedBasicCredentialsAre401() {
    assertUnauthorized(auth.authenticate("Basic %%%not-base64%%%"));
    assertUnauthorized(auth.authenticate(basic("no-colon-here")));
    assertUnauthorized(auth.authenticate(basic(":" + deviceSecret)));
    assertUnauthorized(auth.authenticate("Basic"));
  }

  @Test
  void unknownSchemeIs401() {
    assertUnauthorized(auth.authenticate("Digest username=\"dev-1\""));
    assertUnauthorized(auth.authenticate("Token abc"));
  }

  @Test
  void missingHeaderIs401WithBearerChallenge() {
    assertUnauthorized(auth.authenticate(null));
    assertUnauthorized(auth.authenticate("   "));
    Problem p = (Problem) failureOf(auth.authenticate(null));
    assertThat(p.wwwAuthenticate()).startsWith("Bearer");
  }

  @Test
  void bearerTokenIsVerified() {
    String token = tokens.issue("alice", EnumSet.of(Role.VIEWER), null, Duration.ofMinutes(5));

    Caller caller = await(auth.authenticate("Bearer " + token));

    assertThat(caller.subject()).isEqualTo("alice");
    assertThat(caller.roles()).containsExactly(Role.VIEWER);
  }

  @Test
  void bearerWithoutTokenOrWithBadTokenIs401() {
    assertUnauthorized(auth.authenticate("Bearer "));
    assertUnauthorized(auth.authenticate("Bearer not.a.token"));
  }

  @Test
  void deviceSecretIsNotAcceptedAsBearerToken() {
    assertUnauthorized(auth.authenticate("Bearer " + deviceSecret));
  }

  @Test
  void decodeBasicSplitsAtFirstColon() {
    String encoded = Base64.getEncoder().encodeToString("id:se:cret".getBytes(StandardCharsets.UTF_8));
    assertThat(Authenticator.decodeBasic(encoded)).containsExactly("id", "se:cret");
    assertThat(Authenticator.decodeBasic("***")).isNull();
  }
}
