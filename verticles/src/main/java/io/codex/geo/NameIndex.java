package io.codex.geo;

/**
 * The search keys of the gazetteer: folded names ({@link NameFolding}), sorted by their UTF-8 bytes
 * and packed in one byte array, each pointing at a place with a {@link Kind}. A prefix is a range of
 * keys found by binary search; within a range, a max-tree over the places' populations hands out
 * the keys most populous first ({@link Cursor}) without scanning the range. Immutable.
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

  private final byte[] keys;
  private final int[] keyStart;
  private final int[] ref;
  private final int count;
  private final int leaves;
  private final int[] maxPopulation;
  private final int[] populations;

  /**
   * @param keys      the keys' UTF-8 bytes one after the other, in sorted order
   * @param keyStart  where each key starts in {@code keys}, plus one entry for the end
   * @param places    the place of each key
   * @param kinds     the {@link Kind} ordinal of each key
   */
  NameIndex(byte[] keys, int[] keyStart, int[] places, byte[] kinds, int count, int[] populations) {
    this.keys = keys;
    this.keyStart = keyStart;
    this.count = count;
    this.populations = populations;
    this.ref = places;
    for (int i = 0; i < count; i++) ref[i] = places[i] << KIND_BITS | kinds[i];
    int l = 1;
    while (l < count) l <<= 1;
    this.leaves = l;
    this.maxPopulation = new int[l];
    for (int node = l - 1; node >= 1; node--) {
      maxPopulation[node] = Math.max(value(2 * node), value(2 * node + 1));
    }
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
    return new String(keys, keyStart[key], keyLength(key), java.nio.charset.StandardCharsets.UTF_8);
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

  private int value(int node) {
    if (node >= leaves) {
      int key = node - leaves;
      return key < count ? populations[ref[key] >>> KIND_BITS] : -1;
    }
    return maxPopulation[node];
  }

  /** The keys of {@code [from, to)}, most populous place first. */
  Cursor cursor(int from, int to) {
    return new Cursor(from, to);
  }

  /** Walks a key range most populous first: O(log n) per key handed out. Not thread-safe: one per search. */
  final class Cursor {
    private int[] heapNode = new int[32];
    private int[] heapValue = new int[32];
    private int heapSize;

    private Cursor(int from, int to) {
      int l = from + leaves;
      int r = to + leaves;
      while (l < r) {
        if ((l & 1) == 1) push(l++);
        if ((r & 1) == 1) push(--r);
        l >>>= 1;
        r >>>= 1;
      }
    }

    /** The population of the place of the next key, or -1 when the range is exhausted. */
    int peekPopulation() {
      return heapSize == 0 ? -1 : heapValue[0];
    }

    /** The next key, or -1 when the range is exhausted. */
    int next() {
      while (heapSize > 0) {
        int node = pop();
        if (node >= leaves) return node - leaves;
        push(2 * node);
        push(2 * node + 1);
      }
      return -1;
    }

    private void push(int node) {
      int v = value(node);
      if (v < 0) return;
      if (heapSize == heapNode.length) {
        heapNode = java.util.Arrays.copyOf(heapNode, heapSize * 2);
        heapValue = java.util.Arrays.copyOf(heapValue, heapSize * 2);
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

  long footprintBytes() {
    return keys.length + 4L * (keyStart.length + ref.length + maxPopulation.length);
  }
}
