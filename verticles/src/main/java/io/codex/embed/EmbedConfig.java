package io.codex.embed;

import io.codex.config.ConfigException;
import io.codex.config.ConfigReader;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.ArrayList;
import java.util.EnumMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Locale;
import java.util.Map;
import java.util.Set;

/**
 * The {@code embed} section: Tableau Connected Apps and Looker signed-embedding keys, what may be
 * embedded, how callers map to BI users, and share links. Every key may be empty: the platform
 * starts, and the routes of an unconfigured product answer 503 naming the missing keys.
 *
 * <p>Secrets come from the config (env vars, in practice) or from files that
 * {@link #resolveSecretFiles} reads once at start; the records below never print them.
 */
public record EmbedConfig(Allowlist allowlist, Tableau tableau, Looker looker, Links links, Map<Role, RoleSettings> roles) {
  /** Tableau refuses a Connected Apps token valid for longer than this. */
  public static final Duration TABLEAU_MAX_TTL = Duration.ofMinutes(10);
  /** Looker's own limit on an embed session. */
  public static final Duration LOOKER_MAX_SESSION = Duration.ofDays(30);
  /** Roles that may embed (the route table's viewer and analyst columns, and admin). */
  public static final Set<Role> EMBEDDING_ROLES = Set.of(Role.ADMIN, Role.VIEWER, Role.ANALYST);
  /** JWT claims Tableau reads itself; a user attribute may not take one of these names. */
  static final Set<String> TABLEAU_RESERVED = Set.of("iss", "sub", "aud", "exp", "iat", "nbf", "jti", "scp", "kid", "alg", "typ");

  /** Maps a claim of the caller's verified token to a user attribute of the BI product. */
  public record AttributeMapping(String attribute, String claim) {}

  public record Tableau(String clientId, String secretId, String secretValue, String server, String site,
      List<String> scopes, ClaimTemplate user, List<AttributeMapping> userAttributes, Duration ttl) {
    /** The keys that must be set before tokens can be minted, as config key paths. */
    public List<String> missingKeys() {
      List<String> out = new ArrayList<>();
      if (clientId.isEmpty()) out.add("embed.tableau.clientId");
      if (secretId.isEmpty()) out.add("embed.tableau.secretId");
      if (secretValue.isEmpty()) out.add("embed.tableau.secretValue");
      if (server.isEmpty()) out.add("embed.tableau.server");
      if (!user.isSet()) out.add("embed.tableau.user");
      return out;
    }

    @Override
    public String toString() {
      return "Tableau[clientId=" + clientId + ", secretId=" + secretId + ", secretValue=" + (secretValue.isEmpty() ? "" : "***")
          + ", server=" + server + ", site=" + site + ", scopes=" + scopes + ", user=" + user + ", userAttributes="
          + userAttributes + ", ttl=" + ttl + "]";
    }
  }

  public record Looker(String host, String secret, ClaimTemplate externalUserId, ClaimTemplate firstName,
      ClaimTemplate lastName, ClaimTemplate externalGroupId, List<String> permissions, List<String> models,
      List<Long> groupIds, List<AttributeMapping> userAttributes, Duration sessionLength, Duration maxSessionLength) {
    public List<String> missingKeys() {
      List<String> out = new ArrayList<>();
      if (host.isEmpty()) out.add("embed.looker.host");
      if (secret.isEmpty()) out.add("embed.looker.secret");
      if (!externalUserId.isSet()) out.add("embed.looker.externalUserId");
      return out;
    }

    @Override
    public String toString() {
      return "Looker[host=" + host + ", secret=" + (secret.isEmpty() ? "" : "***") + ", externalUserId=" + externalUserId
          + ", permissions=" + permissions + ", models=" + models + ", groupIds=" + groupIds + ", userAttributes="
          + userAttributes + ", sessionLength=" + sessionLength + "]";
    }
  }

  /**
   * Share links: {@code secret} signs their URLs (empty: derived from the platform's HS256 token
   * key, which every node shares); {@code baseUrl} makes them absolute (empty: from the request).
   */
  public record Links(String secret, Duration defaultTtl, Duration maxTtl, String baseUrl) {
    @Override
    public String toString() {
      return "Links[secret=" + (secret.isEmpty() ? "" : "***") + ", defaultTtl=" + defaultTtl + ", maxTtl=" + maxTtl
          + ", baseUrl=" + baseUrl + "]";
    }
  }

  /** What one role adds or overrides: empty lists fall back to the product-wide settings. */
  public record RoleSettings(Allowlist allowlist, List<String> tableauScopes, List<String> lookerPermissions,
      List<String> lookerModels, List<Long> lookerGroupIds) {
    static final RoleSettings NONE = new RoleSettings(Allowlist.of("", List.of()), List.of(), List.of(), List.of(), List.of());
  }

  public static EmbedConfig from(JsonObject config) {
    ConfigReader e = ConfigReader.of(config).section("embed");
    Allowlist allowlist = Allowlist.of(e.key("allowlist"), e.strings("allowlist"));

    ConfigReader t = e.section("tableau");
    String server = t.string("server", "").trim();
    if (server.endsWith("/")) server = server.substring(0, server.length() - 1);
    if (!server.isEmpty() && !server.matches("https?://[A-Za-z0-9.-]+(:\\d{1,5})?")) {
      throw new ConfigException(t.key("server"), "must be the server's URL, scheme://host[:port] without a path (got \"" + server + "\")");
    }
    String site = t.string("site", "").trim();
    if (!site.matches("[A-Za-z0-9_-]*")) {
      throw new ConfigException(t.key("site"), "must be the site's content URL (letters, digits, _ and -), or empty for the default site");
    }
    List<String> scopes = scopes(t, "scopes", List.of("tableau:views:embed"));
    List<AttributeMapping> tableauAttributes = attributes(t, "userAttributes");
    for (AttributeMapping a : tableauAttributes) {
      if (TABLEAU_RESERVED.contains(a.attribute()) || a.attribute().startsWith("https://tableau.com/")) {
        throw new ConfigException(t.key("userAttributes"), "\"" + a.attribute() + "\" is a claim Tableau reserves; name the attribute otherwise");
      }
    }
    Duration ttl = t.duration("ttl", Duration.ofMinutes(5));
    if (ttl.isZero() || ttl.isNegative() || ttl.compareTo(TABLEAU_MAX_TTL) > 0) {
      throw new ConfigException(t.key("ttl"), "must be between 1s and 10m (Tableau refuses longer tokens)");
    }
    Tableau tableau = new Tableau(t.string("clientId", "").trim(), t.string("secretId", "").trim(),
        t.string("secretValue", "").trim(), server, site, scopes,
        ClaimTemplate.parse(t.key("user"), t.string("user", "{sub}")), tableauAttributes, ttl);

    ConfigReader l = e.section("looker");
    String host = l.string("host", "").trim().replaceFirst("^https://", "");
    if (host.endsWith("/")) host = host.substring(0, host.length() - 1);
    if (!host.isEmpty() && !host.matches("[A-Za-z0-9.-]+(:\\d{1,5})?")) {
      throw new ConfigException(l.key("host"), "must be the Looker host, host[:port] (got \"" + host + "\")");
    }
    Duration maxSession = l.duration("maxSessionLength", Duration.ofHours(1));
    if (maxSession.toSeconds() < 1 || maxSession.compareTo(LOOKER_MAX_SESSION) > 0) {
      throw new ConfigException(l.key("maxSessionLength"), "must be between 1s and 30d (Looker's limit)");
    }
    Duration session = l.duration("sessionLength", Duration.ofMinutes(10));
    if (session.toSeconds() < 1 || session.compareTo(maxSession) > 0) {
      throw new ConfigException(l.key("sessionLength"), "must be between 1s and embed.looker.maxSessionLength (" + maxSession + ")");
    }
    Looker looker = new Looker(host, l.string("secret", "").trim(),
        ClaimTemplate.parse(l.key("externalUserId"), l.string("externalUserId", "{sub}")),
        ClaimTemplate.parse(l.key("firstName"), l.string("firstName", "")),
        ClaimTemplate.parse(l.key("lastName"), l.string("lastName", "")),
        ClaimTemplate.parse(l.key("externalGroupId"), l.string("externalGroupId", "")),
        names(l, "permissions", List.of("access_data", "see_looks", "see_user_dashboards", "see_lookml_dashboards")),
        names(l, "models", List.of()), groupIds(l, "groupIds"), attributes(l, "userAttributes"), session, maxSession);

    ConfigReader k = e.section("links");
    String linkSecret = k.string("secret", "").trim();
    if (!linkSecret.isEmpty() && linkSecret.length() < 32) {
      throw new ConfigException(k.key("secret"), "must be at least 32 characters");
    }
    Duration maxLinkTtl = k.duration("maxTtl", Duration.ofDays(30));
    Duration linkTtl = k.duration("defaultTtl", Duration.ofHours(24));
    if (maxLinkTtl.toSeconds() < 1) throw new ConfigException(k.key("maxTtl"), "must be at least 1s");
    if (linkTtl.toSeconds() < 1 || linkTtl.compareTo(maxLinkTtl) > 0) {
      throw new ConfigException(k.key("defaultTtl"), "must be between 1s and embed.links.maxTtl (" + maxLinkTtl + ")");
    }
    String baseUrl = k.string("baseUrl", "").trim();
    if (baseUrl.endsWith("/")) baseUrl = baseUrl.substring(0, baseUrl.length() - 1);
    if (!baseUrl.isEmpty() && !baseUrl.matches("https?://[^\\s/?#]+(/[^\\s?#]*)?")) {
      throw new ConfigException(k.key("baseUrl"), "must be an http(s) URL such as https://codex.example.com (got \"" + baseUrl + "\")");
    }
    Links links = new Links(linkSecret, linkTtl, maxLinkTtl, baseUrl);

    Map<Role, RoleSettings> roles = new EnumMap<>(Role.class);
    ConfigReader rs = e.section("roles");
    for (String name : rs.json().fieldNames()) {
      Role role = io.codex.security.Role.fromClaim(name).filter(EMBEDDING_ROLES::contains).orElseThrow(() ->
          new ConfigException(rs.key(name), "is not a role that may embed (admin, viewer, analyst)"));
      ConfigReader r = rs.section(name);
      roles.put(role, new RoleSettings(Allowlist.of(r.key("allowlist"), r.strings("allowlist")),
          scopes(r.section("tableau"), "scopes", List.of()),
          names(r.section("looker"), "permissions", List.of()),
          names(r.section("looker"), "models", List.of()),
          groupIds(r.section("looker"), "groupIds")));
    }
    return new EmbedConfig(allowlist, tableau, looker, links, roles);
  }

  /** The settings of a role, empty when the conf file has none for it. */
  public RoleSettings role(Role role) {
    return roles.getOrDefault(role, RoleSettings.NONE);
  }

  /** The claims that share links must keep from their creator's token to embed as the creator later. */
  public Set<String> referencedClaims() {
    Set<String> out = new LinkedHashSet<>();
    out.addAll(tableau.user().claims());
    tableau.userAttributes().forEach(a -> out.add(a.claim()));
    for (ClaimTemplate c : List.of(looker.externalUserId(), looker.firstName(), looker.lastName(), looker.externalGroupId())) {
      out.addAll(c.claims());
    }
    looker.userAttributes().forEach(a -> out.add(a.claim()));
    return out;
  }

  /**
   * Reads the secret files named by {@code embed.tableau.secretValueFile},
   * {@code embed.looker.secretFile} and {@code embed.links.secretFile} into their keys, unless those
   * are set already (an env var wins over a file). Called once by the launcher, before verticles
   * start, so that no verticle reads a file.
   */
  public static void resolveSecretFiles(JsonObject config) {
    JsonObject embed = config.getJsonObject("embed");
    if (embed == null) return;
    ConfigReader.secretFromFile(embed, "embed", "tableau", "secretValue", "secretValueFile");
    ConfigReader.secretFromFile(embed, "embed", "looker", "secret", "secretFile");
    ConfigReader.secretFromFile(embed, "embed", "links", "secret", "secretFile");
  }


  /** {@code embed.tableau.clientId} to {@code CODEX_EMBED_TABLEAU_CLIENT_ID} (the launcher's env rule). */
  static String envName(String key) {
    StringBuilder b = new StringBuilder("CODEX");
    for (String seg : key.split("\\.")) {
      b.append('_');
      for (int i = 0; i < seg.length(); i++) {
        char c = seg.charAt(i);
        if (Character.isUpperCase(c) && i > 0 && !Character.isUpperCase(seg.charAt(i - 1))) b.append('_');
        b.append(Character.toUpperCase(c));
      }
    }
    return b.toString();
  }

  private static List<String> scopes(ConfigReader r, String name, List<String> def) {
    if (!r.has(name)) return def;
    List<String> out = r.strings(name);
    for (String s : out) {
      if (!s.matches("[A-Za-z0-9_.:*-]{1,128}")) {
        throw new ConfigException(r.key(name), "\"" + s + "\" is not a Tableau scope such as tableau:views:embed");
      }
    }
    return out.isEmpty() ? def : List.copyOf(new LinkedHashSet<>(out));
  }

  private static List<String> names(ConfigReader r, String name, List<String> def) {
    if (!r.has(name)) return def;
    List<String> out = r.strings(name);
    for (String s : out) {
      if (!s.matches("[A-Za-z0-9_.:-]{1,128}")) throw new ConfigException(r.key(name), "\"" + s + "\" is not a valid name");
    }
    return out.isEmpty() ? def : List.copyOf(new LinkedHashSet<>(out));
  }

  private static List<Long> groupIds(ConfigReader r, String name) {
    List<Long> out = new ArrayList<>();
    for (String s : r.strings(name)) {
      try {
        out.add(Long.parseLong(s));
      } catch (NumberFormatException ex) {
        throw new ConfigException(r.key(name), "must be Looker group ids (numbers), got \"" + s + "\"");
      }
    }
    return List.copyOf(out);
  }

  /** A map {@code {attribute: claim}} in the conf file, or a list {@code attribute=claim} (env vars). */
  private static List<AttributeMapping> attributes(ConfigReader r, String name) {
    List<AttributeMapping> out = new ArrayList<>();
    Object v = r.json().getValue(name);
    if (v instanceof JsonObject o) {
      for (String attr : o.fieldNames()) {
        Object claim = o.getValue(attr);
        if (!(claim instanceof String c) || c.isBlank()) {
          throw new ConfigException(r.key(name) + "." + attr, "must name a claim of the caller's token");
        }
        out.add(mapping(r.key(name), attr, c));
      }
    } else if (v == null || v instanceof JsonArray || v instanceof String) {
      for (String entry : r.strings(name)) {
        int eq = entry.indexOf('=');
        if (eq <= 0 || eq == entry.length() - 1) {
          throw new ConfigException(r.key(name), "entries are attribute=claim (got \"" + entry + "\")");
        }
        out.add(mapping(r.key(name), entry.substring(0, eq), entry.substring(eq + 1)));
      }
    } else {
      throw new ConfigException(r.key(name), "must be a map of attribute: claim, or a list of attribute=claim");
    }
    Set<String> seen = new LinkedHashSet<>();
    for (AttributeMapping a : out) {
      if (!seen.add(a.attribute().toLowerCase(Locale.ROOT))) {
        throw new ConfigException(r.key(name), "maps the attribute \"" + a.attribute() + "\" twice");
      }
    }
    return List.copyOf(out);
  }

  private static AttributeMapping mapping(String key, String attribute, String claim) {
    String a = attribute.trim();
    String c = claim.trim();
    if (!a.matches("[A-Za-z0-9_.:/-]{1,128}")) throw new ConfigException(key, "\"" + a + "\" is not a valid attribute name");
    if (c.isEmpty()) throw new ConfigException(key, "the attribute \"" + a + "\" names no claim");
    return new AttributeMapping(a, c);
  }
}
