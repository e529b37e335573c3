package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import java.nio.charset.StandardCharsets;
import java.util.Random;
import org.junit.jupiter.api.Test;

/** The shared string step of both one-pass scanners, against a separate reading of the same JSON rules. */
class JsonByteCursorTest {
  static final class Cursor extends JsonByteCursor {
    Cursor(byte[] b, boolean asciiOnly) {
      super(b, new Limits(asciiOnly, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE, Integer.MAX_VALUE));
    }

    /** "end index, escaped, next position" or the failure's name. */
    String scan() {
      try {
        int end = string();
        return end + " " + escaped + " " + i;
      } catch (RuntimeException e) {
        return e == NOT_HANDLED ? "not handled" : "past the end";
      }
    }
  }

  /** The rules, one byte at a time. */
  static String reference(byte[] b, boolean asciiOnly) {
    boolean escaped = false;
    int j = 1;
    while (true) {
      if (j >= b.length) return "past the end";
      byte c = b[j];
      if (c == '"') return j + " " + escaped + " " + (j + 1);
      if (c == '\\') {
        escaped = true;
        if (j + 1 >= b.length) return "past the end";
        byte e = b[j + 1];
        if (e == 'u') {
          for (int k = 2; k < 6; k++) {
            if (j + k >= b.length) return "past the end";
            if (Character.digit(b[j + k], 16) < 0) return "not handled";
          }
          j += 6;
          continue;
        }
        if ("\"\\/bfnrt".indexOf(e) < 0) return "not handled";
        j += 2;
        continue;
      }
      if ((c & 0xFF) < 0x20 || asciiOnly && c < 0) return "not handled";
      j++;
    }
  }

  static void check(byte[] b) {
    for (boolean ascii : new boolean[] {false, true}) {
      assertThat(new Cursor(b, ascii).scan()).as(new String(b, StandardCharsets.ISO_8859_1) + " ascii only " + ascii)
          .isEqualTo(reference(b, ascii));
    }
  }

  @Test
  void everySpecialByteAtEveryPositionOfStringsUpTo40Bytes() {
    byte[] specials = {'"', '\\', 0x01, 0x1F, 0x20, 0x21, (byte) 0x80, (byte) 0xC3, (byte) 0xFF, 'n', 'u', '/'};
    for (int len = 0; len <= 40; len++) {
      for (int at = 0; at < len; at++) {
        for (byte sp : specials) {
          byte[] b = new byte[len + 3];
          b[0] = '"';
          for (int k = 1; k <= len; k++) b[k] = (byte) ('a' + k % 26);
          b[1 + at] = sp;
          b[len + 1] = '"';
          b[len + 2] = ',';
          check(b);
        }
      }
    }
  }

  @Test
  void randomStringsWithEscapesAndUtf8() {
    Random r = new Random(7);
    String[] parts = {"a", "bcdefgh", "\\\"", "\\\\", "\\n", "\\u00e9", "\\u12G4", "\\x", "é", "€", "\u0001", "\"", " ", "0123456789"};
    for (int n = 0; n < 20_000; n++) {
      StringBuilder s = new StringBuilder("\"");
      int pieces = r.nextInt(12);
      for (int k = 0; k < pieces; k++) s.append(parts[r.nextInt(parts.length)]);
      if (r.nextInt(10) > 0) s.append('"');
      if (r.nextBoolean()) s.append(",\"next\":1}");
      check(s.toString().getBytes(StandardCharsets.UTF_8));
    }
  }
}
