package io.codex.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSObject;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.Base64;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.UUID;
import org.junit.jupiter.api.Test;

/**
 * The Connected Apps JWT against Tableau's documented requirements, verified with nimbus-jose-jwt
 * (not the code that minted it) and the shared secret.
 */
class TableauTokensTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private final TableauTokens tokens = new TableauTokens(EmbedFixtures.CLIENT_ID, EmbedFixtures.SECRET_ID,
      EmbedFixtures.SECRET_VALUE, Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void tokenVerifiesWithTheConnectedAppSecretAndCarriesEveryRequiredHeaderAndClaim() throws Exception {
    TableauTokens.Token t = tokens.mint("alice@example.com", List.of("tableau:views:embed"),
        Map.of("Region", "EMEA", "Projects", List.of("p1", "p2")), 300);

    SignedJWT jwt = SignedJWT.parse(t.jwt());
    assertThat(jwt.verify(new MACVerifier(EmbedFixtures.SECRET_VALUE.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm()).isEqualTo(JWSAlgorithm.HS256);
    assertThat(jwt.getHeader().getType().toString()).isEqualTo("JWT");
    assertThat(jwt.getHeader().getKeyID()).as("kid = the connected app's secret id").isEqualTo(EmbedFixtures.SECRET_ID);
    assertThat(jwt.getHeader().getCustomParam("iss")).as("iss header = the client id").isEqualTo(EmbedFixtures.CLIENT_ID);

    var claims = jwt.getJWTClaimsSet();
    assertThat(claims.getIssuer()).isEqualTo(EmbedFixtures.CLIENT_ID);
    assertThat(claims.getSubject()).isEqualTo("alice@example.com");
    assertThat(claims.getAudience()).containsExactly("tableau");
    assertThat(claims.getIssueTime().toInstant()).isEqualTo(NOW);
    assertThat(claims.getExpirationTime().toInstant()).isEqualTo(NOW.plusSeconds(300));
    assertThat(UUID.fromString(claims.getJWTID()).version()).isEqualTo(4);
    assertThat(claims.getStringListClaim("scp")).containsExactly("tableau:views:embed");
    assertThat(claims.getStringClaim("Region")).isEqualTo("EMEA");
    assertThat(claims.getStringListClaim("Projects")).containsExactly("p1", "p2");
    assertThat(t.jti()).isEqualTo(claims.getJWTID());
    assertThat(t.expiresAt()).isEqualTo(NOW.plusSeconds(300));

    // the wire shapes Tableau is strict about: aud a string, scp an array even with one scope, times in seconds
    JsonObject raw = new JsonObject(new String(Base64.getUrlDecoder().decode(t.jwt().split("\\.")[1]), StandardCharsets.UTF_8));
    assertThat(raw.getValue("aud")).isEqualTo("tableau");
    assertThat(raw.getValue("scp")).isInstanceOf(io.vertx.core.json.JsonArray.class);
    assertThat(raw.getLong("iat")).isEqualTo(NOW.getEpochSecond());
    JsonObject header = new JsonObject(new String(Base64.getUrlDecoder().decode(t.jwt().split("\\.")[0]), StandardCharsets.UTF_8));
    assertThat(header.fieldNames()).containsExactlyInAnyOrder("alg", "typ", "kid", "iss");
  }

  @Test
  void anotherSecretDoesNotVerifyIt() throws Exception {
    String jwt = tokens.mint("alice", List.of("tableau:views:embed"), Map.of(), 60).jwt();
    assertThat(JWSObject.parse(jwt).verify(new MACVerifier("another-secret-value-that-is-long-enough-000".getBytes(StandardCharsets.UTF_8))))
        .isFalse();
  }

  @Test
  void expiryIsNeverMoreThanTenMinutesWhateverIsAsked() throws Exception {
    for (long asked : new long[] {600, 601, 3_600, 86_400, Integer.MAX_VALUE, Long.MAX_VALUE}) {
      var claims = SignedJWT.parse(tokens.mint("alice", List.of("tableau:views:embed"), Map.of(), asked).jwt()).getJWTClaimsSet();
      assertThat(claims.getExpirationTime().toInstant()).as("asked %d s", asked).isEqualTo(NOW.plusSeconds(600));
    }
    for (long asked : new long[] {0, -5, Long.MIN_VALUE}) {
      var claims = SignedJWT.parse(tokens.mint("alice", List.of("tableau:views:embed"), Map.of(), asked).jwt()).getJWTClaimsSet();
      assertThat(claims.getExpirationTime().toInstant()).as("asked %d s", asked).isEqualTo(NOW.plusSeconds(1));
    }
  }

  @Test
  void jtiIsUniqueOverTenThousandTokens() throws Exception {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) {
      TableauTokens.Token t = tokens.mint("alice", List.of("tableau:views:embed"), Map.of(), 60);
      assertThat(seen.add(t.jti())).as("token %d repeats a jti", i).isTrue();
    }
    assertThat(seen).hasSize(10_000);
    assertThat(SignedJWT.parse(tokens.mint("alice", List.of("x"), Map.of(), 60).jwt()).getJWTClaimsSet().getJWTID())
        .isNotIn(seen);
  }

  @Test
  void tokenToStringHidesTheJwt() {
    TableauTokens.Token t = tokens.mint("alice", List.of("tableau:views:embed"), Map.of(), 60);
    assertThat(t.toString()).doesNotContain(t.jwt()).contains(t.jti());
  }
}
