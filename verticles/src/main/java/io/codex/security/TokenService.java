package io.codex.security;

import io.codex.api.Problem;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.auth.JWTOptions;
import io.vertx.ext.auth.PubSecKeyOptions;
import io.vertx.ext.auth.User;
import io.vertx.ext.auth.authentication.TokenCredentials;
import io.vertx.ext.auth.jwt.JWTAuth;
import io.vertx.ext.auth.jwt.JWTAuthOptions;
import java.time.Duration;
import java.util.Collection;
import java.util.EnumSet;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Set;
import java.util.UUID;

/**
 * Issues and verifies the platform's JWTs with vertx-auth-jwt. Verification accepts every
 * configured key (and JWKS keys), chosen by {@code kid}, so keys can be rotated by adding the new
 * one first and removing the old one once its tokens expired. {@code alg=none} is never accepted.
 */
public final class TokenService {
  private final JWTAuth verifier;
  private final JWTAuth signer;
  private final JwtKey signingKey;
  private final String issuer;

  private TokenService(JWTAuth verifier, JWTAuth signer, JwtKey signingKey, String issuer) {
    this.verifier = verifier;
    this.signer = signer;
    this.signingKey = signingKey;
    this.issuer = issuer;
  }

  public static TokenService create(Vertx vertx, AuthSettings settings) {
    JWTOptions verifyOptions = new JWTOptions().setLeeway(settings.leewaySeconds());
    if (!settings.issuer().isBlank()) verifyOptions.setIssuer(settings.issuer());
    JWTAuthOptions verify = new JWTAuthOptions().setJWTOptions(verifyOptions);
    JwtKey signing = null;
    for (JwtKey k : settings.keys()) {
      verify.addPubSecKey(pubSec(k));
      if (signing == null && k.canSign()) signing = k;
    }
    if (!settings.jwks().isEmpty()) verify.setJwks(settings.jwks());
    JWTAuth signer = null;
    if (signing != null) {
      signer = JWTAuth.create(vertx, new JWTAuthOptions().addPubSecKey(pubSec(signing)));
    }
    return new TokenService(JWTAuth.create(vertx, verify), signer, signing, settings.issuer());
  }

  private static PubSecKeyOptions pubSec(JwtKey k) {
    PubSecKeyOptions o = new PubSecKeyOptions().setAlgorithm(k.algorithm()).setBuffer(k.material());
    if (k.kid() != null && !k.kid().isBlank()) o.setId(k.kid());
    return o;
  }

  public boolean canIssue() {
    return signer != null;
  }

  /**
   * A token for {@code subject} with these roles; {@code devices} null means every device.
   */
  public String issue(String subject, Collection<Role> roles, Collection<String> devices, Duration ttl) {
    if (signer == null) {
      throw new IllegalStateException("no signing key configured (auth.jwt.secret or a private key in auth.jwt.keys)");
    }
    JsonObject claims = new JsonObject()
        .put("roles", new JsonArray(roles.stream().map(Role::claim).distinct().toList()))
        .put("jti", UUID.randomUUID().toString());
    if (devices != null) claims.put("devices", new JsonArray(List.copyOf(devices)));
    JWTOptions opts = new JWTOptions()
        .setAlgorithm(signingKey.algorithm())
        .setSubject(subject)
        .setExpiresInSeconds((int) Math.min(Integer.MAX_VALUE, Math.max(1, ttl.toSeconds())));
    if (!issuer.isBlank()) opts.setIssuer(issuer);
    return signer.generateToken(claims, opts);
  }

  /**
   * Verifies signature, expiry and issuer, and turns the claims into a {@link Caller}. A device or
   * gateway token is only good while its device is in the registry (revocation is immediate).
   */
  public Future<Caller> verify(String token, DeviceRegistry registry) {
    return verifier.authenticate(new TokenCredentials(token))
        .recover(t -> Future.failedFuture(Problem.unauthorized("The bearer token is invalid or expired.")))
        .compose(user -> {
          JsonObject claims = claimsOf(user);
          String sub = claims.getString("sub");
          Set<Role> roles = EnumSet.noneOf(Role.class);
          Object rc = claims.getValue("roles");
          if (rc instanceof JsonArray a) {
            for (Object r : a) Role.fromClaim(String.valueOf(r)).ifPresent(roles::add);
          }
          if (sub == null || sub.isBlank() || roles.isEmpty()) {
            return Future.failedFuture(Problem.unauthorized("The bearer token carries no subject or no known role."));
          }
          Set<String> devices = null;
          if (claims.getValue("devices") instanceof JsonArray a) {
            devices = new LinkedHashSet<>();
            for (Object d : a) devices.add(String.valueOf(d));
          }
          if ((roles.contains(Role.DEVICE) || roles.contains(Role.GATEWAY)) && !roles.contains(Role.ADMIN)) {
            var entry = registry.find(sub);
            if (entry.isEmpty() || issuedBefore(claims, entry.get())) {
              return Future.failedFuture(Problem.unauthorized("The device of this token is unknown or revoked."));
            }
            devices = DeviceAuth.publishable(entry.get());
          }
          return Future.succeededFuture(new Caller(sub, roles, devices, claims.getMap()));
        });
  }

  /** A token minted before its device was (re-)registered belongs to a revoked incarnation. */
  private static boolean issuedBefore(JsonObject claims, DeviceEntry entry) {
    Long iat = claims.getLong("iat");
    if (iat == null || entry.createdAt() == null) return false;
    try {
      return iat < java.time.Instant.parse(entry.createdAt()).getEpochSecond();
    } catch (java.time.format.DateTimeParseException e) {
      return false;
    }
  }

  private static JsonObject claimsOf(User user) {
    JsonObject token = user.attributes().getJsonObject("accessToken");
    return token != null ? token : user.principal();
  }
}
