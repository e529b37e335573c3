package io.codex.embed;

import io.codex.api.Problem;
import io.codex.security.Caller;
import io.codex.security.Role;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * Turns "this caller wants to embed that view" into a Tableau token or a Looker URL: checks that
 * the product is configured (else 503 naming the missing keys), that the view is allow-listed for
 * the caller's roles (else 403), and maps the caller to the BI user and its row-level-security
 * attributes from the claims of the caller's verified token only (a claim it lacks: 403).
 * Shared by the API routes and the share-link page; thread-safe.
 */
public final class Embedder {
  /** Looker accepts a signed URL this long after its {@code time}. */
  public static final long LOOKER_URL_VALIDITY_SECONDS = 300;
  private static final Pattern LOOKER_TARGET =
      Pattern.compile("/?(?:embed/)?([A-Za-z0-9_][A-Za-z0-9_:.\\-/]*)(\\?[A-Za-z0-9_.~:,;%+=&()*!@'/\\-]*)?");

  /** A Tableau token and what the caller needs to show it. */
  public record TableauEmbed(String view, String user, List<String> scopes, Set<String> attributes,
      TableauTokens.Token token, String src, String snippet) {}

  /** A Looker signed URL and what went into it. */
  public record LookerEmbed(String target, String externalUserId, List<String> permissions, List<String> models,
      long sessionLengthSeconds, Instant expiresAt, String url) {}

  private final EmbedConfig cfg;
  private final Clock clock;
  private final TableauTokens tableau;
  private final LookerUrls looker;

  public Embedder(EmbedConfig cfg, Clock clock) {
    this.cfg = cfg;
    this.clock = clock;
    EmbedConfig.Tableau t = cfg.tableau();
    this.tableau = t.missingKeys().isEmpty() ? new TableauTokens(t.clientId(), t.secretId(), t.secretValue(), clock) : null;
    EmbedConfig.Looker l = cfg.looker();
    this.looker = l.missingKeys().isEmpty() ? new LookerUrls(l.host(), l.secret()) : null;
  }

  public EmbedConfig config() {
    return cfg;
  }

  /** 503 naming the keys a product still needs; nothing when it is configured. */
  public void requireConfigured(Kind kind) {
    List<String> missing = kind == Kind.TABLEAU ? cfg.tableau().missingKeys() : cfg.looker().missingKeys();
    if (missing.isEmpty()) return;
    List<String> named = new ArrayList<>();
    for (String key : missing) {
      String alt = switch (key) {
        case "embed.tableau.secretValue" -> ", or embed.tableau.secretValueFile";
        case "embed.looker.secret" -> ", or embed.looker.secretFile";
        default -> "";
      };
      named.add(key + " (env " + EmbedConfig.envName(key) + alt + ")");
    }
    throw new Problem(503, "Service Unavailable", (kind == Kind.TABLEAU ? "Tableau" : "Looker")
        + " embedding is not configured on this node; missing: " + String.join(", ", named) + ".");
  }

  /** A Tableau view name, {@code Workbook/View}; 400 naming {@code field} otherwise. */
  public static String tableauView(String field, Object value) {
    if (value instanceof String s) {
      String[] parts = s.split("/", -1);
      if (s.length() <= 256 && parts.length == 2 && validSegment(parts[0]) && validSegment(parts[1])) return s;
    }
    throw Problem.badRequest("The view is not valid.")
        .withError(field, "must be a Tableau view as Workbook/View (the part of its URL after /views/)");
  }

  private static boolean validSegment(String s) {
    if (s.isEmpty() || s.length() > 128 || s.equals(".") || s.equals("..") || !s.strip().equals(s)) return false;
    for (int i = 0; i < s.length(); i++) {
      char c = s.charAt(i);
      if (Character.isISOControl(c) || "?#%\\\"'<>`".indexOf(c) >= 0) return false;
    }
    return true;
  }

  /**
   * A Looker target, normalised to its embed path ({@code dashboards/42} or
   * {@code /embed/dashboards/42?Date=7+days} → {@code /embed/dashboards/42…}); 400 otherwise.
   */
  public static String lookerTarget(String field, Object value) {
    if (value instanceof String s && s.length() <= 1024) {
      Matcher m = LOOKER_TARGET.matcher(s);
      String path = m.matches() ? "/" + m.group(1) + "/" : null;
      if (path != null && !path.contains("/../") && !path.contains("/./") && !path.contains("//")) {
        return "/embed/" + m.group(1) + (m.group(2) == null ? "" : m.group(2));
      }
    }
    throw Problem.badRequest("The target is not valid.")
        .withError(field, "must be a Looker embed target such as dashboards/42, looks/7 or explore/model/view");
  }

  /** The name of a Looker target that the allowlist matches: its path after /embed/, without the query. */
  public static String lookerName(String embedPath) {
    String p = embedPath.substring("/embed/".length());
    int q = p.indexOf('?');
    return q < 0 ? p : p.substring(0, q);
  }

  /** 403 unless one of the caller's roles may embed this view (embed.allowlist plus the role's own list). */
  public void requireAllowed(Caller caller, Kind kind, String name) {
    if (cfg.allowlist().allows(kind, name)) return;
    for (Role r : caller.roles()) {
      if (EmbedConfig.EMBEDDING_ROLES.contains(r) && cfg.role(r).allowlist().allows(kind, name)) return;
    }
    throw Problem.forbidden("\"" + name + "\" is not in the embed allowlist for your roles (embed.allowlist, embed.roles.<role>.allowlist).");
  }

  /** A Tableau token for the caller. {@code ttlSeconds} null: the configured default; capped to 10 minutes. */
  public TableauEmbed tableau(Caller caller, String view, Long ttlSeconds) {
    requireConfigured(Kind.TABLEAU);
    requireAllowed(caller, Kind.TABLEAU, view);
    EmbedConfig.Tableau t = cfg.tableau();
    String user = t.user().render(caller.claims(), "the Tableau user (embed.tableau.user)");
    Map<String, Object> attributes = new LinkedHashMap<>();
    for (EmbedConfig.AttributeMapping a : t.userAttributes()) {
      attributes.put(a.attribute(), ClaimValues.singleOrList(caller.claims(), a.claim(), "the Tableau user attribute " + a.attribute()));
    }
    List<String> scopes = tableauScopes(caller);
    TableauTokens.Token token = tableau.mint(user, scopes, attributes, ttlSeconds == null ? t.ttl().toSeconds() : ttlSeconds);
    String src = tableauSrc(view);
    return new TableauEmbed(view, user, scopes, attributes.keySet(), token, src, snippet(src, token.jwt()));
  }

  /** The checks of {@link #tableau} without minting: for share links, at creation. */
  public void checkTableau(Caller caller, String view) {
    requireConfigured(Kind.TABLEAU);
    requireAllowed(caller, Kind.TABLEAU, view);
    cfg.tableau().user().render(caller.claims(), "the Tableau user (embed.tableau.user)");
    for (EmbedConfig.AttributeMapping a : cfg.tableau().userAttributes()) {
      ClaimValues.singleOrList(caller.claims(), a.claim(), "the Tableau user attribute " + a.attribute());
    }
  }

  List<String> tableauScopes(Caller caller) {
    Set<String> out = new LinkedHashSet<>();
    for (Role r : caller.roles()) {
      if (EmbedConfig.EMBEDDING_ROLES.contains(r)) out.addAll(cfg.role(r).tableauScopes());
    }
    return out.isEmpty() ? cfg.tableau().scopes() : List.copyOf(out);
  }

  /** The viz URL on the configured server: {@code https://server[/t/site]/views/Workbook/View}. */
  public String tableauSrc(String view) {
    EmbedConfig.Tableau t = cfg.tableau();
    int slash = view.indexOf('/');
    return t.server() + (t.site().isEmpty() ? "" : "/t/" + t.site()) + "/views/"
        + Html.pathSegment(view.substring(0, slash)) + "/" + Html.pathSegment(view.substring(slash + 1));
  }

  /** Ready-to-paste HTML: the Embedding API v3 module and a {@code <tableau-viz>} with the token. */
  public String snippet(String src, String token) {
    return "<script type=\"module\" src=\"" + Html.escape(cfg.tableau().server() + "/javascripts/api/tableau.embedding.3.latest.min.js")
        + "\"></script>\n<tableau-viz id=\"tableau-viz\" src=\"" + Html.escape(src) + "\" token=\"" + Html.escape(token)
        + "\" toolbar=\"bottom\"></tableau-viz>";
  }

  /** A Looker URL for the caller. {@code sessionSeconds} null: the configured default; capped to the configured maximum. */
  public LookerEmbed looker(Caller caller, String target, Long sessionSeconds) {
    LookerUrls.Grant g = lookerGrant(caller, target, sessionSeconds);
    long time = clock.instant().getEpochSecond();
    String url = looker.sign(g, time, LookerUrls.newNonce());
    return new LookerEmbed(target, g.externalUserId(), g.permissions(), g.models(), g.sessionLengthSeconds(),
        Instant.ofEpochSecond(time + LOOKER_URL_VALIDITY_SECONDS), url);
  }

  LookerUrls.Grant lookerGrant(Caller caller, String target, Long sessionSeconds) {
    requireConfigured(Kind.LOOKER);
    requireAllowed(caller, Kind.LOOKER, lookerName(target));
    EmbedConfig.Looker l = cfg.looker();
    Set<String> permissions = new LinkedHashSet<>();
    Set<String> models = new LinkedHashSet<>();
    Set<Long> groups = new LinkedHashSet<>();
    for (Role r : caller.roles()) {
      if (!EmbedConfig.EMBEDDING_ROLES.contains(r)) continue;
      EmbedConfig.RoleSettings rs = cfg.role(r);
      permissions.addAll(rs.lookerPermissions().isEmpty() ? l.permissions() : rs.lookerPermissions());
      models.addAll(rs.lookerModels().isEmpty() ? l.models() : rs.lookerModels());
      groups.addAll(rs.lookerGroupIds().isEmpty() ? l.groupIds() : rs.lookerGroupIds());
    }
    if (groups.isEmpty() && (models.isEmpty() || permissions.isEmpty())) {
      throw new Problem(503, "Service Unavailable", "Looker embedding has no models (or group ids) for your roles; missing: "
          + "embed.looker.models (env " + EmbedConfig.envName("embed.looker.models") + ") or embed.roles.<role>.looker.models.");
    }
    Map<String, String> attributes = new LinkedHashMap<>();
    for (EmbedConfig.AttributeMapping a : l.userAttributes()) {
      Object v = ClaimValues.singleOrList(caller.claims(), a.claim(), "the Looker user attribute " + a.attribute());
      attributes.put(a.attribute(), v instanceof List<?> list ? String.join(",", list.stream().map(String::valueOf).toList()) : (String) v);
    }
    long max = l.maxSessionLength().toSeconds();
    long session = Math.max(1, Math.min(max, sessionSeconds == null ? l.sessionLength().toSeconds() : sessionSeconds));
    return new LookerUrls.Grant(target, session,
        l.externalUserId().render(caller.claims(), "the Looker user (embed.looker.externalUserId)"),
        List.copyOf(permissions), List.copyOf(models), List.copyOf(groups),
        l.externalGroupId().isSet() ? l.externalGroupId().render(caller.claims(), "the Looker group (embed.looker.externalGroupId)") : null,
        attributes,
        l.firstName().isSet() ? l.firstName().render(caller.claims(), "the Looker first name") : null,
        l.lastName().isSet() ? l.lastName().render(caller.claims(), "the Looker last name") : null,
        true);
  }

  /** The checks of {@link #looker} without signing: for share links, at creation. */
  public void checkLooker(Caller caller, String target) {
    lookerGrant(caller, target, null);
  }
}
