package io.codex.geo.fence;

import java.util.Arrays;
import java.util.HashMap;
import java.util.Iterator;
import java.util.List;
import java.util.Map;
import java.util.Set;

/**
 * Inside/outside state per device and fence, and the transitions one position causes: the first
 * position inside a fence is an {@code enter}, the first one outside after that an {@code exit};
 * nothing else emits. Not thread-safe: one evaluator thread owns it.
 *
 * <ul>
 *   <li>A device without state is outside every fence (so a fence created while a device is inside
 *       it gives an {@code enter} on the device's next position).
 *   <li>A deleted fence is forgotten silently: no {@code exit} for the devices that were inside it
 *       (deleting a fence is not a movement; an exit storm would tell subscribers something false).
 *       A fence deleted and created again under the same id is a new fence (a new version): a
 *       device inside it gets an {@code enter}.
 *   <li>State is kept only for devices inside at least one fence (plus, after a restore, devices
 *       whose last transition was an exit, until their next position), so memory follows the
 *       number of (device, fence) pairs inside, not the number of devices.
 *   <li>Every state remembers the Kafka partition and offset of the newest record it reflects;
 *       a record at or below that offset is skipped. After a restart the state is rebuilt from the
 *       transitions already written ({@link #restore}), so records read again because their
 *       offsets were not committed yet emit nothing twice. A state whose offset is at or beyond
 *       the partition's log end is from a log that is gone (the topic created anew): it skips
 *       nothing.
 * </ul>
 */
public final class GeofenceTracker {
  private static final String[] NO_IDS = new String[0];
  private static final long[] NO_VERSIONS = new long[0];

  /** One transition: the fence (as the index holds it) entered or left. */
  public record Transition(boolean enter, GeofenceIndex.Entry fence) {
    public String name() {
      return enter ? "enter" : "exit";
    }
  }

  private static final class DeviceState {
    int partition;
    long lastOffset;
    String[] ids = NO_IDS;
    long[] versions = NO_VERSIONS;
  }

  private final Map<String, DeviceState> devices = new HashMap<>();
  private final GeofenceIndex.Hits hits = new GeofenceIndex.Hits();

  /**
   * Evaluates a device's position against the fences and appends the transitions to {@code out}.
   *
   * @param partition the record's Kafka partition ({@code -1}: unknown, never skipped)
   * @param offset    the record's offset ({@code -1}: unknown, never skipped)
   * @return false when the record was skipped: the state already reflects it
   */
  public boolean evaluate(GeofenceIndex index, String deviceId, int partition, long offset, double lon, double lat,
      List<Transition> out) {
    return evaluate(index, deviceId, partition, offset, Long.MAX_VALUE, lon, lat, out);
  }

  /**
   * As above, knowing where the partition's log ends ({@code logEnd}, its high watermark): a state
   * at or beyond that offset reflects a log that is gone (the topic deleted and created again, its
   * offsets started from 0), so a record at a lower offset is not one read again but a new one, and
   * is evaluated.
   */
  public boolean evaluate(GeofenceIndex index, String deviceId, int partition, long offset, long logEnd, double lon, double lat,
      List<Transition> out) {
    DeviceState st = devices.get(deviceId);
    if (st != null && offset >= 0 && partition == st.partition && offset <= st.lastOffset && st.lastOffset < logEnd) return false;
    index.locate(lon, lat, hits);
    int n = hits.size();
    if (st == null) {
      if (n == 0) return true;
      st = new DeviceState();
      devices.put(deviceId, st);
    }
    boolean changed = false;
    for (int i = 0; i < st.ids.length; i++) {
      GeofenceIndex.Entry cur = index.get(st.ids[i]);
      if (cur == null || cur.version != st.versions[i]) {
        changed = true; // deleted or replaced: forgotten without an exit
      } else if (!hit(cur)) {
        changed = true;
        out.add(new Transition(false, cur));
      }
    }
    for (int j = 0; j < n; j++) {
      GeofenceIndex.Entry h = hits.get(j);
      if (!holds(st, h.fence.id(), h.version)) {
        changed = true;
        out.add(new Transition(true, h));
      }
    }
    if (n == 0) {
      devices.remove(deviceId);
      return true;
    }
    if (changed) {
      String[] ids = new String[n];
      long[] versions = new long[n];
      for (int j = 0; j < n; j++) {
        ids[j] = hits.get(j).fence.id();
        versions[j] = hits.get(j).version;
      }
      st.ids = ids;
      st.versions = versions;
    }
    st.partition = partition;
    st.lastOffset = offset;
    return true;
  }

  private boolean hit(GeofenceIndex.Entry e) {
    for (int j = 0; j < hits.size(); j++) {
      if (hits.get(j) == e) return true;
    }
    return false;
  }

  private static boolean holds(DeviceState st, String id, long version) {
    for (int i = 0; i < st.ids.length; i++) {
      if (st.versions[i] == version && st.ids[i].equals(id)) return true;
    }
    return false;
  }

  /** Exact point-in-fence tests made so far. */
  public long checks() {
    return hits.checks();
  }

  /** Devices with state. */
  public int size() {
    return devices.size();
  }

  /** The fence ids a device is inside, as this tracker knows it. */
  public Set<String> inside(String deviceId) {
    DeviceState st = devices.get(deviceId);
    return st == null ? Set.of() : Set.of(st.ids);
  }

  /** Forgets the devices of partitions this evaluator no longer owns. */
  public void dropPartitions(Set<Integer> partitions) {
    devices.values().removeIf(st -> partitions.contains(st.partition));
  }

  public void clear() {
    devices.clear();
  }

  /** Forgets fences that are no longer in the index (deleted ones), to free their memory. */
  public void sweep(GeofenceIndex index) {
    for (Iterator<DeviceState> it = devices.values().iterator(); it.hasNext(); ) {
      DeviceState st = it.next();
      int keep = 0;
      for (int i = 0; i < st.ids.length; i++) {
        if (index.holds(st.ids[i], st.versions[i])) keep++;
      }
      if (keep == st.ids.length) continue;
      String[] ids = new String[keep];
      long[] versions = new long[keep];
      int k = 0;
      for (int i = 0; i < st.ids.length; i++) {
        if (index.holds(st.ids[i], st.versions[i])) {
          ids[k] = st.ids[i];
          versions[k++] = st.versions[i];
        }
      }
      st.ids = ids;
      st.versions = versions;
    }
  }

  // ---------------------------------------------------------------- restore

  /**
   * Rebuilds state from transitions already written, fed in topic order: per device and fence the
   * transition of the newest record wins (a transition written twice, or late, changes nothing),
   * and the device's state reflects every record up to the newest one with a transition.
   */
  public Restore restore() {
    return new Restore();
  }

  /** Collects written transitions, then {@link #finish}es into the tracker. */
  public final class Restore {
    private final Map<String, Map<String, long[]>> byDevice = new HashMap<>();
    private final Map<String, long[]> positions = new HashMap<>();
    private int events;

    private Restore() {}

    /** One written transition: device, the record's partition and offset, fence id and version, enter or exit. */
    public void add(String deviceId, int partition, long offset, String fenceId, long version, boolean enter) {
      events++;
      long[] pos = positions.get(deviceId);
      if (pos == null || pos[0] != partition || offset > pos[1]) positions.put(deviceId, new long[] {partition, offset});
      Map<String, long[]> fences = byDevice.computeIfAbsent(deviceId, k -> new HashMap<>());
      long[] f = fences.get(fenceId);
      // {record partition, record offset, fence version, 1 = inside}
      if (f == null || f[0] != partition || offset >= f[1]) {
        fences.put(fenceId, new long[] {partition, offset, version, enter ? 1 : 0});
      }
    }

    public int events() {
      return events;
    }

    /** Replaces the state of these devices with what was written (fences no longer in the index dropped). */
    public int finish(GeofenceIndex index) {
      byDevice.forEach((deviceId, fences) -> {
        long[] pos = positions.get(deviceId);
        String[] ids = fences.entrySet().stream()
            .filter(e -> e.getValue()[3] == 1 && e.getValue()[0] == pos[0] && index.holds(e.getKey(), e.getValue()[2]))
            .map(Map.Entry::getKey).sorted().toArray(String[]::new);
        long[] versions = new long[ids.length];
        for (int i = 0; i < ids.length; i++) versions[i] = fences.get(ids[i])[2];
        DeviceState st = new DeviceState();
        st.partition = (int) pos[0];
        st.lastOffset = pos[1];
        st.ids = ids;
        st.versions = versions;
        devices.put(deviceId, st);
      });
      return byDevice.size();
    }
  }

  @Override
  public String toString() {
    StringBuilder b = new StringBuilder("GeofenceTracker{");
    devices.forEach((d, st) -> b.append(d).append('=').append(Arrays.toString(st.ids)).append('@').append(st.partition)
        .append('/').append(st.lastOffset).append(' '));
    return b.append('}').toString();
  }
}
