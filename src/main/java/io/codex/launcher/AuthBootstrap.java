package io.codex.launcher;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.codex.security.AuthSettings;
import io.codex.security.JwtKey;
import io.codex.security.Role;
import io.codex.security.SecretHasher;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.util.ArrayList;
import java.util.List;
import java.util.Set;

/**
 * Resolves the {@code auth} section before any verticle starts: reads key files, generates the
 * HS256 key and the API clients' secrets into the data dir on first start (files readable by the
 * owner only; client secrets stored as hashes), and writes the result under {@code auth.resolved}
 * so that verticles never touch files or see a plaintext client secret.
 */
public final class AuthBootstrap {
  static final int MIN_HMAC_SECRET_CHARS = 32;

  private AuthBootstrap() {}

  /** A client secret generated at this start, to be shown once to the operator. */
  public record NewSecret(String clientId, String secret) {}

  public static List<NewSecret> resolve(JsonObject config, Path dataDir, boolean createClients) {
    ConfigReader auth = ConfigReader.of(config).section("auth");
    ConfigReader jwt = auth.section("jwt");
    JsonArray keys = new JsonArray();
    if (jwt.has("secret")) {
      keys.add(hmac("default", jwt.string("secret", ""), jwt.key("secret")).toJson());
    } else if (jwt.has("secretFile")) {
      keys.add(hmac("default", read(Path.of(jwt.string("secretFile", "")), jwt.key("secretFile")).trim(), jwt.key("secretFile")).toJson());
    }
    for (ConfigReader k : jwt.sections("keys")) fileKeys(k).forEach(key -> keys.add(key.toJson()));
    JsonArray jwks = new JsonArray();
    if (jwt.has("jwksFile")) {
      String text = read(Path.of(jwt.string("jwksFile", "")), jwt.key("jwksFile"));
      try {
        JsonArray ks = new JsonObject(text).getJsonArray("keys");
        if (ks == null || ks.isEmpty()) throw new ConfigException(jwt.key("jwksFile"), "has no \"keys\"");
        jwks = ks;
      } catch (io.vertx.core.json.DecodeException | ClassCastException e) {
        throw new ConfigException(jwt.key("jwksFile"), "is not a JWKS JSON document");
      }
    }
    if (keys.isEmpty() && jwks.isEmpty()) {
      Path generated = dataDir.resolve("keys").resolve("jwt-hs256.secret");
      String secret = Files.exists(generated) ? read(generated, "auth.jwt.secret").trim() : null;
      if (secret == null) {
        secret = SecretHasher.newSecret() + SecretHasher.newSecret();
        writePrivate(generated, secret);
      }
      keys.add(new JwtKey("generated", "HS256", secret, true).toJson());
    }

    List<NewSecret> created = new ArrayList<>();
    JsonArray clients = new JsonArray();
    Path store = dataDir.resolve("auth").resolve("clients.json");
    JsonObject stored = Files.exists(store) ? new JsonObject(read(store, "auth.clients")) : new JsonObject();
    boolean storeChanged = false;
    for (ConfigReader c : auth.sections("clients")) {
      String id = c.requiredString("clientId");
      Set<Role> roles = AuthSettings.roles(c, "roles");
      String hash;
      if (c.has("secretFile")) {
        hash = SecretHasher.hash(read(Path.of(c.string("secretFile", "")), c.key("secretFile")).trim());
      } else if (stored.getString(id) != null) {
        hash = stored.getString(id);
      } else if (createClients) {
        String secret = SecretHasher.newSecret();
        hash = SecretHasher.hash(secret);
        stored.put(id, hash);
        storeChanged = true;
        created.add(new NewSecret(id, secret));
      } else {
        continue;
      }
      clients.add(new AuthSettings.ApiClient(id, roles, c.has("devices") ? c.strings("devices") : null, hash).toJson());
    }
    if (storeChanged) writePrivate(store, stored.encodePrettily());

    config.getJsonObject("auth").put("resolved", new JsonObject()
        .put("keys", keys).put("jwks", jwks).put("clients", clients));
    return created;
  }

  /** A token signed with the key of the node that owns {@code config}'s data dir (as `codex token` does). */
  public static String localToken(io.vertx.core.Vertx vertx, JsonObject config, Role role, java.time.Duration ttl) {
    resolve(config, Path.of(ConfigReader.of(config).string("dataDir", "./data")), false);
    return io.codex.security.TokenService.create(vertx, AuthSettings.from(config))
        .issue("cli-" + role.claim(), java.util.EnumSet.of(role), null, ttl);
  }

  private static JwtKey hmac(String kid, String secret, String key) {
    if (secret.length() < MIN_HMAC_SECRET_CHARS) {
      throw new ConfigException(key, "an HS256 key must be at least " + MIN_HMAC_SECRET_CHARS + " characters");
    }
    return new JwtKey(kid, "HS256", secret, true);
  }

  /** One configured key; an asymmetric pair gives a verifying (public) and a signing (private) key. */
  private static List<JwtKey> fileKeys(ConfigReader k) {
    String alg = k.requiredString("algorithm").toUpperCase();
    if (!alg.matches("HS(256|384|512)|RS(256|384|512)|ES(256|384|512)|PS(256|384|512)")) {
      throw new ConfigException(k.key("algorithm"), "unsupported algorithm " + alg);
    }
    String kid = k.string("kid", null);
    if (alg.startsWith("HS")) {
      String secret = k.has("secretFile") ? read(Path.of(k.string("secretFile", "")), k.key("secretFile")).trim()
          : k.requiredString("secret");
      return List.of(new JwtKey(kid, alg, hmac(kid, secret, k.key("secret")).material(), true));
    }
    List<JwtKey> out = new ArrayList<>();
    if (k.has("publicKeyFile")) {
      out.add(new JwtKey(kid, alg, read(Path.of(k.string("publicKeyFile", "")), k.key("publicKeyFile")), false));
    }
    if (k.has("privateKeyFile")) {
      out.add(new JwtKey(kid, alg, read(Path.of(k.string("privateKeyFile", "")), k.key("privateKeyFile")), true));
    }
    if (!out.isEmpty()) return out;
    throw new ConfigException(k.key("publicKeyFile"), "an " + alg + " key needs publicKeyFile or privateKeyFile");
  }

  private static String read(Path file, String key) {
    try {
      return Files.readString(file, StandardCharsets.UTF_8);
    } catch (IOException e) {
      throw new ConfigException(key, "cannot read " + file + " (" + e.getClass().getSimpleName() + ")");
    }
  }

  private static void writePrivate(Path file, String content) {
    try {
      Files.createDirectories(file.getParent());
      Path tmp = file.resolveSibling(file.getFileName() + ".tmp");
      Files.writeString(tmp, content, StandardCharsets.UTF_8);
      try {
        Files.setPosixFilePermissions(tmp, PosixFilePermissions.fromString("rw-------"));
      } catch (UnsupportedOperationException ignored) {
        // not a POSIX file system: rely on the data dir's permissions
      }
      Files.move(tmp, file, java.nio.file.StandardCopyOption.REPLACE_EXISTING, java.nio.file.StandardCopyOption.ATOMIC_MOVE);
    } catch (IOException e) {
      throw new IllegalStateException("cannot write " + file + ": " + e.getMessage(), e);
    }
  }

}
