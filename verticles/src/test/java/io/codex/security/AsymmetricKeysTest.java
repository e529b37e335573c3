package io.codex.security;

import static io.codex.security.SecurityFixtures.assertUnauthorized;
import static io.codex.security.SecurityFixtures.await;
import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.math.BigInteger;
import java.security.KeyPair;
import java.security.KeyPairGenerator;
import java.security.interfaces.RSAPublicKey;
import java.security.spec.ECGenParameterSpec;
import java.time.Duration;
import java.util.Base64;
import java.util.EnumSet;
import java.util.List;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/** RS256 and ES256 keys as PEM (what auth.jwt.keys reads from files) and verify-only JWKS keys. */
class AsymmetricKeysTest {
  private Vertx vertx;

  @BeforeEach
  void setUp() {
    vertx = Vertx.vertx();
  }

  @AfterEach
  void tearDown() {
    vertx.close();
  }

  static String pem(String type, byte[] der) {
    return "-----BEGIN " + type + "-----\n" + Base64.getMimeEncoder(64, "\n".getBytes()).encodeToString(der)
        + "\n-----END " + type + "-----\n";
  }

  static JsonObject key(String kid, String alg, String material, boolean canSign) {
    return new JwtKey(kid, alg, material, canSign).toJson();
  }

  private TokenService service(JsonObject... keys) {
    return TokenService.create(vertx, AuthSettings.from(SecurityFixtures.config("codex", keys)));
  }

  @Test
  void rs256PrivateKeySignsAndPublicKeyVerifies() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    String pub = pem("PUBLIC KEY", kp.getPublic().getEncoded());
    String priv = pem("PRIVATE KEY", kp.getPrivate().getEncoded());
    TokenService issuer = service(key("rsa-1", "RS256", pub, false), key("rsa-1", "RS256", priv, true));
    String token = issuer.issue("cli-analyst", EnumSet.of(Role.ANALYST), null, Duration.ofMinutes(5));
    assertThat(SecurityFixtures.jwtPart(token, 0).getString("alg")).isEqualTo("RS256");
    TokenService verifyOnly = service(key("rsa-1", "RS256", pub, false));
    assertThat(verifyOnly.canIssue()).isFalse();
    Caller c = await(verifyOnly.verify(token, new DeviceRegistry()));
    assertThat(c.roles()).containsExactly(Role.ANALYST);

    KeyPair other = g.generateKeyPair();
    TokenService wrong = service(key("rsa-1", "RS256", pem("PUBLIC KEY", other.getPublic().getEncoded()), false));
    assertUnauthorized(wrong.verify(token, new DeviceRegistry()));
  }

  @Test
  void es256KeysSignAndVerify() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("EC");
    g.initialize(new ECGenParameterSpec("secp256r1"));
    KeyPair kp = g.generateKeyPair();
    TokenService s = service(key("ec-1", "ES256", pem("PUBLIC KEY", kp.getPublic().getEncoded()), false),
        key("ec-1", "ES256", pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true));
    String token = s.issue("cli-viewer", EnumSet.of(Role.VIEWER), List.of("a"), Duration.ofMinutes(5));
    Caller c = await(s.verify(token, new DeviceRegistry()));
    assertThat(c.devices()).containsExactly("a");
  }

  @Test
  void jwksKeysVerifyTokensOfAnIdentityProvider() throws Exception {
    KeyPairGenerator g = KeyPairGenerator.getInstance("RSA");
    g.initialize(2048);
    KeyPair kp = g.generateKeyPair();
    TokenService idp = service(key("idp-7", "RS256", pem("PRIVATE KEY", kp.getPrivate().getEncoded()), true));
    String token = idp.issue("alice", EnumSet.of(Role.VIEWER), null, Duration.ofMinutes(5));
    RSAPublicKey pub = (RSAPublicKey) kp.getPublic();
    Base64.Encoder b64 = Base64.getUrlEncoder().withoutPadding();
    JsonObject jwk = new JsonObject().put("kty", "RSA").put("kid", "idp-7").put("alg", "RS256").put("use", "sig")
        .put("n", b64.encodeToString(unsigned(pub.getModulus()))).put("e", b64.encodeToString(unsigned(pub.getPublicExponent())));
    JsonObject cfg = SecurityFixtures.config("codex");
    cfg.getJsonObject("auth").getJsonObject("resolved").put("jwks", new JsonArray().add(jwk));
    TokenService verifier = TokenService.create(vertx, AuthSettings.from(cfg));
    assertThat(await(verifier.verify(token, new DeviceRegistry())).subject()).isEqualTo("alice");
  }

  private static byte[] unsigned(BigInteger n) {
    byte[] b = n.toByteArray();
    return b[0] == 0 ? java.util.Arrays.copyOfRange(b, 1, b.length) : b;
  }
}
