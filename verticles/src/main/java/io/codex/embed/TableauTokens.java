package io.codex.embed;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.time.Clock;
import java.time.Instant;
import java.util.Base64;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Mints Tableau Connected Apps (direct trust) JWTs, HS256 with the connected app's secret value:
 * header {@code alg=HS256}, {@code typ=JWT}, {@code kid} = secret id, {@code iss} = client id;
 * claims {@code iss}, {@code sub}, {@code aud="tableau"}, {@code iat}, {@code exp} (never more
 * than 10 minutes after {@code iat}, whatever is asked), {@code jti} (a random UUID), {@code scp}
 * (a JSON array) and the user attributes of row-level security. Thread-safe.
 */
public final class TableauTokens {
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final long MAX_TTL_SECONDS = EmbedConfig.TABLEAU_MAX_TTL.toSeconds();

  /** A minted token and what went into it (for the answer and the audit log). */
  public record Token(String jwt, String jti, Instant issuedAt, Instant expiresAt) {
    @Override
    public String toString() {
      return "Token[jti=" + jti + ", issuedAt=" + issuedAt + ", expiresAt=" + expiresAt + "]";
    }
  }

  private final String clientId;
  private final String headerPart;
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> mac;
  private final Clock clock;

  public TableauTokens(String clientId, String secretId, String secretValue, Clock clock) {
    this.clientId = clientId;
    this.clock = clock;
    String header = new JsonObject().put("alg", "HS256").put("typ", "JWT").put("kid", secretId).put("iss", clientId).encode();
    this.headerPart = B64URL.encodeToString(header.getBytes(StandardCharsets.UTF_8));
    this.key = new SecretKeySpec(secretValue.getBytes(StandardCharsets.UTF_8), "HmacSHA256");
    this.mac = ThreadLocal.withInitial(this::newMac);
    newMac(); // a bad key fails here, at start, not on the first request
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA256 is not available: " + e.getMessage(), e);
    }
  }

  /**
   * A token for Tableau user {@code sub}.
   *
   * @param ttlSeconds wanted lifetime; capped to 10 minutes, at least 1 second
   * @param attributes user attributes (string or list of strings), already derived from verified claims
   */
  public Token mint(String sub, List<String> scopes, Map<String, Object> attributes, long ttlSeconds) {
    long ttl = Math.max(1, Math.min(MAX_TTL_SECONDS, ttlSeconds));
    long iat = clock.instant().getEpochSecond();
    long exp = iat + ttl;
    String jti = UUID.randomUUID().toString();
    JsonObject claims = new JsonObject()
        .put("iss", clientId)
        .put("sub", sub)
        .put("aud", "tableau")
        .put("iat", iat)
        .put("exp", exp)
        .put("jti", jti)
        .put("scp", new JsonArray(scopes));
    attributes.forEach((name, value) -> claims.put(name, value instanceof List<?> l ? new JsonArray(l) : value));
    String signingInput = headerPart + "." + B64URL.encodeToString(claims.encode().getBytes(StandardCharsets.UTF_8));
    byte[] sig = mac.get().doFinal(signingInput.getBytes(StandardCharsets.US_ASCII));
    return new Token(signingInput + "." + B64URL.encodeToString(sig), jti, Instant.ofEpochSecond(iat), Instant.ofEpochSecond(exp));
  }
}
