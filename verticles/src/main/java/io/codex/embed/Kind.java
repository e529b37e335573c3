package io.codex.embed;

import java.util.Locale;
import java.util.Optional;

/** What a token, URL or share link embeds: a Tableau view or a Looker target. */
public enum Kind {
  TABLEAU, LOOKER;

  public String id() {
    return name().toLowerCase(Locale.ROOT);
  }

  public static Optional<Kind> of(String value) {
    if (value == null) return Optional.empty();
    for (Kind k : values()) {
      if (k.id().equals(value)) return Optional.of(k);
    }
    return Optional.empty();
  }
}
