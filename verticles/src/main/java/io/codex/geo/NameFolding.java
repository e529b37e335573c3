package io.codex.geo;

import java.text.Normalizer;
import java.util.Locale;

/**
 * Folds a place name or a query to the form the gazetteer's keys are stored in: lower case, no accents
 * or other marks ("São Paulo" → "sao paulo"), letters without a decomposition spelled out ("ß" → "ss",
 * "ł" → "l", "æ" → "ae"), apostrophes dropped ("L'Aquila" → "laquila"), any other run of punctuation,
 * hyphens or spaces turned into one space ("Saint-Étienne" → "saint etienne"), trimmed.
 *
 * <p>The generator {@code tools/gazetteer/build.mjs} folds the names it writes the same way; the
 * test {@code GazetteerDataTest} checks that both agree on every name in the bundled file. Change
 * both together.
 */
public final class NameFolding {
  private static final String[] SPECIAL = new String[0x2C0];
  private static final String EXTRA_FROM = "ɨƚɓɗƙƴŋŊəƏɛƐɔƆ";
  private static final String[] EXTRA_TO = {"i", "l", "b", "d", "k", "y", "ng", "ng", "e", "e", "e", "e", "o", "o"};

  static {
    put("ß", "ss");
    put("æ", "ae");
    put("Æ", "ae");
    put("ø", "o");
    put("Ø", "o");
    put("œ", "oe");
    put("Œ", "oe");
    put("ł", "l");
    put("Ł", "l");
    put("đ", "d");
    put("Đ", "d");
    put("ð", "d");
    put("Ð", "d");
    put("þ", "th");
    put("Þ", "th");
    put("ı", "i");
    put("ħ", "h");
    put("Ħ", "h");
    put("ŧ", "t");
    put("Ŧ", "t");
    put("ĸ", "k");
    put("ſ", "s");
    put("ƒ", "f");
    for (int i = 0; i < EXTRA_FROM.length(); i++) put(EXTRA_FROM.substring(i, i + 1), EXTRA_TO[i]);
  }

  private static void put(String from, String to) {
    SPECIAL[from.charAt(0)] = to;
  }

  private NameFolding() {
  }

  /** The folded form of {@code text}; empty when it has no letter or digit. Never null for non-null input. */
  public static String fold(String text) {
    int n = text.length();
    StringBuilder out = new StringBuilder(n);
    boolean pendingSpace = false;
    for (int i = 0; i < n; i++) {
      char c = text.charAt(i);
      if (c >= 0x80) return foldUnicode(text);
      if (c == '\'' || c == '`') continue;
      if (c >= 'A' && c <= 'Z') {
        c = (char) (c + ('a' - 'A'));
      } else if (!(c >= 'a' && c <= 'z') && !(c >= '0' && c <= '9')) {
        pendingSpace = out.length() > 0;
        continue;
      }
      if (pendingSpace) {
        out.append(' ');
        pendingSpace = false;
      }
      out.append(c);
    }
    return out.toString();
  }

  private static String foldUnicode(String text) {
    String t = special(text);
    t = stripApostrophes(t);
    t = Normalizer.normalize(t, Normalizer.Form.NFKD);
    t = special(stripMarks(t).toLowerCase(Locale.ROOT));
    StringBuilder out = new StringBuilder(t.length());
    boolean pendingSpace = false;
    for (int i = 0; i < t.length(); ) {
      int cp = t.codePointAt(i);
      i += Character.charCount(cp);
      if (Character.isLetter(cp) || isNumber(cp)) {
        if (pendingSpace) out.append(' ');
        pendingSpace = false;
        out.appendCodePoint(cp);
      } else {
        pendingSpace = out.length() > 0;
      }
    }
    return out.toString();
  }

  private static boolean isNumber(int cp) {
    int type = Character.getType(cp);
    return type == Character.DECIMAL_DIGIT_NUMBER || type == Character.LETTER_NUMBER || type == Character.OTHER_NUMBER;
  }

  private static String special(String s) {
    StringBuilder out = null;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      String to = c < SPECIAL.length ? SPECIAL[c] : c == 'ẞ' ? "ss" : null;
      if (to != null && out == null) out = new StringBuilder(s.length() + 8).append(s, 0, i);
      if (out != null) {
        if (to != null) out.append(to);
        else out.append(c);
      }
    }
    return out == null ? s : out.toString();
  }

  /** Apostrophes and the letters transliterating ayn and hamza: {@code ' ’ ‘ ʻ ʼ ʽ ʾ ʿ ` ´ ʹ ′}. */
  private static boolean isApostrophe(char c) {
    return switch (c) {
      case '\'', '’', '‘', 'ʻ', 'ʼ', 'ʽ', 'ʾ', 'ʿ', '`', '´', 'ʹ', '′' -> true;
      default -> false;
    };
  }

  private static String stripApostrophes(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (!isApostrophe(c)) out.append(c);
    }
    return out.toString();
  }

  private static String stripMarks(String s) {
    StringBuilder out = new StringBuilder(s.length());
    for (int i = 0; i < s.length(); ) {
      int cp = s.codePointAt(i);
      i += Character.charCount(cp);
      int type = Character.getType(cp);
      if (type != Character.NON_SPACING_MARK && type != Character.COMBINING_SPACING_MARK
          && type != Character.ENCLOSING_MARK) {
        out.appendCodePoint(cp);
      }
    }
    return out.toString();
  }
}
