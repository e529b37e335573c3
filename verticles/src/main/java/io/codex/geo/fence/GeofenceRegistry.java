package io.codex.geo.fence;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;
import java.util.concurrent.atomic.AtomicLong;

/**
 * This node's replica of the geofences, rebuilt from the compacted topic {@code codex.geofences}
 * at start and kept current by {@link GeofenceRegistryVerticle}; one per Vertx. Every change
 * carries its Kafka offset (which is also the fence's {@code version}); an older change never
 * undoes a newer one, so a write applied right after its ack is not undone by the replica reading
 * an earlier record. The spatial index is rebuilt lazily, at most once per change, by whoever asks
 * for it next (the evaluator, once per batch).
 */
public final class GeofenceRegistry implements Shareable {
  private record Slot(GeofenceIndex.Entry entry, long offset) {}

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();
  private final AtomicLong changes = new AtomicLong();
  private final AtomicLong deletions = new AtomicLong();
  private volatile GeofenceIndex index = GeofenceIndex.EMPTY;
  private volatile long indexedChanges;

  public static GeofenceRegistry shared(Vertx vertx) {
    return (GeofenceRegistry) vertx.sharedData().<String, Object>getLocalMap("codex.geofences")
        .computeIfAbsent("registry", k -> new GeofenceRegistry());
  }

  /**
   * Applies a record of the geofences topic: a fence, or {@code null} for a deletion.
   *
   * @return whether the change was newer than what this replica held
   */
  public boolean apply(String id, Geofence fenceOrNull, long offset) {
    Slot current = slots.get(id);
    if (current != null && current.offset() >= offset) return false;
    // compiled outside the map's lock: a polygon of many vertices takes a moment
    GeofenceIndex.Entry entry = fenceOrNull == null ? null : GeofenceIndex.compile(fenceOrNull, offset);
    boolean[] applied = {false};
    slots.compute(id, (k, old) -> {
      if (old != null && old.offset() >= offset) return old;
      applied[0] = true;
      if (entry == null && old != null && old.entry() != null) deletions.incrementAndGet();
      return new Slot(entry, offset);
    });
    if (applied[0]) changes.incrementAndGet();
    return applied[0];
  }

  /**
   * Forgets every fence (the geofences topic was created anew and is read again from its start);
   * counted as deletions, so that evaluators sweep their state.
   */
  public void clear() {
    int live = size();
    slots.clear();
    deletions.addAndGet(live);
    changes.incrementAndGet();
  }

  /** The live fence with this id. */
  public Optional<GeofenceIndex.Entry> find(String id) {
    Slot s = slots.get(id);
    return s == null ? Optional.empty() : Optional.ofNullable(s.entry());
  }

  /** Every live fence, by name then id. */
  public List<GeofenceIndex.Entry> list() {
    List<GeofenceIndex.Entry> out = new ArrayList<>();
    slots.values().forEach(s -> {
      if (s.entry() != null) out.add(s.entry());
    });
    out.sort(Comparator.comparing((GeofenceIndex.Entry e) -> e.fence.name()).thenComparing(e -> e.fence.id()));
    return out;
  }

  public int size() {
    int n = 0;
    for (Slot s : slots.values()) {
      if (s.entry() != null) n++;
    }
    return n;
  }

  /** Changes applied so far (creations and deletions). */
  public long changes() {
    return changes.get();
  }

  /** Deletions applied so far: an evaluator sweeps its state when this moves. */
  public long deletions() {
    return deletions.get();
  }

  /** The spatial index of the live fences, rebuilt if anything changed since it was last built. */
  public GeofenceIndex index() {
    GeofenceIndex idx = index;
    if (indexedChanges == changes.get()) return idx;
    synchronized (this) {
      long seen = changes.get();
      if (indexedChanges == seen) return index;
      List<GeofenceIndex.Entry> live = new ArrayList<>();
      slots.values().forEach(s -> {
        if (s.entry() != null) live.add(s.entry());
      });
      index = GeofenceIndex.of(live);
      indexedChanges = seen;
      return index;
    }
  }
}
