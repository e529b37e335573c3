package io.codex.embed;

import io.vertx.core.json.Json;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.security.GeneralSecurityException;
import java.security.SecureRandom;
import java.util.Base64;
import java.util.HexFormat;
import java.util.List;
import java.util.Map;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;

/**
 * Looker signed embed URLs, by Looker's documented algorithm: every parameter JSON-encoded; the
 * string to sign is the host, the embed path ({@code /login/embed/} + the form-encoded target),
 * the nonce, time, session_length, external_user_id, permissions, models, group_ids,
 * external_group_id, user_attributes and access_filters, joined by newlines; the signature is the
 * base64 of its HMAC-SHA1 with the embed secret. first_name, last_name and force_logout_login are
 * sent unsigned. Thread-safe.
 */
public final class LookerUrls {
  private static final SecureRandom RANDOM = new SecureRandom();

  /**
   * What one URL grants. {@code target} is the embed path, e.g. {@code /embed/dashboards/42};
   * nullable: {@code externalGroupId}, {@code firstName}, {@code lastName}.
   */
  public record Grant(String target, long sessionLengthSeconds, String externalUserId, List<String> permissions,
      List<String> models, List<Long> groupIds, String externalGroupId, Map<String, String> userAttributes,
      String firstName, String lastName, boolean forceLogoutLogin) {}

  private final String host;
  private final SecretKeySpec key;
  private final ThreadLocal<Mac> mac;

  /** @param host the Looker host as Looker signs it: {@code host[:port]}, no scheme */
  public LookerUrls(String host, String secret) {
    this.host = host;
    this.key = new SecretKeySpec(secret.getBytes(StandardCharsets.UTF_8), "HmacSHA1");
    this.mac = ThreadLocal.withInitial(this::newMac);
    newMac();
  }

  private Mac newMac() {
    try {
      Mac m = Mac.getInstance("HmacSHA1");
      m.init(key);
      return m;
    } catch (GeneralSecurityException e) {
      throw new IllegalStateException("HmacSHA1 is not available: " + e.getMessage(), e);
    }
  }

  /** 16 random bytes as 32 hex characters; Looker accepts each nonce once. */
  public static String newNonce() {
    byte[] b = new byte[16];
    RANDOM.nextBytes(b);
    return HexFormat.of().formatHex(b);
  }

  /** The signed URL ({@code https://host/login/embed/…?…&signature=…}) for this grant at {@code time} (epoch seconds). */
  public String sign(Grant g, long time, String nonce) {
    String path = "/login/embed/" + Html.formEncode(g.target());
    String jsonNonce = Json.encode(nonce);
    String jsonTime = Long.toString(time);
    String jsonSession = Long.toString(g.sessionLengthSeconds());
    String jsonUser = Json.encode(g.externalUserId());
    String jsonPermissions = Json.encode(g.permissions());
    String jsonModels = Json.encode(g.models());
    String jsonGroupIds = Json.encode(g.groupIds());
    String jsonGroup = g.externalGroupId() == null ? "null" : Json.encode(g.externalGroupId());
    String jsonAttributes = new JsonObject(new java.util.LinkedHashMap<>(g.userAttributes())).encode();
    String jsonFilters = "{}"; // required by Looker, superseded by user attributes
    String toSign = String.join("\n", host, path, jsonNonce, jsonTime, jsonSession, jsonUser, jsonPermissions,
        jsonModels, jsonGroupIds, jsonGroup, jsonAttributes, jsonFilters);
    String signature = Base64.getEncoder().encodeToString(mac.get().doFinal(toSign.getBytes(StandardCharsets.UTF_8)));
    StringBuilder q = new StringBuilder(512);
    param(q, "nonce", jsonNonce);
    param(q, "time", jsonTime);
    param(q, "session_length", jsonSession);
    param(q, "external_user_id", jsonUser);
    param(q, "permissions", jsonPermissions);
    param(q, "models", jsonModels);
    param(q, "group_ids", jsonGroupIds);
    param(q, "external_group_id", jsonGroup);
    param(q, "user_attributes", jsonAttributes);
    param(q, "access_filters", jsonFilters);
    param(q, "signature", signature);
    if (g.firstName() != null) param(q, "first_name", Json.encode(g.firstName()));
    if (g.lastName() != null) param(q, "last_name", Json.encode(g.lastName()));
    param(q, "force_logout_login", Boolean.toString(g.forceLogoutLogin()));
    return "https://" + host + path + "?" + q;
  }

  private static void param(StringBuilder q, String name, String value) {
    if (q.length() > 0) q.append('&');
    q.append(name).append('=').append(Html.formEncode(value));
  }
}
