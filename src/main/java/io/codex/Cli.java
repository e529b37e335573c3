package io.codex;

import io.codex.config.ConfigException;
import io.codex.launcher.ConfigLoader;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Map;

/** What the commands share: loading the layered configuration with their flags on top. */
final class Cli {
  /** Exit code for a configuration the operator must fix. */
  static final int BAD_CONFIG = 2;

  private Cli() {}

  static JsonObject loadConfig(Path configFile, Map<String, Object> flags) {
    Path file = configFile;
    if (file == null && System.getenv("CODEX_CONFIG") != null) file = Path.of(System.getenv("CODEX_CONFIG"));
    if (file == null && Files.isRegularFile(Path.of("conf", "config.yaml"))) file = Path.of("conf", "config.yaml");
    ConfigLoader.Loaded loaded = ConfigLoader.load(file, System.getenv(), System.getProperties(), flags);
    for (String unknown : loaded.unknownEnv()) {
      // the two read before any configuration: where it is, and how to log
      if (!unknown.equals("CODEX_CONFIG") && !unknown.equals("CODEX_LOG_FORMAT")) System.err.println("codex: warning: " + unknown + " matches no configuration key; ignored");
    }
    return loaded.config();
  }

  static int badConfig(ConfigException e) {
    System.err.println("codex: invalid configuration: " + e.getMessage());
    return BAD_CONFIG;
  }
}
