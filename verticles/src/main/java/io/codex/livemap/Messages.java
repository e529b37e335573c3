package io.codex.livemap;

import io.codex.security.Caller;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.util.Base64;
import java.util.List;

/** The server's messages on {@code /ws/live}, serialised once and shared between clients. */
final class Messages {
  private static final byte[] POSITIONS = "{\"type\":\"positions\",\"features\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] SNAPSHOT = "{\"type\":\"positions\",\"snapshot\":true,\"features\":[".getBytes(StandardCharsets.UTF_8);
  private static final byte[] END = "]}".getBytes(StandardCharsets.UTF_8);

  private Messages() {}

  /**
   * {@code {"type":"positions","features":[…]}}; a snapshot (the current position of every device
   * of a new subscription) says so with {@code "snapshot":true}.
   */
  static byte[] positions(List<Position> ps, boolean snapshot) {
    byte[] head = snapshot ? SNAPSHOT : POSITIONS;
    int len = head.length + END.length + Math.max(0, ps.size() - 1);
    for (Position p : ps) len += p.feature().length;
    byte[] out = new byte[len];
    int at = 0;
    System.arraycopy(head, 0, out, at, head.length);
    at += head.length;
    for (int i = 0; i < ps.size(); i++) {
      if (i > 0) out[at++] = ',';
      byte[] f = ps.get(i).feature();
      System.arraycopy(f, 0, out, at, f.length);
      at += f.length;
    }
    System.arraycopy(END, 0, out, at, END.length);
    return out;
  }

  static String ready(Caller c, long flushIntervalMs) {
    JsonObject o = new JsonObject().put("type", "ready").put("subject", c.subject())
        .put("roles", new JsonArray(c.roles().stream().map(Role::claim).sorted().toList()))
        .put("flushIntervalMs", flushIntervalMs);
    return o.encode();
  }

  static String error(String message, String field) {
    JsonObject o = new JsonObject().put("type", "error").put("message", message);
    if (field != null) o.put("field", field);
    return o.encode();
  }

  /** {@code {"type":"alert","alert":{…}}} or {@code {"type":"geofence","event":{…}}}. */
  static String event(String type, String field, JsonObject body) {
    return new JsonObject().put("type", type).put(field, body).encode();
  }

  /**
   * The {@code exp} of an already verified JWT, in epoch milliseconds; {@code Long.MAX_VALUE} when
   * it has none or the token is not a JWT (e.g. Basic credentials).
   */
  static long expiryMillis(String jwt) {
    if (jwt == null) return Long.MAX_VALUE;
    String[] parts = jwt.split("\\.");
    if (parts.length < 2) return Long.MAX_VALUE;
    try {
      JsonObject claims = new JsonObject(new String(Base64.getUrlDecoder().decode(parts[1]), StandardCharsets.UTF_8));
      return claims.getValue("exp") instanceof Number n ? n.longValue() * 1000 : Long.MAX_VALUE;
    } catch (RuntimeException e) {
      return Long.MAX_VALUE;
    }
  }
}
