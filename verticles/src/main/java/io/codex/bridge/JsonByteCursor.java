package io.codex.bridge;

import java.nio.charset.StandardCharsets;

/**
 * A position in JSON bytes and the small steps both one-pass telemetry scanners take over them
 * (ingest's {@code TelemetryScan}, the live feed's {@link TelemetryRecordReader}): whitespace,
 * field names compared as bytes, literals and digit runs. A step that finds something else throws
 * {@link #NOT_HANDLED}; each scanner catches it (with any other runtime exception, such as reading
 * past the end of cut-off bytes) and hands the bytes to its full JSON parser.
 */
public abstract class JsonByteCursor {
  /** Shared and without a stack trace: leaving a value to the full parser is not exceptional. */
  protected static final RuntimeException NOT_HANDLED = new RuntimeException("not handled by the one-pass scanner", null, false, false) {};

  protected final byte[] b;
  protected int i;

  protected JsonByteCursor(byte[] b) {
    this.b = b;
  }

  /** A field name or literal as the bytes to compare with. */
  public static byte[] ascii(String s) {
    return s.getBytes(StandardCharsets.US_ASCII);
  }

  /** Moves past JSON whitespace. */
  protected final void ws() {
    while (i < b.length) {
      byte c = b[i];
      if (c != ' ' && c != '\n' && c != '\r' && c != '\t') return;
      i++;
    }
  }

  /** Whether bytes [s, e) are {@code name}. */
  protected final boolean is(int s, int e, byte[] name) {
    if (e - s != name.length) return false;
    for (int k = 0; k < name.length; k++) {
      if (b[s + k] != name[k]) return false;
    }
    return true;
  }

  /** Moves past {@code word} (true, false, null). */
  protected final void literal(String word) {
    for (int k = 0; k < word.length(); k++) {
      if (b[i + k] != word.charAt(k)) throw NOT_HANDLED;
    }
    i += word.length();
  }

  /** Moves past one or more digits. */
  protected final void digits() {
    if (b[i] < '0' || b[i] > '9') throw NOT_HANDLED;
    while (i < b.length && b[i] >= '0' && b[i] <= '9') i++;
  }
}
