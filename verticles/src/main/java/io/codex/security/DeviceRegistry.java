package io.codex.security;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.util.Collection;
import java.util.Comparator;
import java.util.List;
import java.util.Optional;
import java.util.concurrent.ConcurrentHashMap;

/**
 * This node's replica of the device registry, rebuilt from the compacted topic
 * {@code codex.devices} at start and kept current by {@link DeviceRegistryVerticle}. One instance
 * per Vertx, shared by every verticle instance that authenticates devices.
 *
 * <p>Every change carries its Kafka offset; a change older than the one already applied for that
 * device is ignored, so a write applied locally right after its ack is never undone by the
 * consumer replaying an earlier record.
 */
public final class DeviceRegistry implements Shareable {
  private record Slot(DeviceEntry entry, long offset) {}

  private final ConcurrentHashMap<String, Slot> slots = new ConcurrentHashMap<>();

  public static DeviceRegistry shared(Vertx vertx) {
    return (DeviceRegistry)
        vertx.sharedData().<String, Object>getLocalMap("codex.security")
            .computeIfAbsent("deviceRegistry", k -> new DeviceRegistry());
  }

  /**
   * Applies a record of the registry topic: an entry, or {@code null} for a revocation.
   *
   * @return whether the change was newer than what this replica held
   */
  public boolean apply(String deviceId, DeviceEntry entryOrNull, long offset) {
    boolean[] applied = {false};
    slots.compute(deviceId, (id, old) -> {
      if (old != null && old.offset() >= offset) return old;
      applied[0] = true;
      return new Slot(entryOrNull, offset);
    });
    return applied[0];
  }

  /**
   * Forgets every entry (the registry topic was created anew and is read again from its start).
   *
   * @return the ids of the devices that were live
   */
  public List<String> clear() {
    List<String> live = new java.util.ArrayList<>();
    slots.forEach((id, s) -> {
      if (s.entry() != null) live.add(id);
    });
    slots.clear();
    return live;
  }

  /** The live entry, absent when unknown or revoked. */
  public Optional<DeviceEntry> find(String deviceId) {
    Slot s = slots.get(deviceId);
    return s == null ? Optional.empty() : Optional.ofNullable(s.entry());
  }

  /** The entry whose secret this is; empty when unknown, revoked or the secret is wrong. */
  public Optional<DeviceEntry> verify(String deviceId, String secret) {
    return find(deviceId).filter(e -> SecretHasher.verify(secret, e.secretHash()));
  }

  public List<DeviceEntry> list() {
    Collection<Slot> all = slots.values();
    return all.stream()
        .map(Slot::entry)
        .filter(e -> e != null)
        .sorted(Comparator.comparing(DeviceEntry::deviceId))
        .toList();
  }

  public int size() {
    return (int) slots.values().stream().filter(s -> s.entry() != null).count();
  }
}
