package io.codex.embed;

import com.nimbusds.jose.JOSEObjectType;
import com.nimbusds.jose.JWSAlgorithm;
import com.nimbusds.jose.JWSHeader;
import com.nimbusds.jose.crypto.MACSigner;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import java.nio.charset.StandardCharsets;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.UUID;

/**
 * Caller tokens as an identity provider would issue them, with claims of its own (email, region …),
 * signed with the platform's shared HS256 key ({@code auth.jwt.secret}, kid "default").
 */
final class CallerTokens {
  private final String key;

  CallerTokens(String key) {
    this.key = key;
  }

  String issue(String sub, List<String> roles, Map<String, Object> claims) {
    try {
      JWTClaimsSet.Builder b = new JWTClaimsSet.Builder().issuer("codex").subject(sub).claim("roles", roles)
          .issueTime(new Date()).expirationTime(new Date(System.currentTimeMillis() + 600_000)).jwtID(UUID.randomUUID().toString());
      claims.forEach(b::claim);
      SignedJWT jwt = new SignedJWT(new JWSHeader.Builder(JWSAlgorithm.HS256).type(JOSEObjectType.JWT).keyID("default").build(), b.build());
      jwt.sign(new MACSigner(key.getBytes(StandardCharsets.UTF_8)));
      return jwt.serialize();
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
