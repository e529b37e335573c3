package io.codex.embed;

import io.codex.config.ConfigException;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * What may be embedded: view names ({@code Workbook/View}) and Looker targets
 * ({@code dashboards/42}) with {@code *} wildcards (any run of characters, {@code /} included).
 * An entry may be limited to one product with a {@code tableau:} or {@code looker:} prefix. An
 * empty list allows nothing.
 */
public final class Allowlist {
  private record Entry(Kind kind, String text, Pattern pattern) {}

  private final List<Entry> entries;

  private Allowlist(List<Entry> entries) {
    this.entries = List.copyOf(entries);
  }

  public static Allowlist of(String key, List<String> patterns) {
    List<Entry> out = new ArrayList<>();
    for (String raw : patterns) {
      String p = raw.trim();
      Kind kind = null;
      for (Kind k : Kind.values()) {
        if (p.startsWith(k.id() + ":")) {
          kind = k;
          p = p.substring(k.id().length() + 1).trim();
        }
      }
      if (p.isEmpty()) throw new ConfigException(key, "has an empty entry (\"" + raw + "\")");
      out.add(new Entry(kind, raw.trim(), compile(p)));
    }
    return new Allowlist(out);
  }

  static Pattern compile(String glob) {
    StringBuilder re = new StringBuilder();
    int at = 0;
    for (int i = glob.indexOf('*'); i >= 0; i = glob.indexOf('*', at)) {
      if (i > at) re.append(Pattern.quote(glob.substring(at, i)));
      re.append(".*");
      at = i + 1;
    }
    if (at < glob.length()) re.append(Pattern.quote(glob.substring(at)));
    return Pattern.compile(re.toString(), Pattern.DOTALL);
  }

  public boolean allows(Kind kind, String name) {
    for (Entry e : entries) {
      if ((e.kind() == null || e.kind() == kind) && e.pattern().matcher(name).matches()) return true;
    }
    return false;
  }

  /** This list followed by another's entries. */
  public Allowlist plus(Allowlist other) {
    List<Entry> all = new ArrayList<>(entries);
    all.addAll(other.entries);
    return new Allowlist(all);
  }

  public boolean isEmpty() {
    return entries.isEmpty();
  }

  @Override
  public String toString() {
    return entries.stream().map(Entry::text).toList().toString();
  }
}
