package io.codex.codecs;

import io.vertx.core.buffer.Buffer;
import java.nio.charset.StandardCharsets;

/** Wire primitives shared by the codecs: length-prefixed UTF-8 strings and nullable doubles. */
final class Wire {

  private static final int NULL_LENGTH = -1;

  private Wire() {
  }

  static void writeString(Buffer b, String s) {
    if (s == null) {
      b.appendInt(NULL_LENGTH);
      return;
    }
    // Byte length, not char length: non-ASCII text is longer on the wire than String.length().
    byte[] bytes = s.getBytes(StandardCharsets.UTF_8);
    b.appendInt(bytes.length).appendBytes(bytes);
  }

  static void writeDouble(Buffer b, Double d) {
    if (d == null) {
      b.appendByte((byte) 0);
    } else {
      b.appendByte((byte) 1).appendDouble(d);
    }
  }

  static Reader reader(Buffer b, int pos) {
    return new Reader(b, pos);
  }

  /** Reads sequentially from a start position, so codecs never compute offsets by hand. */
  static final class Reader {
    private final Buffer b;
    private int pos;

    private Reader(Buffer b, int pos) {
      this.b = b;
      this.pos = pos;
    }

    String string() {
      int len = int32();
      if (len == NULL_LENGTH) {
        return null;
      }
      String s = new String(b.getBytes(pos, pos + len), StandardCharsets.UTF_8);
      pos += len;
      return s;
    }

    Double nullableDouble() {
      if (bool()) {
        double d = b.getDouble(pos);
        pos += Double.BYTES;
        return d;
      }
      return null;
    }

    boolean bool() {
      return b.getByte(pos++) != 0;
    }

    int int32() {
      int v = b.getInt(pos);
      pos += Integer.BYTES;
      return v;
    }

    long int64() {
      long v = b.getLong(pos);
      pos += Long.BYTES;
      return v;
    }
  }
}
