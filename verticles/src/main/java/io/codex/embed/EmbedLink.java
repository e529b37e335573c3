package io.codex.embed;

import io.codex.security.Caller;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Instant;
import java.util.EnumSet;
import java.util.Map;
import java.util.Set;

/**
 * A share link as kept in the compacted topic {@code codex.embed-links} (key: its id). It embeds as
 * its creator: the creator's roles and the claims the embed mappings read are kept from the
 * creator's verified token, so that the page mints tokens for the same BI user with the same
 * row-level security. Neither the URL's signature nor any token is stored.
 */
public record EmbedLink(String id, Kind kind, String view, String createdBy, Instant createdAt, Instant expiresAt,
    Set<Role> roles, Map<String, Object> claims) {
  public EmbedLink {
    roles = Set.copyOf(roles);
    Map<String, Object> kept = new java.util.LinkedHashMap<>();
    claims.forEach((k, v) -> {
      if (v != null) kept.put(k, v);
    });
    claims = java.util.Collections.unmodifiableMap(kept);
  }

  /** Who opens the link: the creator as the link remembers them. */
  public Caller creator() {
    return new Caller(createdBy, roles, null, claims);
  }

  public boolean expired(Instant now) {
    return !now.isBefore(expiresAt);
  }

  public JsonObject toStored() {
    return toPublic()
        .put("roles", new JsonArray(roles.stream().map(Role::claim).sorted().toList()))
        .put("claims", new JsonObject(new java.util.LinkedHashMap<>(claims)));
  }

  /** What the admin API shows: never the claims, the signature or a URL that opens the link. */
  public JsonObject toPublic() {
    return new JsonObject().put("id", id).put("kind", kind.id()).put("view", view).put("createdBy", createdBy)
        .put("createdAt", createdAt.toString()).put("expiresAt", expiresAt.toString());
  }

  public static EmbedLink fromStored(JsonObject o) {
    Set<Role> roles = EnumSet.noneOf(Role.class);
    for (Object r : o.getJsonArray("roles", new JsonArray())) Role.fromClaim(String.valueOf(r)).ifPresent(roles::add);
    return new EmbedLink(o.getString("id"), Kind.of(o.getString("kind")).orElseThrow(), o.getString("view"),
        o.getString("createdBy"), Instant.parse(o.getString("createdAt")), Instant.parse(o.getString("expiresAt")), roles,
        o.getJsonObject("claims", new JsonObject()).getMap());
  }
}
