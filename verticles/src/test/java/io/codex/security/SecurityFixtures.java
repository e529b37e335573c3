package io.codex.security;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.fail;

import io.codex.api.Problem;
import io.vertx.core.Future;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.List;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;

/** Config, keys and blocking helpers shared by the security tests. */
final class SecurityFixtures {
  private static final SecureRandom RANDOM = new SecureRandom();
  private static final String ALPHABET = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";

  private SecurityFixtures() {}

  static String randomMaterial() {
    StringBuilder sb = new StringBuilder(40);
    for (int i = 0; i < 40; i++) sb.append(ALPHABET.charAt(RANDOM.nextInt(ALPHABET.length())));
    return sb.toString();
  }

  static JsonObject hmacKey(String kid, String material) {
    return new JsonObject().put("kid", kid).put("algorithm", "HS256").put("material", material).put("canSign", true);
  }

  /** A config as the launcher resolves it, with the given keys (first signing key signs). */
  static JsonObject config(JsonObject jwt, JsonObject... keys) {
    return new JsonObject().put("auth", new JsonObject()
        .put("jwt", jwt)
        .put("resolved", new JsonObject()
            .put("keys", new JsonArray(List.of((Object[]) keys)))
            .put("jwks", new JsonArray())
            .put("clients", new JsonArray())));
  }

  static JsonObject config(String issuer, JsonObject... keys) {
    return config(new JsonObject().put("issuer", issuer), keys);
  }

  static <T> T await(Future<T> f) {
    try {
      return f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
    } catch (ExecutionException e) {
      throw new AssertionError("expected success but failed with " + e.getCause(), e.getCause());
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static Throwable failureOf(Future<?> f) {
    try {
      Object v = f.toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      return fail("expected a failure but got " + v);
    } catch (ExecutionException e) {
      return e.getCause();
    } catch (Exception e) {
      throw new AssertionError(e);
    }
  }

  static void assertUnauthorized(Future<?> f) {
    Throwable t = failureOf(f);
    assertThat(t).isInstanceOf(Problem.class);
    assertThat(((Problem) t).status()).isEqualTo(401);
  }

  static JsonObject jwtPart(String token, int index) {
    String[] parts = token.split("\\.");
    return new JsonObject(new String(Base64.getUrlDecoder().decode(parts[index]), StandardCharsets.UTF_8));
  }

  static String b64url(String json) {
    return Base64.getUrlEncoder().withoutPadding().encodeToString(json.getBytes(StandardCharsets.UTF_8));
  }
}
