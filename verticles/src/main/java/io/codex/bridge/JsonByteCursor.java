package io.codex.bridge;

import java.nio.charset.StandardCharsets;

/**
 * A position in JSON bytes and the small steps both one-pass telemetry scanners take over them
 * (ingest's {@code TelemetryScan}, the live feed's {@link TelemetryRecordReader}): whitespace,
 * strings, field names compared as bytes, literals, numbers and whole values skipped with their
 * grammar checked, within the scanner's {@link Limits}. A step that finds something else throws
 * {@link #NOT_HANDLED}; each scanner catches it (with any other runtime exception, such as reading
 * past the end of cut-off bytes) and hands the bytes to its full JSON parser.
 */
public abstract class JsonByteCursor {
  /** Shared and without a stack trace: leaving a value to the full parser is not exceptional. */
  protected static final RuntimeException NOT_HANDLED = new RuntimeException("not handled by the one-pass scanner", null, false, false) {};

  /**
   * What a scanner takes on before it hands the value to its full parser: only ASCII in strings,
   * the longest string, field name (in skipped objects) and number, and how deeply skipped values
   * may nest.
   */
  public record Limits(boolean asciiOnly, int maxString, int maxName, int maxDepth, int maxNumber) {
    public static final Limits NONE = new Limits(false, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE);
  }

  /** 10^0 to 10^15, all exact doubles. */
  private static final double[] POW10 = {1e0, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15};

  protected final byte[] b;
  protected int i;
  /** Set by {@link #string()} when the string just read had an escape sequence. */
  protected boolean escaped;
  private final Limits limits;

  protected JsonByteCursor(byte[] b, Limits limits) {
    this.b = b;
    this.limits = limits;
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
   * Escapes are checked (and flagged in {@link #escaped}); a bad escape, a raw control character
   * (invalid JSON), a byte of 0x80 and above when the limits say ASCII only, or a string longer
   * than the limit throws {@link #NOT_HANDLED}.
   */
  protected final int string() {
    boolean asciiOnly = limits.asciiOnly();
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
    if (j - i - 1 > limits.maxString()) throw NOT_HANDLED;
    i = j + 1;
    return j;
  }

  /**
   * Moves past one JSON value, checking its grammar; {@code depth} counts the brackets it may still
   * open before the limit. Leaves {@link #escaped} false: it tells about the caller's own strings.
   */
  protected final void skipValue(int depth) {
    switch (b[i]) {
      case '"' -> string();
      case '{' -> {
        if (depth > limits.maxDepth()) throw NOT_HANDLED;
        i++;
        ws();
        if (b[i] == '}') {
          i++;
        } else {
          while (true) {
            if (b[i] != '"') throw NOT_HANDLED;
            int s = i;
            if (string() - s > limits.maxName()) throw NOT_HANDLED;
            ws();
            if (b[i++] != ':') throw NOT_HANDLED;
            ws();
            skipValue(depth + 1);
            ws();
            byte sep = b[i++];
            if (sep == '}') break;
            if (sep != ',') throw NOT_HANDLED;
            ws();
          }
        }
      }
      case '[' -> {
        if (depth > limits.maxDepth()) throw NOT_HANDLED;
        i++;
        ws();
        if (b[i] == ']') {
          i++;
        } else {
          while (true) {
            skipValue(depth + 1);
            ws();
            byte sep = b[i++];
            if (sep == ']') break;
            if (sep != ',') throw NOT_HANDLED;
            ws();
          }
        }
      }
      case 't' -> literal("true");
      case 'f' -> literal("false");
      case 'n' -> literal("null");
      default -> number();
    }
    escaped = false;
  }

  /**
   * At a number: -?(0|[1-9][0-9]*)(.[0-9]+)?([eE][+-]?[0-9]+)? of at most the limit's characters;
   * returns whether it is an integer (no fraction, no exponent).
   */
  protected final boolean number() {
    int s = i;
    boolean integer = true;
    if (b[i] == '-') i++;
    if (b[i] == '0') {
      i++;
    } else {
      digits();
    }
    if (i < b.length && b[i] == '.') {
      integer = false;
      i++;
      digits();
    }
    if (i < b.length && (b[i] == 'e' || b[i] == 'E')) {
      integer = false;
      i++;
      if (b[i] == '+' || b[i] == '-') i++;
      digits();
    }
    if (i - s > limits.maxNumber()) throw NOT_HANDLED;
    return integer;
  }

  /**
   * A valid JSON number with a fraction, no exponent and at most 15 digits, else NaN. Then the
   * digits m and 10^k are exact doubles and m / 10^k is one correctly rounded division: the double
   * nearest the decimal, which is what {@link Double#parseDouble} returns (Clinger's fast path),
   * at a fraction of its cost.
   */
  private double decimal(int s, int e) {
    boolean negative = b[s] == '-';
    if (negative) s++;
    if (e - s > 16) return Double.NaN; // 15 digits and the point
    long m = 0;
    int fraction = -1;
    for (int k = s; k < e; k++) {
      byte c = b[k];
      if (c == '.') {
        fraction = e - k - 1;
      } else if (c >= '0' && c <= '9') {
        m = m * 10 + (c - '0');
      } else {
        return Double.NaN;
      }
    }
    if (fraction < 0) return Double.NaN;
    double v = m / POW10[fraction];
    return negative ? -v : v;
  }

  /**
   * The JSON number at [s, e) as {@link Double#parseDouble} reads it: by {@link #decimal} when it
   * is a plain decimal of at most 15 digits, else by parseDouble itself.
   */
  protected final double fractional(int s, int e) {
    double v = decimal(s, e);
    return !Double.isNaN(v) ? v : Double.parseDouble(new String(b, s, e - s, java.nio.charset.StandardCharsets.ISO_8859_1));
  }
}
