package io.codex.security;

import static org.assertj.core.api.Assertions.assertThat;

import io.vertx.core.Vertx;
import java.util.List;
import org.junit.jupiter.api.Test;

class DeviceRegistryTest {

  static DeviceEntry device(String id, String secret) {
    return new DeviceEntry(id, "name of " + id, false, List.of(), SecretHasher.hash(secret), "2024-01-01T00:00:00Z");
  }

  @Test
  void appliedEntryIsFoundAndVerifiesItsSecret() {
    DeviceRegistry reg = new DeviceRegistry();
    String secret = SecretHasher.newSecret();
    DeviceEntry e = device("dev-1", secret);

    assertThat(reg.apply("dev-1", e, 0)).isTrue();

    assertThat(reg.find("dev-1")).contains(e);
    assertThat(reg.verify("dev-1", secret)).contains(e);
    assertThat(reg.size()).isEqualTo(1);
  }

  @Test
  void wrongSecretOrUnknownDeviceDoesNotVerify() {
    DeviceRegistry reg = new DeviceRegistry();
    String secret = SecretHasher.newSecret();
    reg.apply("dev-1", device("dev-1", secret), 0);

    assertThat(reg.verify("dev-1", SecretHasher.newSecret())).isEmpty();
    assertThat(reg.verify("dev-1", null)).isEmpty();
    assertThat(reg.verify("dev-2", secret)).isEmpty();
    assertThat(reg.find("dev-2")).isEmpty();
  }

  @Test
  void revokedEntryIsNeitherFoundNorVerified() {
    DeviceRegistry reg = new DeviceRegistry();
    String secret = SecretHasher.newSecret();
    reg.apply("dev-1", device("dev-1", secret), 1);

    assertThat(reg.apply("dev-1", null, 2)).isTrue();

    assertThat(reg.find("dev-1")).isEmpty();
    assertThat(reg.verify("dev-1", secret)).isEmpty();
    assertThat(reg.size()).isZero();
  }

  @Test
  void clearForgetsEveryDeviceAndNamesTheLiveOnes() {
    DeviceRegistry reg = new DeviceRegistry();
    String secret = SecretHasher.newSecret();
    reg.apply("dev-1", device("dev-1", secret), 7);
    reg.apply("dev-2", device("dev-2", secret), 8);
    reg.apply("dev-2", null, 9);

    assertThat(reg.clear()).containsExactly("dev-1");

    assertThat(reg.find("dev-1")).isEmpty();
    assertThat(reg.size()).isZero();
    String again = SecretHasher.newSecret();
    assertThat(reg.apply("dev-1", device("dev-1", again), 0)).as("offset 0 of the topic created anew").isTrue();
    assertThat(reg.verify("dev-1", again)).isPresent();
  }

  @Test
  void olderOffsetDoesNotUndoNewerChange() {
    DeviceRegistry reg = new DeviceRegistry();
    String newSecret = SecretHasher.newSecret();
    String oldSecret = SecretHasher.newSecret();
    DeviceEntry newer = device("dev-1", newSecret);

    assertThat(reg.apply("dev-1", newer, 5)).isTrue();
    assertThat(reg.apply("dev-1", device("dev-1", oldSecret), 3)).isFalse();

    assertThat(reg.find("dev-1")).contains(newer);
    assertThat(reg.verify("dev-1", newSecret)).isPresent();
    assertThat(reg.verify("dev-1", oldSecret)).isEmpty();
  }

  @Test
  void olderRevocationDoesNotUndoNewerRegistration() {
    DeviceRegistry reg = new DeviceRegistry();
    DeviceEntry e = device("dev-1", "s");
    reg.apply("dev-1", e, 5);

    assertThat(reg.apply("dev-1", null, 3)).isFalse();
    assertThat(reg.apply("dev-1", null, 5)).as("same offset replayed").isFalse();

    assertThat(reg.find("dev-1")).contains(e);
  }

  @Test
  void olderRegistrationDoesNotResurrectNewerRevocation() {
    DeviceRegistry reg = new DeviceRegistry();
    reg.apply("dev-1", null, 7);

    assertThat(reg.apply("dev-1", device("dev-1", "s"), 4)).isFalse();

    assertThat(reg.find("dev-1")).isEmpty();
  }

  @Test
  void listIsSortedByIdAndLeavesOutRevoked() {
    DeviceRegistry reg = new DeviceRegistry();
    reg.apply("charlie", device("charlie", "c"), 1);
    reg.apply("alpha", device("alpha", "a"), 2);
    reg.apply("bravo", device("bravo", "b"), 3);
    reg.apply("delta", device("delta", "d"), 4);
    reg.apply("bravo", null, 5);

    assertThat(reg.list()).extracting(DeviceEntry::deviceId).containsExactly("alpha", "charlie", "delta");
    assertThat(reg.size()).isEqualTo(3);
  }

  @Test
  void sharedIsOneInstancePerVertx() {
    Vertx a = Vertx.vertx();
    Vertx b = Vertx.vertx();
    try {
      DeviceRegistry a1 = DeviceRegistry.shared(a);
      DeviceRegistry a2 = DeviceRegistry.shared(a);
      DeviceRegistry b1 = DeviceRegistry.shared(b);

      assertThat(a1).isSameAs(a2);
      assertThat(b1).isNotSameAs(a1);

      a1.apply("dev-1", device("dev-1", "s"), 0);
      assertThat(a2.find("dev-1")).isPresent();
      assertThat(b1.find("dev-1")).isEmpty();
    } finally {
      a.close().await();
      b.close().await();
    }
  }
}
