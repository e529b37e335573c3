package io.codex.embed;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * Share links on two nodes sharing Kafka (and the platform's token key, from which both derive the
 * link-signing key): made on one, opened on either, revoked at once everywhere. Tableau is
 * configured, Looker is not.
 */
class EmbedLinksIT {
  static final String AUTH_KEY = "links-it-shared-hs256-key-" + UUID.randomUUID();
  static final String TABLEAU_SECRET = "lK9xQ2mV7bN4cZ1aS8dF5gH3jW6eR0tY-links-tableau=";
  static final Pattern TOKEN = Pattern.compile("token=\"([^\"]+)\"");

  @TempDir static Path dir;
  static TestNode a;
  static TestNode b;
  static String admin;

  @BeforeAll
  static void start() throws Exception {
    a = TestNode.start(dir.resolve("a"), TestNode.Ports.free(), config(Map.of()));
    b = TestNode.start(dir.resolve("b"), TestNode.Ports.free(), config(Map.of("kafka.bootstrapServers", a.bootstrapServers())));
    admin = Http.bearer(new CallerTokens(AUTH_KEY).issue("root", List.of("admin"), Map.of("region", "EMEA")));
  }

  static Map<String, Object> config(Map<String, Object> more) {
    Map<String, Object> cfg = new LinkedHashMap<>(more);
    cfg.put("auth.jwt.secret", AUTH_KEY);
    cfg.put("embed.allowlist", "Sales/*");
    cfg.put("embed.tableau.clientId", "links-client");
    cfg.put("embed.tableau.secretId", "links-secret-id");
    cfg.put("embed.tableau.secretValue", TABLEAU_SECRET);
    cfg.put("embed.tableau.server", "https://tableau.example.com");
    cfg.put("embed.tableau.userAttributes", "Region=region");
    return cfg;
  }

  @AfterAll
  static void stop() {
    if (b != null) b.close();
    if (a != null) a.close();
  }

  static JsonObject create(TestNode node, JsonObject body) {
    Http.Response r = Http.postJson(node.url("/api/v1/embed/links"), admin, body);
    assertThat(r.status()).as(r.body()).isEqualTo(201);
    return r.json();
  }

  @Test
  void linkOpensOnEveryNodeWithAFreshTokenAndRevocationReachesEveryNodeAtOnce() throws Exception {
    JsonObject link = create(a, new JsonObject().put("kind", "tableau").put("view", "Sales/Overview").put("ttlSeconds", 3600));
    String path = link.getString("path");
    assertThat(path).matches("/embed/l/[A-Za-z0-9_-]{22}\\?exp=\\d+&sig=[A-Za-z0-9_-]{43}");
    assertThat(link.getString("url")).isEqualTo(a.url(path));
    assertThat(link.getString("createdBy")).isEqualTo("root");

    Http.Response page = Http.get(a.url(path), null);
    assertThat(page.status()).isEqualTo(200);
    assertThat(page.header("Content-Type")).startsWith("text/html");
    assertThat(page.header("Cache-Control")).isEqualTo("no-store");
    assertThat(page.header("Referrer-Policy")).isEqualTo("no-referrer");
    assertThat(page.header("Content-Security-Policy")).contains("script-src https://tableau.example.com");
    assertThat(page.body()).contains("<tableau-viz").contains("src=\"https://tableau.example.com/views/Sales/Overview\"");
    String first = token(page.body());
    SignedJWT jwt = SignedJWT.parse(first);
    assertThat(jwt.verify(new MACVerifier(TABLEAU_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(c.getSubject()).as("the link embeds as its creator").isEqualTo("root");
    assertThat(c.getStringClaim("Region")).as("with the creator's row-level security").isEqualTo("EMEA");

    Duration seen = Eventually.within(Duration.ofSeconds(10), "node b opens the link",
        () -> Http.get(b.url(path), null).status() == 200);
    String second = token(Http.get(b.url(path), null).body());
    assertThat(SignedJWT.parse(second).getJWTClaimsSet().getJWTID()).as("a fresh token per visit").isNotEqualTo(c.getJWTID());

    JsonObject listed = Http.get(b.url("/api/v1/embed/links"), admin).json();
    assertThat(listed.getJsonArray("links").stream().map(o -> ((JsonObject) o).getString("id"))).contains(link.getString("id"));
    assertThat(listed.encode()).doesNotContain(path.substring(path.indexOf("sig=") + 4)).doesNotContain("claims");

    assertThat(Http.delete(a.url("/api/v1/embed/links/" + link.getString("id")), admin).status()).isEqualTo(204);
    Http.Response gone = Http.get(a.url(path), null);
    assertThat(gone.status()).isEqualTo(410);
    assertThat(gone.json().getString("detail")).contains("revoked");
    Duration revoked = Eventually.within(Duration.ofSeconds(5), "node b refuses the revoked link",
        () -> Http.get(b.url(path), null).status() == 410);
    assertThat(Http.delete(b.url("/api/v1/embed/links/" + link.getString("id")), admin).status()).isEqualTo(404);
    assertThat(Http.get(b.url("/api/v1/embed/links"), admin).body()).doesNotContain(link.getString("id"));
    System.out.printf("share link propagation to a second node: create %d ms, revoke %d ms%n", seen.toMillis(), revoked.toMillis());

    String stored = String.join("\n", KafkaTopics.readAll(a.bootstrapServers(), "codex.embed-links").stream()
        .map(r -> String.valueOf(r.value())).toList());
    assertThat(stored).contains(link.getString("id")).doesNotContain(path.substring(path.indexOf("sig=") + 4))
        .doesNotContain(first).doesNotContain(TABLEAU_SECRET);
  }

  @Test
  void expiredLinkIsRefusedOnEveryNode() throws Exception {
    String path = create(a, new JsonObject().put("kind", "tableau").put("view", "Sales/Short").put("ttlSeconds", 1)).getString("path");
    Thread.sleep(2_100);
    for (TestNode n : List.of(a, b)) {
      Http.Response r = Http.get(n.url(path), null);
      assertThat(r.status()).isEqualTo(410);
      assertThat(r.json().getString("detail")).contains("expired");
    }
  }

  @Test
  void forgedTamperedOrUnknownLinksAreNotFound() {
    JsonObject link = create(a, new JsonObject().put("kind", "tableau").put("view", "Sales/Overview"));
    String path = link.getString("path");
    String id = link.getString("id");
    long exp = Long.parseLong(path.replaceAll(".*exp=(\\d+)&.*", "$1"));
    String sig = path.substring(path.indexOf("sig=") + 4);
    String flipped = (sig.charAt(0) == 'A' ? "B" : "A") + sig.substring(1);
    for (String bad : List.of(
        "/embed/l/" + id,
        "/embed/l/" + id + "?exp=" + exp + "&sig=" + flipped,
        "/embed/l/" + id + "?exp=" + (exp + 86_400) + "&sig=" + sig,
        "/embed/l/" + LinkSigner.newId() + "?exp=" + exp + "&sig=" + sig,
        "/embed/l/no-such-link?exp=" + exp + "&sig=" + sig)) {
      Http.Response r = Http.get(a.url(bad), null);
      assertThat(r.status()).as(bad).isEqualTo(404);
      assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    }
    Http.Response html = Http.send("GET", a.url("/embed/l/" + id), null, null, null);
    assertThat(html.status()).isEqualTo(404);
    Http.Response browser = browser(a.url("/embed/l/" + id));
    assertThat(browser.status()).isEqualTo(404);
    assertThat(browser.header("Content-Type")).startsWith("text/html");
    assertThat(browser.body()).contains("Not Found").doesNotContain("Exception");
  }

  @Test
  void linksAreValidatedAndNeedTheProductAndTheAllowlist() {
    Http.Response bad = Http.postJson(a.url("/api/v1/embed/links"), admin,
        new JsonObject().put("kind", "powerbi").put("view", "x").put("ttlSeconds", 999_999_999).put("user", "mallory"));
    assertThat(bad.status()).isEqualTo(400);
    assertThat(bad.body()).contains("user");
    Http.Response fields = Http.postJson(a.url("/api/v1/embed/links"), admin,
        new JsonObject().put("kind", "powerbi").put("view", "x").put("ttlSeconds", 999_999_999));
    assertThat(fields.json().getJsonArray("errors").stream().map(o -> ((JsonObject) o).getString("field")).toList())
        .containsExactlyInAnyOrder("kind", "ttlSeconds");
    assertThat(Http.postJson(a.url("/api/v1/embed/links"), admin,
        new JsonObject().put("kind", "tableau").put("view", "HR/Salaries")).status()).isEqualTo(403);
    Http.Response looker = Http.postJson(a.url("/api/v1/embed/links"), admin,
        new JsonObject().put("kind", "looker").put("view", "dashboards/42"));
    assertThat(looker.status()).isEqualTo(503);
    assertThat(looker.json().getString("detail")).contains("embed.looker.host (env CODEX_EMBED_LOOKER_HOST)");
  }

  @Test
  void missingLookerKeysAnswer503NamingThemWhileTheNodeRuns() {
    String viewer = Http.bearer(new CallerTokens(AUTH_KEY).issue("alice", List.of("viewer"), Map.of("region", "EMEA")));
    Http.Response r = Http.postJson(b.url("/api/v1/embed/looker"), viewer, new JsonObject().put("target", "dashboards/42"));
    assertThat(r.status()).isEqualTo(503);
    assertThat(r.header("Content-Type")).isEqualTo("application/problem+json");
    assertThat(r.json().getString("detail")).contains("embed.looker.host (env CODEX_EMBED_LOOKER_HOST)")
        .contains("embed.looker.secret (env CODEX_EMBED_LOOKER_SECRET, or embed.looker.secretFile)");
    assertThat(Http.get(b.url("/health/ready"), null).status()).isEqualTo(200);
  }

  static String token(String html) {
    Matcher m = TOKEN.matcher(html);
    assertThat(m.find()).as("a token in the page").isTrue();
    return m.group(1);
  }

  static Http.Response browser(String url) {
    try {
      var c = java.net.http.HttpClient.newHttpClient();
      var r = c.send(java.net.http.HttpRequest.newBuilder(java.net.URI.create(url)).header("Accept", "text/html,*/*").build(),
          java.net.http.HttpResponse.BodyHandlers.ofString());
      return new Http.Response(r.statusCode(), r.body(), r.headers());
    } catch (Exception e) {
      throw new IllegalStateException(e);
    }
  }
}
