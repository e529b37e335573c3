package io.codex.config;

import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Typed, validated reads from the layered configuration. Every read names the full key path, so
 * that a bad value fails start-up with a message an operator can act on.
 */
public final class ConfigReader {
  private static final Pattern DURATION = Pattern.compile("(\\d+)\\s*(ms|s|m|h|d)?");
  private static final Pattern SIZE = Pattern.compile("(\\d+)\\s*([kmg])?b?", Pattern.CASE_INSENSITIVE);

  private final JsonObject root;
  private final String prefix;

  private ConfigReader(JsonObject root, String prefix) {
    this.root = root == null ? new JsonObject() : root;
    this.prefix = prefix;
  }

  /**
   * Reads the file named by {@code <prefix>.<section>.<fileKey>} into {@code <section>.<key>} of
   * {@code parent} (the object at {@code prefix}), trimmed, unless that key is set already (an env
   * var wins over a file). Throws naming the file key when the file cannot be read or is empty.
   */
  public static void secretFromFile(JsonObject parent, String prefix, String section, String key, String fileKey) {
    ConfigReader s = of(parent).section(section);
    if (s.has(key) || !s.has(fileKey)) return;
    String file = s.string(fileKey, "");
    String value;
    try {
      value = Files.readString(Path.of(file), StandardCharsets.UTF_8).trim();
    } catch (IOException | RuntimeException ex) {
      throw new ConfigException(prefix + "." + section + "." + fileKey, "cannot read " + file + " (" + ex.getClass().getSimpleName() + ")");
    }
    if (value.isEmpty()) throw new ConfigException(prefix + "." + section + "." + fileKey, file + " is empty");
    parent.getJsonObject(section).put(key, value);
  }

  public static ConfigReader of(JsonObject config) {
    return new ConfigReader(config, "");
  }

  /** A reader over a nested section; keys it reports keep the full path. */
  public ConfigReader section(String name) {
    Object v = root.getValue(name);
    if (v != null && !(v instanceof JsonObject)) {
      throw new ConfigException(key(name), "must be a section (a map of keys)");
    }
    return new ConfigReader((JsonObject) v, key(name));
  }

  public JsonObject json() {
    return root;
  }

  public String key(String name) {
    return prefix.isEmpty() ? name : prefix + "." + name;
  }

  public boolean has(String name) {
    Object v = root.getValue(name);
    return v != null && !(v instanceof String s && s.isBlank());
  }

  public String string(String name, String def) {
    Object v = root.getValue(name);
    if (v == null) return def;
    if (v instanceof JsonObject || v instanceof JsonArray) {
      throw new ConfigException(key(name), "must be a single value");
    }
    return v.toString();
  }

  public String requiredString(String name) {
    String v = string(name, null);
    if (v == null || v.isBlank()) throw new ConfigException(key(name), "is required");
    return v;
  }

  public int integer(String name, int def, int min, int max) {
    Object v = root.getValue(name);
    if (v == null || (v instanceof String s && s.isBlank())) return def;
    long n;
    if (v instanceof Number num && num.doubleValue() == Math.rint(num.doubleValue())) {
      n = num.longValue();
    } else {
      try {
        n = Long.parseLong(v.toString().trim());
      } catch (NumberFormatException e) {
        throw new ConfigException(key(name), "must be an integer between " + min + " and " + max + " (got \"" + v + "\")");
      }
    }
    if (n < min || n > max) {
      throw new ConfigException(key(name), "must be an integer between " + min + " and " + max + " (got " + n + ")");
    }
    return (int) n;
  }

  public boolean bool(String name, boolean def) {
    Object v = root.getValue(name);
    if (v == null || (v instanceof String s && s.isBlank())) return def;
    if (v instanceof Boolean b) return b;
    return switch (v.toString().trim().toLowerCase(Locale.ROOT)) {
      case "true", "yes", "on", "1" -> true;
      case "false", "no", "off", "0" -> false;
      default -> throw new ConfigException(key(name), "must be true or false (got \"" + v + "\")");
    };
  }

  /** Durations as "250ms", "30s", "10m", "1h", "7d" or a bare number of milliseconds. */
  public Duration duration(String name, Duration def) {
    Object v = root.getValue(name);
    if (v == null || (v instanceof String s && s.isBlank())) return def;
    return parseDuration(key(name), v.toString());
  }

  public static Duration parseDuration(String key, String text) {
    Matcher m = DURATION.matcher(text.trim());
    if (!m.matches()) {
      throw new ConfigException(key, "must be a duration such as 500ms, 30s, 10m, 1h or 7d (got \"" + text + "\")");
    }
    try {
      long n = Long.parseLong(m.group(1));
      String unit = m.group(2) == null ? "ms" : m.group(2);
      Duration d = switch (unit) {
        case "ms" -> Duration.ofMillis(n);
        case "s" -> Duration.ofSeconds(n);
        case "m" -> Duration.ofMinutes(n);
        case "h" -> Duration.ofHours(n);
        default -> Duration.ofDays(n);
      };
      d.toMillis(); // must fit in milliseconds
      return d;
    } catch (NumberFormatException | ArithmeticException e) {
      throw new ConfigException(key, "is too long a duration (got \"" + text + "\")");
    }
  }

  /** Sizes as "512m", "1g", "64k" or a bare number of bytes. */
  public long bytes(String name, long def, long min, long max) {
    Object v = root.getValue(name);
    if (v == null || (v instanceof String s && s.isBlank())) return def;
    Matcher m = SIZE.matcher(v.toString().trim());
    if (!m.matches()) {
      throw new ConfigException(key(name), "must be a size such as 64k, 512m or 1g (got \"" + v + "\")");
    }
    long n;
    try {
      n = Long.parseLong(m.group(1));
    } catch (NumberFormatException e) {
      throw new ConfigException(key(name), "must be between " + min + " and " + max + " bytes (got \"" + v + "\")");
    }
    if (m.group(2) != null) {
      int shift = switch (m.group(2).toLowerCase(Locale.ROOT)) {
        case "k" -> 10;
        case "m" -> 20;
        default -> 30;
      };
      if (n > (Long.MAX_VALUE >> shift)) {
        throw new ConfigException(key(name), "must be between " + min + " and " + max + " bytes (got \"" + v + "\")");
      }
      n <<= shift;
    }
    if (n < min || n > max) {
      throw new ConfigException(key(name), "must be between " + min + " and " + max + " bytes (got " + n + ")");
    }
    return n;
  }

  /** A list of strings: a YAML list or a comma-separated string (as env vars give it). */
  public List<String> strings(String name) {
    Object v = root.getValue(name);
    List<String> out = new ArrayList<>();
    if (v == null) return out;
    if (v instanceof JsonArray a) {
      for (Object o : a) {
        if (o instanceof JsonObject || o instanceof JsonArray) {
          throw new ConfigException(key(name), "must be a list of plain values");
        }
        if (o != null && !o.toString().isBlank()) out.add(o.toString().trim());
      }
      return out;
    }
    if (v instanceof JsonObject) throw new ConfigException(key(name), "must be a list");
    for (String part : v.toString().split(",")) {
      if (!part.isBlank()) out.add(part.trim());
    }
    return out;
  }

  /** A list of sections (e.g. the seeded API clients). */
  public List<ConfigReader> sections(String name) {
    Object v = root.getValue(name);
    List<ConfigReader> out = new ArrayList<>();
    if (v == null) return out;
    if (!(v instanceof JsonArray a)) throw new ConfigException(key(name), "must be a list of sections");
    for (int i = 0; i < a.size(); i++) {
      if (!(a.getValue(i) instanceof JsonObject o)) {
        throw new ConfigException(key(name) + "[" + i + "]", "must be a section (a map of keys)");
      }
      out.add(new ConfigReader(o, key(name) + "[" + i + "]"));
    }
    return out;
  }

  public <E extends Enum<E>> E oneOf(String name, Class<E> type, E def) {
    String v = string(name, null);
    if (v == null || v.isBlank()) return def;
    for (E e : type.getEnumConstants()) {
      if (e.name().equalsIgnoreCase(v.trim())) return e;
    }
    List<String> names = new ArrayList<>();
    for (E e : type.getEnumConstants()) names.add(e.name().toLowerCase(Locale.ROOT));
    throw new ConfigException(key(name), "must be one of " + names + " (got \"" + v + "\")");
  }
}
