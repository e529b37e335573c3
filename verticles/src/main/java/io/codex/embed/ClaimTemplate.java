package io.codex.embed;

import io.codex.config.ConfigException;
import java.util.ArrayList;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * A value made from the caller's verified token claims, such as {@code {sub}} or
 * {@code {email}} or {@code tenant-{tenant}}: literal text with {@code {claim}} placeholders. An
 * empty template means "not set".
 */
public final class ClaimTemplate {
  private static final Pattern PLACEHOLDER = Pattern.compile("\\{([^{}]+)}");

  private final String text;
  /** Alternating literal / claim-name parts; claim names are at odd indexes. */
  private final List<String> parts;

  private ClaimTemplate(String text, List<String> parts) {
    this.text = text;
    this.parts = parts;
  }

  public static ClaimTemplate parse(String key, String text) {
    String t = text == null ? "" : text.trim();
    List<String> parts = new ArrayList<>();
    Matcher m = PLACEHOLDER.matcher(t);
    int at = 0;
    while (m.find()) {
      parts.add(t.substring(at, m.start()));
      String claim = m.group(1).trim();
      if (claim.isEmpty()) throw new ConfigException(key, "has an empty {} placeholder");
      parts.add(claim);
      at = m.end();
    }
    String tail = t.substring(at);
    if (tail.contains("{") || tail.contains("}") || parts.stream().anyMatch(p -> p.contains("{") || p.contains("}"))) {
      throw new ConfigException(key, "must be text with {claim} placeholders (got \"" + t + "\")");
    }
    parts.add(tail);
    return new ClaimTemplate(t, List.copyOf(parts));
  }

  public boolean isSet() {
    return !text.isEmpty();
  }

  /** The claim names this template reads. */
  public Set<String> claims() {
    Set<String> out = new LinkedHashSet<>();
    for (int i = 1; i < parts.size(); i += 2) out.add(parts.get(i));
    return out;
  }

  /**
   * The value for a caller with these claims; a 403 problem naming the claim when one is missing or
   * not a single value (the caller's token cannot be mapped).
   */
  public String render(Map<String, Object> claims, String what) {
    StringBuilder b = new StringBuilder();
    for (int i = 0; i < parts.size(); i++) {
      if (i % 2 == 0) {
        b.append(parts.get(i));
      } else {
        b.append(ClaimValues.single(claims, parts.get(i), what));
      }
    }
    return b.toString();
  }

  @Override
  public String toString() {
    return text;
  }
}
