package io.codex.geo;

import java.io.IOException;
import java.io.InputStream;
import java.nio.charset.StandardCharsets;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.BitSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.zip.GZIPInputStream;

/**
 * Reads the gazetteer file written by {@code tools/gazetteer/build.mjs} (gzip, UTF-8, tab-separated):
 * <pre>
 * codex-gazetteer/1  regions=R  places=P  keys=K  source=…
 * R lines:  CC.admin1  region name
 * P lines:  geonames id  name  CC  region index or empty  population  lon·1e5  lat·1e5  GeoNames feature code
 * K lines:  bytes shared with the previous key  rest of the key  place index  kind (0 name, 1 alternate, 2 word)
 * </pre>
 * Keys come folded and sorted, so reading is parsing only: bytes straight into primitive arrays.
 */
final class GazetteerReader {
  static final String FORMAT = "codex-gazetteer/1";
  /** GeoNames' feature code of a section of a populated place (a district: "Zürich (Kreis 11)"). */
  private static final byte[] SECTION = "PPLX".getBytes(StandardCharsets.US_ASCII);

  private final byte[] b;
  private int pos;

  private GazetteerReader(byte[] bytes) {
    this.b = bytes;
  }

  /** Parses a whole gazetteer file; the stream is read to its end but not closed. */
  static Parsed read(InputStream gzipped) throws IOException {
    byte[] bytes = new GZIPInputStream(gzipped, 1 << 16).readAllBytes();
    return new GazetteerReader(bytes).parse();
  }

  /** What the file holds: the places and their search keys. */
  record Parsed(Places places, NameIndex names) {
  }

  private Parsed parse() throws IOException {
    String format = text(field());
    if (!FORMAT.equals(format)) throw new IOException("not a " + FORMAT + " file: " + format);
    Map<String, Integer> counts = new HashMap<>();
    while (!atLineEnd()) {
      String f = text(field());
      int eq = f.indexOf('=');
      if (eq > 0 && f.substring(eq + 1).chars().allMatch(Character::isDigit)) {
        counts.put(f.substring(0, eq), Integer.parseInt(f.substring(eq + 1)));
      }
    }
    nextLine();
    int regionCount = count(counts, "regions");
    int placeCount = count(counts, "places");
    int keyCount = count(counts, "keys");

    String[] regionCodes = new String[regionCount];
    String[] regionNames = new String[regionCount];
    for (int r = 0; r < regionCount; r++) {
      String code = text(field());
      int dot = code.indexOf('.');
      regionCodes[r] = code.substring(dot + 1);
      regionNames[r] = text(field());
      nextLine();
    }

    short[] countryIndex = new short[26 * 26]; // by the two letters of the code: index + 1, 0 = not seen yet
    List<String> countryCodes = new ArrayList<>();
    int[] ids = new int[placeCount];
    int[] population = new int[placeCount];
    int[] lon = new int[placeCount];
    int[] lat = new int[placeCount];
    short[] country = new short[placeCount];
    short[] region = new short[placeCount];
    BitSet sections = new BitSet(placeCount);
    int[] nameStart = new int[placeCount + 1];
    byte[] names = new byte[Math.max(16, placeCount * 12)];
    int nameLength = 0;
    for (int p = 0; p < placeCount; p++) {
      ids[p] = (int) number(field());
      long name = field();
      int start = (int) (name >>> 32);
      int length = (int) name - start;
      if (nameLength + length > names.length) names = Arrays.copyOf(names, Math.max(names.length * 2, nameLength + length));
      System.arraycopy(b, start, names, nameLength, length);
      nameStart[p] = nameLength;
      nameLength += length;
      long cc = field();
      int letters = countryLetters(cc);
      if (countryIndex[letters] == 0) {
        countryCodes.add(text(cc));
        countryIndex[letters] = (short) countryCodes.size();
      }
      country[p] = (short) (countryIndex[letters] - 1);
      long r = field();
      region[p] = (short) ((int) r == (int) (r >>> 32) ? Places.NO_REGION : number(r));
      population[p] = (int) number(field());
      lon[p] = (int) number(field());
      lat[p] = (int) number(field());
      if (equals(field(), SECTION)) sections.set(p);
      nextLine();
    }
    nameStart[placeCount] = nameLength;
    names = Arrays.copyOf(names, nameLength);

    Places places = new Places(placeCount, ids, population, lon, lat, country, region, sections, names,
        nameStart, countryCodes.toArray(String[]::new), regionCodes, regionNames);

    int[] keyStart = new int[keyCount + 1];
    int[] keyPlace = new int[keyCount];
    byte[] kinds = new byte[keyCount];
    byte[] keys = new byte[Math.max(16, keyCount * 14)];
    int keyLength = 0;
    int previousStart = 0;
    for (int k = 0; k < keyCount; k++) {
      int shared = (int) number(field());
      long rest = field();
      int restStart = (int) (rest >>> 32);
      int restLength = (int) rest - restStart;
      if (keyLength + shared + restLength > keys.length) {
        keys = Arrays.copyOf(keys, Math.max(keys.length * 2, keyLength + shared + restLength));
      }
      System.arraycopy(keys, previousStart, keys, keyLength, shared);
      System.arraycopy(b, restStart, keys, keyLength + shared, restLength);
      keyStart[k] = keyLength;
      previousStart = keyLength;
      keyLength += shared + restLength;
      keyPlace[k] = (int) number(field());
      kinds[k] = (byte) number(field());
      if (keyPlace[k] < 0 || keyPlace[k] >= placeCount || kinds[k] < 0 || kinds[k] > 2) {
        throw new IOException("bad key " + k + " in the gazetteer");
      }
      nextLine();
    }
    keyStart[keyCount] = keyLength;
    keys = Arrays.copyOf(keys, keyLength);
    return new Parsed(places, new NameIndex(keys, keyStart, keyPlace, kinds, keyCount, population));
  }

  private static int count(Map<String, Integer> counts, String name) throws IOException {
    Integer n = counts.get(name);
    if (n == null) throw new IOException("gazetteer header without " + name + "=");
    return n;
  }

  /** The next field of the line as (start << 32 | end); the position moves past its tab. */
  private long field() throws IOException {
    int start = pos;
    while (pos < b.length && b[pos] != '\t' && b[pos] != '\n') pos++;
    if (pos >= b.length) throw new IOException("truncated gazetteer file");
    long f = (long) start << 32 | pos;
    if (b[pos] == '\t') pos++;
    return f;
  }

  private boolean atLineEnd() {
    return pos >= b.length || b[pos] == '\n';
  }

  private void nextLine() throws IOException {
    if (pos >= b.length || b[pos] != '\n') throw new IOException("unexpected field at byte " + pos + " of the gazetteer");
    pos++;
  }

  /** A two-letter upper-case country code as 0 … 675. */
  private int countryLetters(long f) throws IOException {
    int start = (int) (f >>> 32);
    int a = (int) f - start == 2 ? b[start] - 'A' : -1;
    int c = a >= 0 ? b[start + 1] - 'A' : -1;
    if (a < 0 || a >= 26 || c < 0 || c >= 26) {
      throw new IOException("bad country code at byte " + start + " of the gazetteer");
    }
    return a * 26 + c;
  }

  private boolean equals(long f, byte[] ascii) {
    int start = (int) (f >>> 32);
    return Arrays.equals(b, start, (int) f, ascii, 0, ascii.length);
  }

  private String text(long f) {
    int start = (int) (f >>> 32);
    return new String(b, start, (int) f - start, StandardCharsets.UTF_8);
  }

  private long number(long f) throws IOException {
    int i = (int) (f >>> 32);
    int end = (int) f;
    boolean negative = i < end && b[i] == '-';
    if (negative) i++;
    if (i >= end) throw new IOException("empty number at byte " + i + " of the gazetteer");
    long v = 0;
    for (; i < end; i++) {
      int d = b[i] - '0';
      if (d < 0 || d > 9) throw new IOException("bad number at byte " + i + " of the gazetteer");
      v = v * 10 + d;
    }
    return negative ? -v : v;
  }
}
