package io.codex.bridge;

import java.nio.charset.StandardCharsets;

/**
 * A position in JSON bytes and the small steps both one-pass telemetry scanners take over them
 * (ingest's {@code TelemetryScan}, the live feed's {@link TelemetryRecordReader}): whitespace,
 * strings, field names compared as bytes, literals and digit runs. A step that finds something else throws
 * {@link #NOT_HANDLED}; each scanner catches it (with any other runtime exception, such as reading
 * past the end of cut-off bytes) and hands the bytes to its full JSON parser.
 */
public abstract class JsonByteCursor {
  /** Shared and without a stack trace: leaving a value to the full parser is not exceptional. */
  protected static final RuntimeException NOT_HANDLED = new RuntimeException("not handled by the one-pass scanner", null, false, false) {};

  protected final byte[] b;
  protected int i;
  /** Set by {@link #scanString} when the string just read had an escape sequence. */
  protected boolean escaped;

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

  /**
   * At a '"': moves past the string and its closing quote; returns the index of the closing quote.
   * Escapes are checked (and flagged in {@link #escaped}); a bad escape or a raw control character
   * (invalid JSON) throws {@link #NOT_HANDLED}, and so does any byte of 0x80 and above (non-ASCII)
   * when {@code asciiOnly}.
   */
  protected final int scanString(boolean asciiOnly) {
    escaped = false;
    int j = i + 1;
    while (true) {
      byte c = b[j];
      if (c == '"') break;
      if (c == '\\') {
        escaped = true;
        byte e = b[j + 1];
        if (e == 'u') {
          for (int k = 2; k < 6; k++) {
            byte h = b[j + k];
            if (!(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F')) throw NOT_HANDLED;
          }
          j += 6;
          continue;
        }
        if (e != '"' && e != '\\' && e != '/' && e != 'b' && e != 'f' && e != 'n' && e != 'r' && e != 't') throw NOT_HANDLED;
        j += 2;
        continue;
      }
      if (c < 0x20 && (c >= 0 || asciiOnly)) throw NOT_HANDLED;
      j++;
    }
    i = j + 1;
    return j;
  }
}
