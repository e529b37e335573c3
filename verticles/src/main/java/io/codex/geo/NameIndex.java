package io.codex.geo;

import java.nio.charset.StandardCharsets;
import java.util.Arrays;

/**
 * The search keys of the gazetteer: folded names ({@link NameFolding}), sorted by their UTF-8 bytes
 * and packed in one byte array, each pointing at a place with a {@link Kind}. A prefix is a range of
 * keys found by binary search; within a range, a max-tree over the places' populations (or, for a
 * wide range, the keys in population order) hands out the keys most populous first ({@link Cursor})
 * without sorting the range. Immutable.
 */
final class NameIndex {

  /** How a key was made from its place, best match first (the numbers are the file's). */
  enum Kind {
    /** The place's own name. */
    NAME,
    /** One of its alternate names (other languages, transliterations). */
    ALTERNATE,
    /** The name from its second, third … word on ("york city" of "New York City"). */
    WORD;

    private static final Kind[] VALUES = values();

    static Kind of(int code) {
      return VALUES[code];
    }
  }

  private static final int KIND_BITS = 2;
  private static final int WIDE_RANGE_FACTOR = 64;

  private final byte[] keys;
  private final int[] keyStart;
  private final int[] ref;
  private final int count;
  private final int leaves;
  /** A max-tree over the keys' populations, leaves included (so walking it reads one array). */
  private final int[] maxPopulation;
  /** Every key, most populous place first. */
  private final int[] byPopulation;

  /**
   * @param keys        the keys' UTF-8 bytes one after the other, in sorted order
   * @param keyStart    where each key starts in {@code keys}, plus one entry for the end
   * @param places      the place of each key (the array is reused)
   * @param kinds       the {@link Kind} ordinal of each key
   * @param count       how many keys
   * @param populations the population of each place
   */
  NameIndex(byte[] keys, int[] keyStart, int[] places, byte[] kinds, int count, int[] populations) {
    this.keys = keys;
    this.keyStart = keyStart;
    this.count = count;
    int l = 1;
    while (l < count) l <<= 1;
    this.leaves = l;
    // node 1 is the root, node i has children 2i and 2i + 1, leaves are nodes l … 2l - 1 (-1 past the last key)
    this.maxPopulation = new int[2 * l];
    for (int key = 0; key < l; key++) maxPopulation[l + key] = key < count ? populations[places[key]] : -1;
    for (int node = l - 1; node >= 1; node--) {
      maxPopulation[node] = Math.max(maxPopulation[2 * node], maxPopulation[2 * node + 1]);
    }
    long[] order = new long[count];
    for (int key = 0; key < count; key++) order[key] = (long) (Integer.MAX_VALUE - maxPopulation[l + key]) << 32 | key;
    Arrays.sort(order);
    this.byPopulation = new int[count];
    for (int i = 0; i < count; i++) byPopulation[i] = (int) order[i];
    this.ref = places; // reused: place and kind packed in one int
    for (int i = 0; i < count; i++) ref[i] = places[i] << KIND_BITS | kinds[i];
  }

  int size() {
    return count;
  }

  int place(int key) {
    return ref[key] >>> KIND_BITS;
  }

  Kind kind(int key) {
    return Kind.of(ref[key] & ((1 << KIND_BITS) - 1));
  }

  int keyLength(int key) {
    return keyStart[key + 1] - keyStart[key];
  }

  String key(int key) {
    return new String(keys, keyStart[key], keyLength(key), StandardCharsets.UTF_8);
  }

  /** The first key that is not below {@code prefix}: where the keys starting with it begin. */
  int prefixStart(byte[] prefix) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (comparePrefix(mid, prefix) < 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** The first key after those starting with {@code prefix}. */
  int prefixEnd(byte[] prefix) {
    int lo = 0;
    int hi = count;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (comparePrefix(mid, prefix) <= 0) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /**
   * In {@code [from, to)} (keys starting with a prefix of {@code length} bytes), the end of the keys equal
   * to the prefix: they sort before the longer ones.
   */
  int exactEnd(int from, int to, int length) {
    int lo = from;
    int hi = to;
    while (lo < hi) {
      int mid = (lo + hi) >>> 1;
      if (keyLength(mid) <= length) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }

  /** Below zero if the key sorts before every key starting with {@code prefix}, zero if it starts with it, above zero after. */
  private int comparePrefix(int key, byte[] prefix) {
    int start = keyStart[key];
    int length = keyStart[key + 1] - start;
    int n = Math.min(length, prefix.length);
    for (int i = 0; i < n; i++) {
      int a = keys[start + i] & 0xff;
      int b = prefix[i] & 0xff;
      if (a != b) return a - b;
    }
    return length >= prefix.length ? 0 : -1;
  }

  /** The keys of {@code [from, to)}, most populous place first. */
  Cursor cursor(int from, int to) {
    // a wide range (one or two letters typed) is walked faster through the global population order
    return (long) (to - from) * WIDE_RANGE_FACTOR > count ? new ScanCursor(from, to) : new TreeCursor(from, to);
  }

  /** Walks a key range most populous first. Not thread-safe: one per search. */
  interface Cursor {
    /** The population of the place of the next key, or -1 when the range is exhausted. */
    int peekPopulation();

    /** The next key, or -1 when the range is exhausted. */
    int next();
  }

  /** Over the max-tree: O(log n) per key handed out, whatever the range. */
  private final class TreeCursor implements Cursor {
    private int[] heapNode = new int[64];
    private int[] heapValue = new int[64];
    private int heapSize;

    private TreeCursor(int from, int to) {
      int l = from + leaves;
      int r = to + leaves;
      while (l < r) {
        if ((l & 1) == 1) push(l++);
        if ((r & 1) == 1) push(--r);
        l >>>= 1;
        r >>>= 1;
      }
    }

    @Override
    public int peekPopulation() {
      return heapSize == 0 ? -1 : heapValue[0];
    }

    @Override
    public int next() {
      if (heapSize == 0) return -1;
      int node = pop();
      // down to the subtree's most populous leaf, leaving each sibling passed by for later
      while (node < leaves) {
        int left = 2 * node;
        int right = left + 1;
        if (maxPopulation[left] >= maxPopulation[right]) {
          push(right);
          node = left;
        } else {
          push(left);
          node = right;
        }
      }
      return node - leaves;
    }

    private void push(int node) {
      int v = maxPopulation[node];
      if (v < 0) return;
      if (heapSize == heapNode.length) {
        heapNode = Arrays.copyOf(heapNode, heapSize * 2);
        heapValue = Arrays.copyOf(heapValue, heapSize * 2);
      }
      int i = heapSize++;
      while (i > 0) {
        int parent = (i - 1) >>> 1;
        if (heapValue[parent] >= v) break;
        heapNode[i] = heapNode[parent];
        heapValue[i] = heapValue[parent];
        i = parent;
      }
      heapNode[i] = node;
      heapValue[i] = v;
    }

    private int pop() {
      int top = heapNode[0];
      int lastNode = heapNode[--heapSize];
      int lastValue = heapValue[heapSize];
      int i = 0;
      while (true) {
        int child = 2 * i + 1;
        if (child >= heapSize) break;
        if (child + 1 < heapSize && heapValue[child + 1] > heapValue[child]) child++;
        if (heapValue[child] <= lastValue) break;
        heapNode[i] = heapNode[child];
        heapValue[i] = heapValue[child];
        i = child;
      }
      if (heapSize > 0) {
        heapNode[i] = lastNode;
        heapValue[i] = lastValue;
      }
      return top;
    }
  }

  /**
   * Through all keys in population order, keeping those of the range: for a range holding more than
   * 1/{@value #WIDE_RANGE_FACTOR} of the keys, that skips fewer than {@value #WIDE_RANGE_FACTOR} keys
   * per key handed out, a few nanoseconds each.
   */
  private final class ScanCursor implements Cursor {
    private final int from;
    private final int to;
    private int position;
    private int remaining;
    private int pending = -1;

    private ScanCursor(int from, int to) {
      this.from = from;
      this.to = to;
      this.remaining = to - from;
    }

    @Override
    public int peekPopulation() {
      if (pending < 0) pending = advance();
      return pending < 0 ? -1 : maxPopulation[leaves + pending];
    }

    @Override
    public int next() {
      int key = pending >= 0 ? pending : advance();
      pending = -1;
      return key;
    }

    private int advance() {
      if (remaining == 0) return -1;
      while (position < byPopulation.length) {
        int key = byPopulation[position++];
        if (key >= from && key < to) {
          remaining--;
          return key;
        }
      }
      return -1;
    }
  }

  long footprintBytes() {
    return keys.length + 4L * (keyStart.length + ref.length + maxPopulation.length + byPopulation.length);
  }
}
