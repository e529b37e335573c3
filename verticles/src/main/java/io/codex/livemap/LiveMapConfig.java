package io.codex.livemap;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.vertx.core.json.JsonObject;
import java.time.Duration;

/**
 * The {@code livemap} section: how often positions are flushed to map clients, how far behind a
 * client may fall before it is dropped, keep-alive, and the map page's base map.
 *
 * @param flushInterval   positions are coalesced (latest per device) and sent at most this often
 * @param maxQueuedBytes  per client: bytes written but not yet taken by the network before the
 *                        client counts as slow and gets only the newest state
 * @param stallTimeout    a client that stays slow this long is closed (4008 "too slow")
 * @param pingInterval    WebSocket ping to every client this often
 * @param idleTimeout     a client from which nothing (not even a pong) arrived this long is closed
 * @param authTimeout     a client that authenticates with its first message must send it within this
 * @param maxClients      per node; more are refused with 503 before the upgrade
 * @param instances       live map verticle instances (each with its own clients and flush timer)
 * @param mapboxToken     a public Mapbox token (pk.…): the page then uses {@code mapboxStyle}
 * @param mapboxStyle     the Mapbox style URL used with a token
 */
public record LiveMapConfig(
    Duration flushInterval,
    long maxQueuedBytes,
    Duration stallTimeout,
    Duration pingInterval,
    Duration idleTimeout,
    Duration authTimeout,
    int maxClients,
    int instances,
    String mapboxToken,
    String mapboxStyle) {

  public static LiveMapConfig from(JsonObject config) {
    ConfigReader m = ConfigReader.of(config).section("livemap");
    Duration flush = m.duration("flushInterval", Duration.ofMillis(200));
    if (flush.toMillis() < 100 || flush.toMillis() > 250) {
      throw new ConfigException(m.key("flushInterval"), "must be between 100ms and 250ms (got " + flush.toMillis() + "ms)");
    }
    Duration stall = atLeast(m, "stallTimeout", Duration.ofSeconds(10), Duration.ofMillis(500));
    Duration ping = atLeast(m, "pingInterval", Duration.ofSeconds(20), Duration.ofSeconds(1));
    Duration idle = atLeast(m, "idleTimeout", Duration.ofSeconds(60), Duration.ofSeconds(2));
    if (idle.compareTo(ping) <= 0) {
      throw new ConfigException(m.key("idleTimeout"), "must be longer than livemap.pingInterval (" + ping.toMillis() + "ms)");
    }
    String token = m.string("mapboxToken", "").trim();
    if (!token.isEmpty() && !token.startsWith("pk.")) {
      // the page hands the token to every browser: only a public token belongs there
      throw new ConfigException(m.key("mapboxToken"), "must be a public Mapbox token (pk.…); the map page shows it to every browser");
    }
    return new LiveMapConfig(
        flush,
        m.bytes("maxQueuedBytes", 1L << 20, 16 << 10, 256L << 20),
        stall,
        ping,
        idle,
        atLeast(m, "authTimeout", Duration.ofSeconds(10), Duration.ofMillis(100)),
        m.integer("maxClients", 10_000, 1, 1_000_000),
        m.integer("instances", 1, 1, 64),
        token,
        m.string("mapboxStyle", "mapbox://styles/mapbox/dark-v10"));
  }

  private static Duration atLeast(ConfigReader m, String key, Duration def, Duration min) {
    Duration d = m.duration(key, def);
    if (d.compareTo(min) < 0) throw new ConfigException(m.key(key), "must be at least " + min.toMillis() + "ms");
    return d;
  }
}
