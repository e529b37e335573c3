package io.codex.security;

import io.vertx.core.json.JsonObject;

/**
 * One key for JWTs, with its material already read (from conf, env or a file) by the launcher, so
 * that verticles never read files on an event loop.
 *
 * @param kid       key id ({@code kid} header); used to pick the key when several are configured
 * @param algorithm HS256, HS384, HS512, RS256, ES256, ...
 * @param material  the HMAC secret, or a PEM public or private key
 * @param canSign   whether tokens may be issued with it (HMAC secrets and private keys)
 */
public record JwtKey(String kid, String algorithm, String material, boolean canSign) {
  public JsonObject toJson() {
    return new JsonObject().put("kid", kid).put("algorithm", algorithm).put("material", material).put("canSign", canSign);
  }

  public static JwtKey fromJson(JsonObject o) {
    return new JwtKey(o.getString("kid"), o.getString("algorithm"), o.getString("material"), o.getBoolean("canSign", false));
  }

  @Override
  public String toString() {
    return "JwtKey[kid=" + kid + ", algorithm=" + algorithm + ", canSign=" + canSign + "]";
  }
}
