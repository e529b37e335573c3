package io.codex.embed;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.time.Instant;
import java.util.Comparator;
import java.util.List;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's replica of the share links, rebuilt from the compacted topic
 * {@code codex.embed-links} and kept current by {@link EmbedLinkVerticle}; one per Vertx. A
 * revocation (a tombstone) is remembered as such, so that the page can say "revoked" rather than
 * "unknown". Changes carry their Kafka offset: an older change never undoes a newer one.
 */
public final class EmbedLinkRegistry implements Shareable {
  /** What this node knows of a link id. */
  public enum State { LIVE, REVOKED, UNKNOWN }

  private record Slot(EmbedLink link, long offset, Instant forgetAfter) {}

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  public static EmbedLinkRegistry shared(Vertx vertx) {
    return (EmbedLinkRegistry) vertx.sharedData().<String, Object>getLocalMap("codex.embed")
        .computeIfAbsent("linkRegistry", k -> new EmbedLinkRegistry());
  }

  /**
   * Applies a record of the links topic: a link, or {@code null} for a revocation.
   *
   * @return whether the change was newer than what this replica held
   */
  public boolean apply(String id, EmbedLink linkOrNull, long offset) {
    boolean[] applied = {false};
    slots.compute(id, (k, old) -> {
      if (old != null && old.offset() >= offset) return old;
      applied[0] = true;
      Instant forget = linkOrNull != null ? linkOrNull.expiresAt() : old != null ? old.forgetAfter() : Instant.now();
      return new Slot(linkOrNull, offset, forget);
    });
    return applied[0];
  }

  /** Forgets every link (the links topic was created anew and is read again from its start). */
  public void clear() {
    slots.clear();
  }

  public State state(String id) {
    Slot s = slots.get(id);
    if (s == null) return State.UNKNOWN;
    return s.link() == null ? State.REVOKED : State.LIVE;
  }

  /** The live link (which may have expired: callers check). */
  public EmbedLink find(String id) {
    Slot s = slots.get(id);
    return s == null ? null : s.link();
  }

  /** Live links that have not expired, newest first. */
  public List<EmbedLink> list(Instant now) {
    return slots.values().stream().map(Slot::link).filter(l -> l != null && !l.expired(now))
        .sorted(Comparator.comparing(EmbedLink::createdAt).reversed().thenComparing(EmbedLink::id)).toList();
  }

  /**
   * Forgets links (live or revoked) whose expiry passed: a signed URL carries its expiry, so an
   * expired link is refused before this replica is asked.
   */
  public int forgetExpired(Instant now) {
    int before = slots.size();
    slots.values().removeIf(s -> now.isAfter(s.forgetAfter()));
    return before - slots.size();
  }

  public int size() {
    return (int) slots.values().stream().filter(s -> s.link() != null).count();
  }
}
