package io.codex;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.codex.launcher.AuthBootstrap;
import io.codex.security.AuthSettings;
import io.codex.security.Role;
import io.codex.security.TokenService;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.nio.file.Path;
import java.time.Duration;
import java.util.EnumSet;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.Callable;
import picocli.CommandLine.Command;
import picocli.CommandLine.Option;

/** {@code codex token}: prints a JWT signed with the same key as {@code run}. */
@Command(name = "token", mixinStandardHelpOptions = true,
    description = "Print a JWT for a role, signed with the same key as `run` (sub = cli-<role> or the device id).")
final class TokenCommand implements Callable<Integer> {
  @Option(names = "--role", required = true, description = "admin, viewer, analyst, device or gateway")
  String role;

  @Option(names = "--device", description = "the device id (role device/gateway): the token's subject")
  String device;

  @Option(names = "--devices", split = ",", description = "narrow the token to these device ids (comma-separated)")
  List<String> devices;

  @Option(names = "--ttl", defaultValue = "1h", description = "lifetime, e.g. 15m, 1h (default ${DEFAULT-VALUE})")
  String ttl;

  @Option(names = "--data-dir", description = "data dir of the node whose key signs (default from config)")
  Path dataDir;

  @Option(names = "--config", description = "config file (default conf/config.yaml when present)")
  Path config;

  @Override
  public Integer call() {
    Role r = Role.fromClaim(role).orElse(null);
    if (r == null) {
      System.err.println("codex token: unknown role \"" + role + "\" (admin, viewer, analyst, device, gateway)");
      return 2;
    }
    if ((r == Role.DEVICE || r == Role.GATEWAY) && device == null) {
      System.err.println("codex token: --device ID is required for role " + role);
      return 2;
    }
    Map<String, Object> flags = new HashMap<>();
    if (dataDir != null) flags.put("dataDir", dataDir.toString());
    Vertx vertx = null;
    try {
      JsonObject cfg = Cli.loadConfig(config, flags);
      Duration lifetime = ConfigReader.parseDuration("--ttl", ttl);
      AuthBootstrap.resolve(cfg, Path.of(ConfigReader.of(cfg).string("dataDir", "./data")), false);
      AuthSettings auth = AuthSettings.from(cfg);
      if (lifetime.compareTo(auth.maxTokenTtl()) > 0) {
        throw new ConfigException("--ttl", "must not exceed auth.jwt.maxTokenTtl (" + auth.maxTokenTtl() + ")");
      }
      vertx = Vertx.vertx();
      TokenService tokens = TokenService.create(vertx, auth);
      String subject = device != null ? device : "cli-" + r.claim();
      List<String> narrowed = devices != null ? devices : (device != null ? List.of(device) : null);
      System.out.println(tokens.issue(subject, EnumSet.of(r), narrowed, lifetime));
      return 0;
    } catch (ConfigException e) {
      return Cli.badConfig(e);
    } finally {
      if (vertx != null) vertx.close();
    }
  }
}
