package io.codex.launcher;

import io.codex.config.ConfigException;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.io.InputStream;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.yaml.snakeyaml.LoaderOptions;
import org.yaml.snakeyaml.Yaml;
import org.yaml.snakeyaml.constructor.SafeConstructor;

/**
 * Layers the configuration: the defaults shipped in the jar &lt; the conf file &lt; env vars
 * ({@code CODEX_*}) &lt; system properties ({@code -Dcodex.*}) &lt; command-line flags. Every key of
 * the defaults has an env var named by {@link #envName}.
 */
public final class ConfigLoader {
  public static final String DEFAULTS = "codex-defaults/config.yaml";

  private ConfigLoader() {}

  /** The result: the merged tree, and the env vars that matched no key (likely typos). */
  public record Loaded(JsonObject config, List<String> unknownEnv) {}

  public static Loaded load(Path confFile, Map<String, String> env, Properties sys, Map<String, Object> flags) {
    JsonObject cfg = defaults();
    if (confFile != null) {
      if (!Files.isRegularFile(confFile)) throw new ConfigException("config", "file not found: " + confFile);
      deepMerge(cfg, readYaml(confFile));
    }
    List<String> paths = new ArrayList<>();
    leafPaths(cfg, "", paths);
    Map<String, String> known = new LinkedHashMap<>();
    for (String p : paths) known.put(envName(p), p);
    List<String> unknown = new ArrayList<>();
    for (var e : env.entrySet()) {
      if (!e.getKey().startsWith("CODEX_")) continue;
      String path = known.get(e.getKey());
      if (path == null) {
        unknown.add(e.getKey());
      } else {
        put(cfg, path, e.getValue());
      }
    }
    for (String name : sys.stringPropertyNames()) {
      if (name.startsWith("codex.") && name.length() > 6) put(cfg, name.substring(6), sys.getProperty(name));
    }
    flags.forEach((path, value) -> {
      if (value != null) put(cfg, path, value);
    });
    return new Loaded(cfg, unknown);
  }

  /** {@code kafka.embedded.port} to {@code CODEX_KAFKA_EMBEDDED_PORT}. */
  public static String envName(String path) {
    StringBuilder b = new StringBuilder("CODEX");
    for (String seg : path.split("\\.")) {
      b.append('_');
      for (int i = 0; i < seg.length(); i++) {
        char c = seg.charAt(i);
        if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(seg.charAt(i - 1))) b.append('_');
        b.append(c == '-' ? '_' : Character.toUpperCase(c));
      }
    }
    return b.toString();
  }

  public static JsonObject defaults() {
    try (InputStream in = ConfigLoader.class.getClassLoader().getResourceAsStream(DEFAULTS)) {
      if (in == null) throw new IllegalStateException(DEFAULTS + " is missing from the jar");
      return toJson(new Yaml(new SafeConstructor(new LoaderOptions())).load(in), DEFAULTS);
    } catch (IOException e) {
      throw new IllegalStateException("cannot read " + DEFAULTS, e);
    }
  }

  static JsonObject readYaml(Path file) {
    try (InputStream in = Files.newInputStream(file)) {
      return toJson(new Yaml(new SafeConstructor(new LoaderOptions())).load(in), file.toString());
    } catch (IOException e) {
      throw new ConfigException("config", "cannot read " + file + ": " + e.getMessage());
    } catch (RuntimeException e) {
      throw new ConfigException("config", "not valid YAML in " + file + ": " + e.getMessage());
    }
  }

  @SuppressWarnings("unchecked")
  private static JsonObject toJson(Object yaml, String source) {
    if (yaml == null) return new JsonObject();
    if (!(yaml instanceof Map)) throw new ConfigException("config", source + " must be a map of sections");
    return new JsonObject((Map<String, Object>) yaml).copy();
  }

  private static void leafPaths(JsonObject o, String prefix, List<String> out) {
    for (String k : o.fieldNames()) {
      Object v = o.getValue(k);
      String p = prefix.isEmpty() ? k : prefix + "." + k;
      if (v instanceof JsonObject child) {
        leafPaths(child, p, out);
      } else if (!(v instanceof JsonArray a) || a.isEmpty() || !(a.getValue(0) instanceof JsonObject)) {
        out.add(p); // lists of sections (auth.clients) are set in the file only
      }
    }
  }

  private static void put(JsonObject root, String path, Object value) {
    String[] segs = path.split("\\.");
    JsonObject o = root;
    for (int i = 0; i < segs.length - 1; i++) {
      Object next = o.getValue(segs[i]);
      if (!(next instanceof JsonObject)) {
        next = new JsonObject();
        o.put(segs[i], next);
      }
      o = (JsonObject) next;
    }
    o.put(segs[segs.length - 1], value);
  }

  static void deepMerge(JsonObject base, JsonObject over) {
    for (String k : over.fieldNames()) {
      Object v = over.getValue(k);
      if (v instanceof JsonObject ov && base.getValue(k) instanceof JsonObject bv) {
        deepMerge(bv, ov);
      } else {
        base.put(k, v);
      }
    }
  }

  /** A copy safe to log: values of keys that hold secrets are masked. */
  public static JsonObject redacted(JsonObject cfg) {
    JsonObject copy = cfg.copy();
    redact(copy);
    return copy;
  }

  private static void redact(Object node) {
    if (node instanceof JsonObject o) {
      for (String k : List.copyOf(o.fieldNames())) {
        Object v = o.getValue(k);
        String lk = k.toLowerCase();
        boolean secret = (lk.contains("secret") || lk.contains("password") || lk.equals("material")
            || lk.endsWith("token") || lk.endsWith("apikey")) && !lk.endsWith("file") && !lk.endsWith("ttl");
        if (secret && v instanceof String s && !s.isEmpty()) {
          o.put(k, "***");
        } else {
          redact(v);
        }
      }
    } else if (node instanceof JsonArray a) {
      a.forEach(ConfigLoader::redact);
    }
  }
}
