package io.codex.codecs;

import java.nio.charset.StandardCharsets;

/**
 * A piece of JSON text (a telemetry record's payload object) kept as the UTF-8 bytes it arrived in
 * until someone asks for it as a {@code String}, then decoded once. The live feed hands every record
 * to its local consumers, and most of them never look at the payload (the live map's index only
 * when it sends a device's state to a map client), so most payloads are never decoded at all.
 * Immutable: the bytes must not change after it is made. Equal to another by its text.
 */
public final class JsonText {
  private final byte[] utf8;
  private final int from;
  private final int to;
  private volatile String text;

  private JsonText(byte[] utf8, int from, int to, String text) {
    this.utf8 = utf8;
    this.from = from;
    this.to = to;
    this.text = text;
  }

  /** The text; null for null. */
  public static JsonText of(String text) {
    return text == null ? null : new JsonText(null, 0, 0, text);
  }

  /** The UTF-8 text in {@code bytes[from, to)}, which must never change afterwards. */
  public static JsonText utf8(byte[] bytes, int from, int to) {
    if (from < 0 || to < from || to > bytes.length) throw new IndexOutOfBoundsException(from + ".." + to + " of " + bytes.length);
    return new JsonText(bytes, from, to, null);
  }

  /** The first character, without decoding the rest; -1 when empty. */
  public int firstChar() {
    String t = text;
    if (t != null) return t.isEmpty() ? -1 : t.charAt(0);
    return from == to ? -1 : utf8[from] & 0xFF;
  }

  @Override
  public String toString() {
    String t = text;
    if (t == null) {
      t = new String(utf8, from, to - from, StandardCharsets.UTF_8);
      text = t;   // the same String from any thread: a race only decodes twice
    }
    return t;
  }

  @Override
  public boolean equals(Object o) {
    return o instanceof JsonText other && toString().equals(other.toString());
  }

  @Override
  public int hashCode() {
    return toString().hashCode();
  }
}
