package io.codex.api;

import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.util.List;

/** The {@code http} section: where the API listens, body limits, CORS for BI portals. */
public record ApiConfig(String host, int port, int instances, long maxBodyBytes, List<String> corsOrigins, boolean accessLog) {
  public static ApiConfig from(JsonObject config) {
    ConfigReader h = ConfigReader.of(config).section("http");
    List<String> origins = h.section("cors").strings("origins");
    for (String o : origins) {
      if (!o.equals("*") && !o.matches("https?://[^/\\s]+")) {
        throw new io.codex.config.ConfigException(h.section("cors").key("origins"),
            "each origin must be scheme://host[:port] or * (got \"" + o + "\")");
      }
    }
    return new ApiConfig(
        h.string("host", "0.0.0.0"),
        h.integer("port", 8080, 0, 65535),
        h.integer("instances", 2, 1, 64),
        h.bytes("maxBodySize", 1 << 20, 1024, 64L << 20),
        origins,
        h.bool("accessLog", false));
  }
}
