package io.codex.embed;

import io.codex.security.AuthSettings;
import io.codex.security.JwtKey;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.MessageDigest;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.Optional;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Signs share-link URLs: {@code sig} = HMAC-SHA256 over the link id and its expiry, with a key every
 * node holds ({@code embed.links.secret}, or one derived from the platform's HS256 token key), so
 * that a forged or altered URL is refused by any node before its registry is asked. Link ids are
 * 128 random bits; an id alone (as the admin list and the audit log show it) opens nothing.
 */
public final class LinkSigner {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final Base64.Encoder B64URL = Base64.getUrlEncoder().withoutPadding();
  private static final String CONTEXT = "codex.embed-links.v1";

  private final SecretKeySpec key;

  private LinkSigner(byte[] key) {
    this.key = new SecretKeySpec(key, "HmacSHA256");
  }

  /**
   * The signer of this deployment: from {@code embed.links.secret}, else derived from the first
   * HS* token key (shared by all nodes); empty when there is neither (RS/ES keys only).
   */
  public static Optional<LinkSigner> of(EmbedConfig.Links links, AuthSettings auth) {
    if (!links.secret().isEmpty()) return Optional.of(new LinkSigner(links.secret().getBytes(StandardCharsets.UTF_8)));
    for (JwtKey k : auth.keys()) {
      if (k.algorithm().startsWith("HS") && k.material() != null && !k.material().isEmpty()) {
        return Optional.of(new LinkSigner(hmac(k.material().getBytes(StandardCharsets.UTF_8), CONTEXT)));
      }
    }
    return Optional.empty();
  }

  public static LinkSigner withKey(String secret) {
    return new LinkSigner(secret.getBytes(StandardCharsets.UTF_8));
  }

  public static String newId() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return B64URL.encodeToString(b);
  }

  public static boolean validId(String id) {
    return id != null && id.matches("[A-Za-z0-9_-]{22}");
  }

  public String sign(String id, long expiresAtEpochSecond) {
    return B64URL.encodeToString(mac(CONTEXT + "\n" + id + "\n" + expiresAtEpochSecond));
  }

  /** Constant-time check of a URL's signature. */
  public boolean verify(String id, long expiresAtEpochSecond, String sig) {
    if (sig == null) return false;
    byte[] given;
    try {
      given = Base64.getUrlDecoder().decode(sig);
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(given, mac(CONTEXT + "\n" + id + "\n" + expiresAtEpochSecond));
  }

  private byte[] mac(String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(key);
      return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  private static byte[] hmac(byte[] key, String data) {
    try {
      Mac m = Mac.getInstance("HmacSHA256");
      m.init(new SecretKeySpec(key, "HmacSHA256"));
      return m.doFinal(data.getBytes(StandardCharsets.UTF_8));
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException(e);
    }
  }

  @Override
  public String toString() {
    return "LinkSigner[***]";
  }
}
