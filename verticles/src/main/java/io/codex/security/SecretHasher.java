package io.codex.security;

import java.nio.charset.StandardCharsets;
import java.security.MessageDigest;
import java.security.NoSuchAlgorithmException;
import java.security.SecureRandom;
import java.util.Base64;

/**
 * Secrets handed to devices and API clients are 256 random bits, so a single SHA-256 is enough
 * to store them safely: nothing about a random 256-bit value can be guessed from its hash, and a
 * check takes about a microsecond, which lets every request at 20,000 requests/s authenticate.
 * The hash needs no per-node key, so any node verifies any secret.
 */
public final class SecretHasher {
  private static final String PREFIX = "sha256:";
  private static final SecureRandom RANDOM = new SecureRandom();

  private SecretHasher() {}

  /** A new 256-bit secret, base64url without padding (43 characters). */
  public static String newSecret() {
    byte[] b = new byte[32];
    RANDOM.nextBytes(b);
    return Base64.getUrlEncoder().withoutPadding().encodeToString(b);
  }

  public static String hash(String secret) {
    return PREFIX + Base64.getEncoder().encodeToString(digest(secret));
  }

  public static boolean verify(String secret, String storedHash) {
    if (secret == null || storedHash == null || !storedHash.startsWith(PREFIX)) return false;
    byte[] expected;
    try {
      expected = Base64.getDecoder().decode(storedHash.substring(PREFIX.length()));
    } catch (IllegalArgumentException e) {
      return false;
    }
    return MessageDigest.isEqual(expected, digest(secret));
  }

  private static byte[] digest(String secret) {
    try {
      return MessageDigest.getInstance("SHA-256").digest(secret.getBytes(StandardCharsets.UTF_8));
    } catch (NoSuchAlgorithmException e) {
      throw new IllegalStateException("SHA-256 is part of every JRE", e);
    }
  }
}
