package io.codex.security;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.HashSet;
import java.util.Set;
import org.junit.jupiter.api.Test;

class SecretHasherTest {

  @Test
  void newSecretIs43CharactersOfBase64Url() {
    for (int i = 0; i < 100; i++) {
      assertThat(SecretHasher.newSecret()).hasSize(43).matches("[A-Za-z0-9_-]{43}");
    }
  }

  @Test
  void newSecretsAreDistinctOverTenThousand() {
    Set<String> seen = new HashSet<>();
    for (int i = 0; i < 10_000; i++) seen.add(SecretHasher.newSecret());
    assertThat(seen).hasSize(10_000);
  }

  @Test
  void hashVerifiesTheRightSecret() {
    String secret = SecretHasher.newSecret();
    assertThat(SecretHasher.verify(secret, SecretHasher.hash(secret))).isTrue();
  }

  @Test
  void hashRejectsAWrongSecret() {
    String secret = SecretHasher.newSecret();
    String stored = SecretHasher.hash(secret);
    assertThat(SecretHasher.verify(SecretHasher.newSecret(), stored)).isFalse();
    assertThat(SecretHasher.verify(secret + "x", stored)).isFalse();
    assertThat(SecretHasher.verify("", stored)).isFalse();
  }

  @Test
  void verifyRejectsNullSecretOrNullHash() {
    String secret = SecretHasher.newSecret();
    assertThat(SecretHasher.verify(null, SecretHasher.hash(secret))).isFalse();
    assertThat(SecretHasher.verify(secret, null)).isFalse();
  }

  @Test
  void verifyRejectsMalformedStoredHash() {
    String secret = SecretHasher.newSecret();
    String stored = SecretHasher.hash(secret);
    String digestPart = stored.substring(stored.indexOf(':') + 1);
    assertThat(SecretHasher.verify(secret, digestPart)).as("without prefix").isFalse();
    assertThat(SecretHasher.verify(secret, "md5:" + digestPart)).as("other prefix").isFalse();
    assertThat(SecretHasher.verify(secret, "sha256:%%%not-base64%%%")).as("bad base64").isFalse();
    assertThat(SecretHasher.verify(secret, "sha256:")).as("empty digest").isFalse();
    assertThat(SecretHasher.verify(secret, secret)).as("plain secret stored").isFalse();
  }

  @Test
  void storedHashNeverContainsTheSecret() {
    for (int i = 0; i < 200; i++) {
      String secret = SecretHasher.newSecret();
      String stored = SecretHasher.hash(secret);
      assertThat(stored).doesNotContain(secret).startsWith("sha256:");
    }
    assertThat(SecretHasher.hash("hunter2")).doesNotContain("hunter2");
  }

  @Test
  void hashIsDeterministicSoAnyNodeCanVerify() {
    assertThat(SecretHasher.hash("same")).isEqualTo(SecretHasher.hash("same"));
    assertThat(SecretHasher.hash("same")).isNotEqualTo(SecretHasher.hash("other"));
  }
}
