package io.codex.embed;

import io.codex.api.ApiRoutes;
import io.codex.api.Json;
import io.codex.api.Problem;
import io.codex.api.Problems;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.SharedProducer;
import io.codex.bridge.Topic;
import io.codex.security.Access;
import io.codex.security.AuditLog;
import io.codex.security.AuthSettings;
import io.codex.security.Authenticator;
import io.codex.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import io.vertx.ext.web.RoutingContext;
import java.time.Clock;
import java.time.Instant;
import java.util.ArrayList;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.Optional;
import java.util.Set;

/**
 * The embedding API. Tokens and URLs for the signed-in caller ({@code POST /api/v1/embed/tableau},
 * {@code /looker}: viewer, analyst, admin); share links, which publish a dashboard to whoever holds
 * the URL and are therefore managed by admins ({@code /api/v1/embed/links}); and the public page
 * of a share link ({@code GET /embed/l/{linkId}}, the signed URL being the credential).
 *
 * <p>Every token or URL handed out is first recorded in {@code codex.audit} (who, what, for which
 * BI user; never the token, URL signature or a secret): when Kafka does not take the record, no
 * token is handed out (503).
 */
public final class EmbedRoutes {
  private static final long BODY_LIMIT = 16 * 1024;
  private static final Set<String> TABLEAU_FIELDS = Set.of("view", "ttlSeconds");
  private static final Set<String> LOOKER_FIELDS = Set.of("target", "sessionLengthSeconds");
  private static final Set<String> LINK_FIELDS = Set.of("kind", "view", "ttlSeconds");

  private final Vertx vertx;
  private final Embedder embedder;
  private final Optional<LinkSigner> signer;
  private final EmbedLinkRegistry links;
  private final SharedProducer producer;
  private final AuditLog audit;
  private final String topic;
  private final Clock clock;

  public EmbedRoutes(Vertx vertx, EmbedConfig cfg, AuthSettings auth, SharedProducer producer, KafkaSettings kafka, AuditLog audit) {
    this.vertx = vertx;
    this.clock = Clock.systemUTC();
    this.embedder = new Embedder(cfg, clock);
    this.signer = LinkSigner.of(cfg.links(), auth);
    this.links = EmbedLinkRegistry.shared(vertx);
    this.producer = producer;
    this.audit = audit;
    this.topic = kafka.topic(Topic.EMBED_LINKS);
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.POST, "/api/v1/embed/tableau", Access.VIEWER, BODY_LIMIT, this::tableau);
    routes.add(HttpMethod.POST, "/api/v1/embed/looker", Access.VIEWER, BODY_LIMIT, this::looker);
    routes.add(HttpMethod.POST, "/api/v1/embed/links", Access.ADMIN, BODY_LIMIT, this::createLink);
    routes.add(HttpMethod.GET, "/api/v1/embed/links", Access.ADMIN, this::listLinks);
    routes.add(HttpMethod.DELETE, "/api/v1/embed/links/{linkId}", Access.ADMIN, this::revokeLink);
    routes.add(HttpMethod.GET, "/embed/l/{linkId}", Access.PUBLIC, this::openLink);
  }

  // ---- tokens for the caller ----

  private void tableau(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    embedder.requireConfigured(Kind.TABLEAU);
    JsonObject body = body(ctx, TABLEAU_FIELDS);
    String view = Embedder.tableauView("view", body.getValue("view"));
    Long ttl = seconds(body, "ttlSeconds");
    Embedder.TableauEmbed e = denialsAudited(caller.subject(), "embed.tableau.token", view, () -> embedder.tableau(caller, view, ttl));
    auditThenSend(ctx, audit.recordOrFail(caller.subject(), "embed.tableau.token", view, "ok", tableauDetails(e)), tableauJson(e));
  }

  private void looker(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    embedder.requireConfigured(Kind.LOOKER);
    JsonObject body = body(ctx, LOOKER_FIELDS);
    String target = Embedder.lookerTarget("target", body.getValue("target"));
    Long session = seconds(body, "sessionLengthSeconds");
    Embedder.LookerEmbed e = denialsAudited(caller.subject(), "embed.looker.url", target, () -> embedder.looker(caller, target, session));
    auditThenSend(ctx, audit.recordOrFail(caller.subject(), "embed.looker.url", target, "ok", lookerDetails(e)), lookerJson(e));
  }

  private static JsonObject tableauJson(Embedder.TableauEmbed e) {
    return new JsonObject().put("token", e.token().jwt()).put("expiresAt", e.token().expiresAt().toString())
        .put("src", e.src()).put("snippet", e.snippet());
  }

  private static JsonObject lookerJson(Embedder.LookerEmbed e) {
    return new JsonObject().put("url", e.url()).put("expiresAt", e.expiresAt().toString())
        .put("sessionLengthSeconds", e.sessionLengthSeconds());
  }

  private static JsonObject tableauDetails(Embedder.TableauEmbed e) {
    return new JsonObject().put("kind", "tableau").put("jti", e.token().jti()).put("user", e.user())
        .put("scopes", new JsonArray(e.scopes())).put("attributes", new JsonArray(List.copyOf(e.attributes())))
        .put("expiresAt", e.token().expiresAt().toString());
  }

  private static JsonObject lookerDetails(Embedder.LookerEmbed e) {
    return new JsonObject().put("kind", "looker").put("externalUserId", e.externalUserId())
        .put("permissions", new JsonArray(e.permissions())).put("models", new JsonArray(e.models()))
        .put("sessionLengthSeconds", e.sessionLengthSeconds()).put("expiresAt", e.expiresAt().toString());
  }

  private void auditThenSend(RoutingContext ctx, Future<Void> audited, JsonObject answer) {
    audited.onComplete(ar -> {
      if (ar.succeeded()) {
        ctx.response().putHeader("Cache-Control", "no-store");
        Json.send(ctx, 200, answer);
      } else {
        ctx.fail(Problem.unavailable("The audit log (Kafka) did not record this token, so none was issued; retry shortly.", 2));
      }
    });
  }

  private interface Action<T> {
    T run();
  }

  /** Runs {@code action}; a refusal (403) is recorded in the audit log before it is answered. */
  private <T> T denialsAudited(String actor, String action, String target, Action<T> run) {
    try {
      return run.run();
    } catch (Problem p) {
      if (p.status() == 403) audit.record(actor, action, target, "denied", new JsonObject().put("reason", p.getMessage()));
      throw p;
    }
  }

  // ---- share links (admin) ----

  private void createLink(RoutingContext ctx) {
    Caller caller = Authenticator.caller(ctx);
    JsonObject body = body(ctx, LINK_FIELDS);
    Problem invalid = Problem.badRequest("The share link is not valid.");
    Kind kind = body.getValue("kind") instanceof String k ? Kind.of(k).orElse(null) : null;
    if (kind == null) invalid.withError("kind", "is required: tableau or looker");
    String view = null;
    try {
      if (kind == Kind.TABLEAU) view = Embedder.tableauView("view", body.getValue("view"));
      if (kind == Kind.LOOKER) view = Embedder.lookerTarget("view", body.getValue("view"));
    } catch (Problem p) {
      invalid.withError("view", kind == Kind.TABLEAU ? "must be a Tableau view as Workbook/View"
          : "must be a Looker embed target such as dashboards/42");
    }
    EmbedConfig.Links cfg = embedder.config().links();
    long ttl = cfg.defaultTtl().toSeconds();
    if (body.containsKey("ttlSeconds")) {
      Object t = body.getValue("ttlSeconds");
      if (t instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1
          && n.doubleValue() <= cfg.maxTtl().toSeconds()) {
        ttl = n.longValue();
      } else {
        invalid.withError("ttlSeconds", "must be a whole number of seconds between 1 and " + cfg.maxTtl().toSeconds()
            + " (embed.links.maxTtl)");
      }
    }
    if (invalid.hasErrors()) throw invalid;
    LinkSigner linkSigner = signer.orElseThrow(() -> new Problem(503, "Service Unavailable",
        "Share links need a signing key every node shares; missing: embed.links.secret (env "
            + EmbedConfig.envName("embed.links.secret") + ", or embed.links.secretFile), or an HS256 auth.jwt key."));
    String target = view;
    if (kind == Kind.TABLEAU) {
      denialsAudited(caller.subject(), "embed.link.create", target, () -> {
        embedder.checkTableau(caller, target);
        return null;
      });
    } else {
      denialsAudited(caller.subject(), "embed.link.create", target, () -> {
        embedder.checkLooker(caller, target);
        return null;
      });
    }
    Map<String, Object> kept = new LinkedHashMap<>();
    for (String claim : embedder.config().referencedClaims()) {
      Object value = caller.claims().get(claim);
      if (value != null) kept.put(claim, value);
    }
    Instant now = clock.instant();
    EmbedLink link = new EmbedLink(LinkSigner.newId(), kind, target, caller.subject(), now.truncatedTo(java.time.temporal.ChronoUnit.MILLIS),
        Instant.ofEpochSecond(now.getEpochSecond() + ttl), caller.roles(), kept);
    String path = "/embed/l/" + link.id() + "?exp=" + link.expiresAt().getEpochSecond() + "&sig="
        + linkSigner.sign(link.id(), link.expiresAt().getEpochSecond());
    String base = embedder.config().links().baseUrl();
    if (base.isEmpty() && ctx.request().authority() != null) base = ctx.request().scheme() + "://" + ctx.request().authority();
    String url = base + path;
    producer.send(vertx, topic, link.id(), link.toStored().encode())
        .compose(meta -> {
          links.apply(link.id(), link, meta.offset());
          return audit.record(caller.subject(), "embed.link.create", link.id(), "ok",
              new JsonObject().put("kind", kind.id()).put("view", target).put("expiresAt", link.expiresAt().toString()));
        })
        .onSuccess(v -> {
          ctx.response().putHeader("Location", path).putHeader("Cache-Control", "no-store");
          Json.send(ctx, 201, link.toPublic().put("path", path).put("url", url));
        })
        .onFailure(t -> ctx.fail(Problem.unavailable("The share link could not be written (Kafka): " + t.getMessage(), 2)));
  }

  private void listLinks(RoutingContext ctx) {
    JsonArray out = new JsonArray();
    links.list(clock.instant()).forEach(l -> out.add(l.toPublic()));
    Json.send(ctx, 200, new JsonObject().put("links", out).put("count", out.size()));
  }

  private void revokeLink(RoutingContext ctx) {
    String id = ctx.pathParam("linkId");
    EmbedLink link = LinkSigner.validId(id) ? links.find(id) : null;
    if (link == null || link.expired(clock.instant())) throw Problem.notFound("No live share link " + id + ".");
    String actor = Authenticator.caller(ctx).subject();
    producer.send(vertx, topic, id, null)
        .compose(meta -> {
          links.apply(id, null, meta.offset());
          return audit.record(actor, "embed.link.revoke", id, "ok", new JsonObject().put("kind", link.kind().id()).put("view", link.view()));
        })
        .onSuccess(v -> ctx.response().setStatusCode(204).end())
        .onFailure(t -> ctx.fail(Problem.unavailable("The revocation could not be written (Kafka): " + t.getMessage(), 2)));
  }

  // ---- the public page of a share link ----

  private void openLink(RoutingContext ctx) {
    try {
      EmbedLink link = checkLink(ctx.pathParam("linkId"), ctx.request().getParam("exp"), ctx.request().getParam("sig"));
      String actor = "link:" + link.id();
      if (link.kind() == Kind.TABLEAU) {
        Embedder.TableauEmbed e = denialsAudited(actor, "embed.tableau.token", link.view(),
            () -> embedder.tableau(link.creator(), link.view(), null));
        audit.recordOrFail(actor, "embed.tableau.token", link.view(), "ok", tableauDetails(e).put("link", link.id())
                .put("createdBy", link.createdBy()))
            .onSuccess(v -> page(ctx, 200, link.view(), e.snippet()))
            .onFailure(t -> pageProblem(ctx, Problem.unavailable("The audit log did not record this view; retry shortly.", 2)));
      } else {
        Embedder.LookerEmbed e = denialsAudited(actor, "embed.looker.url", link.view(),
            () -> embedder.looker(link.creator(), link.view(), null));
        audit.recordOrFail(actor, "embed.looker.url", link.view(), "ok", lookerDetails(e).put("link", link.id())
                .put("createdBy", link.createdBy()))
            .onSuccess(v -> page(ctx, 200, link.view(), "<iframe src=\"" + Html.escape(e.url()) + "\" title=\""
                + Html.escape(link.view()) + "\" allowfullscreen></iframe>"))
            .onFailure(t -> pageProblem(ctx, Problem.unavailable("The audit log did not record this view; retry shortly.", 2)));
      }
    } catch (Problem p) {
      pageProblem(ctx, p);
    }
  }

  /**
   * The live link a URL names, or the problem with it: 404 for a malformed, forged or unknown
   * link (nothing is revealed about ids that exist), 410 once it expired or was revoked.
   */
  EmbedLink checkLink(String id, String expParam, String sig) {
    Problem notFound = Problem.notFound("No such share link.");
    if (!LinkSigner.validId(id) || expParam == null || !expParam.matches("\\d{1,12}") || signer.isEmpty()) throw notFound;
    long exp = Long.parseLong(expParam);
    if (!signer.get().verify(id, exp, sig)) throw notFound;
    Instant now = clock.instant();
    if (now.getEpochSecond() >= exp) throw new Problem(410, "Gone", "This share link expired at " + Instant.ofEpochSecond(exp) + ".");
    switch (links.state(id)) {
      case REVOKED -> throw new Problem(410, "Gone", "This share link was revoked.");
      case UNKNOWN -> throw notFound;
      default -> { }
    }
    EmbedLink link = links.find(id);
    if (link == null) throw new Problem(410, "Gone", "This share link was revoked.");
    if (link.expired(now) || link.expiresAt().getEpochSecond() != exp) {
      throw new Problem(410, "Gone", "This share link expired at " + link.expiresAt() + ".");
    }
    return link;
  }

  private void page(RoutingContext ctx, int status, String title, String content) {
    if (ctx.response().ended()) return;
    EmbedConfig cfg = embedder.config();
    List<String> sources = new ArrayList<>();
    if (!cfg.tableau().server().isEmpty()) sources.add(cfg.tableau().server());
    if (!cfg.looker().host().isEmpty()) sources.add("https://" + cfg.looker().host());
    String src = sources.isEmpty() ? "'none'" : String.join(" ", sources);
    ctx.response().setStatusCode(status)
        .putHeader("Content-Type", "text/html; charset=utf-8")
        .putHeader("Cache-Control", "no-store")
        // the URL carries the link's signature: never send it to the BI server as a Referer
        .putHeader("Referrer-Policy", "no-referrer")
        .putHeader("X-Content-Type-Options", "nosniff")
        .putHeader("Content-Security-Policy", "default-src 'none'; script-src " + src + "; frame-src " + src
            + "; connect-src " + src + "; img-src " + src + " data:; style-src 'unsafe-inline'; base-uri 'none'; form-action 'none'")
        .end("<!doctype html>\n<html lang=\"en\"><head><meta charset=\"utf-8\"><meta name=\"referrer\" content=\"no-referrer\">"
            + "<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\"><title>" + Html.escape(title) + "</title>"
            + "<style>html,body{margin:0;height:100%;font-family:sans-serif}tableau-viz,iframe{display:block;width:100%;height:100vh;border:0}"
            + "p{margin:2em}</style></head>\n<body>\n" + content + "\n</body></html>\n");
  }

  /** A browser gets a small HTML page; an API client the usual problem+json. */
  private void pageProblem(RoutingContext ctx, Problem p) {
    String accept = ctx.request().getHeader("Accept");
    if (accept != null && accept.contains("text/html")) {
      page(ctx, p.status(), p.title(), "<p>" + Html.escape(p.title() + ": " + p.getMessage()) + "</p>");
    } else {
      Problems.send(ctx, p);
    }
  }

  // ---- request bodies ----

  /** The JSON body, refusing fields the route does not take (identity and attributes come from the token). */
  private static JsonObject body(RoutingContext ctx, Set<String> allowed) {
    JsonObject body = Json.bodyObject(ctx);
    Problem p = Problem.badRequest("The request has fields this route does not take; the BI user, its scopes, permissions "
        + "and user attributes come from your token and the configuration, never from the request.");
    for (String f : body.fieldNames()) {
      if (!allowed.contains(f)) p.withError(f, "is not accepted here (accepted: " + allowed.stream().sorted().toList() + ")");
    }
    if (p.hasErrors()) throw p;
    return body;
  }

  /** An optional whole number of seconds, at least 1 (larger values are capped by the caller). */
  private static Long seconds(JsonObject body, String field) {
    if (!body.containsKey(field)) return null;
    Object v = body.getValue(field);
    if (v instanceof Number n && n.doubleValue() == Math.rint(n.doubleValue()) && n.doubleValue() >= 1) {
      return n.doubleValue() >= Long.MAX_VALUE ? Long.MAX_VALUE : n.longValue();
    }
    throw Problem.badRequest("The request is not valid.").withError(field, "must be a whole number of seconds, at least 1");
  }
}
