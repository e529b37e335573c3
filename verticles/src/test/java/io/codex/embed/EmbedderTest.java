package io.codex.embed;

import static io.codex.embed.EmbedFixtures.alice;
import static io.codex.embed.EmbedFixtures.caller;
import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;
import static org.assertj.core.api.Assertions.catchThrowableOfType;

import com.nimbusds.jwt.SignedJWT;
import io.codex.api.Problem;
import io.codex.security.Caller;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Clock;
import java.time.Instant;
import java.time.ZoneOffset;
import java.util.EnumSet;
import java.util.Map;
import org.junit.jupiter.api.Test;

class EmbedderTest {
  private static final Instant NOW = Instant.parse("2026-11-25T10:00:00Z");
  private final Embedder embedder = new Embedder(EmbedConfig.from(EmbedFixtures.config()), Clock.fixed(NOW, ZoneOffset.UTC));

  @Test
  void tableauTokenMapsTheCallerFromItsVerifiedClaims() throws Exception {
    Embedder.TableauEmbed e = embedder.tableau(alice(Role.VIEWER), "Sales/Overview", null);
    var claims = SignedJWT.parse(e.token().jwt()).getJWTClaimsSet();
    assertThat(claims.getSubject()).isEqualTo("alice@example.com");
    assertThat(claims.getStringClaim("Region")).isEqualTo("EMEA");
    assertThat(claims.getStringClaim("Tenant")).isEqualTo("acme");
    assertThat(claims.getStringListClaim("scp")).containsExactly("tableau:views:embed");
    assertThat(claims.getExpirationTime().toInstant()).as("the configured default, 5m").isEqualTo(NOW.plusSeconds(300));
    assertThat(e.src()).isEqualTo("https://tableau.example.com/t/acme/views/Sales/Overview");
    assertThat(e.attributes()).containsExactly("Region", "Tenant");
  }

  @Test
  void scopesComeFromTheCallersRoles() throws Exception {
    var claims = SignedJWT.parse(embedder.tableau(alice(Role.ANALYST), "Finance/Q3", 60L).token().jwt()).getJWTClaimsSet();
    assertThat(claims.getStringListClaim("scp")).containsExactly("tableau:views:embed", "tableau:views:embed_authoring");
  }

  @Test
  void listClaimsBecomeMultiValuedAttributes() throws Exception {
    Caller c = caller(Role.VIEWER, Map.of("email", "a@x", "region", new JsonArray().add("EMEA").add("APAC"), "tenant", 42));
    var claims = SignedJWT.parse(embedder.tableau(c, "Sales/Overview", null).token().jwt()).getJWTClaimsSet();
    assertThat(claims.getStringListClaim("Region")).containsExactly("EMEA", "APAC");
    assertThat(claims.getStringClaim("Tenant")).isEqualTo("42");
  }

  @Test
  void aCallerWithoutAMappedClaimIsRefusedNamingIt() {
    Problem p = catchThrowableOfType(Problem.class,
        () -> embedder.tableau(caller(Role.VIEWER, Map.of("email", "a@x", "tenant", "acme")), "Sales/Overview", null));
    assertThat(p.status()).isEqualTo(403);
    assertThat(p.getMessage()).contains("\"region\"").contains("Region");
    Problem noUser = catchThrowableOfType(Problem.class,
        () -> embedder.tableau(caller(Role.VIEWER, Map.of("sub", "alice", "region", "EMEA", "tenant", "acme")), "Sales/Overview", null));
    assertThat(noUser.status()).isEqualTo(403);
    assertThat(noUser.getMessage()).contains("\"email\"");
  }

  @Test
  void allowlistIsPerRoleWithWildcardsAndProducts() {
    assertThat(status(() -> embedder.tableau(alice(Role.VIEWER), "Finance/Q3", null))).isEqualTo(403);
    assertThat(status(() -> embedder.tableau(alice(Role.ANALYST), "Finance/Q3", null))).isEqualTo(200);
    assertThat(status(() -> embedder.tableau(alice(Role.VIEWER), "SalesSecret/Payroll", null))).isEqualTo(403);
    assertThat(status(() -> embedder.tableau(alice(Role.VIEWER), "Sales/Deep", null))).isEqualTo(200);
    // "tableau:Sales/*" does not allow a Looker target of that name, "looker:dashboards/4*" no Tableau view
    assertThat(status(() -> embedder.looker(alice(Role.VIEWER), Embedder.lookerTarget("t", "dashboards/42"), null))).isEqualTo(200);
    assertThat(status(() -> embedder.looker(alice(Role.VIEWER), Embedder.lookerTarget("t", "dashboards/5"), null))).isEqualTo(403);
    assertThat(status(() -> embedder.looker(alice(Role.VIEWER), Embedder.lookerTarget("t", "Sales/x"), null))).isEqualTo(403);
  }

  @Test
  void emptyAllowlistAllowsNothing() {
    JsonObject cfg = EmbedFixtures.config();
    cfg.getJsonObject("embed").remove("allowlist");
    cfg.getJsonObject("embed").remove("roles");
    Embedder none = new Embedder(EmbedConfig.from(cfg), Clock.systemUTC());
    Caller admin = new Caller("root", EnumSet.of(Role.ADMIN), null, Map.of("email", "r@x", "region", "x", "tenant", "y"));
    assertThat(status(() -> none.tableau(admin, "Sales/Overview", null))).isEqualTo(403);
  }

  @Test
  void missingKeysAnswer503NamingEachKeyAndItsEnvVar() {
    JsonObject cfg = EmbedFixtures.config();
    cfg.getJsonObject("embed").getJsonObject("tableau").put("clientId", "").put("secretValue", "");
    cfg.getJsonObject("embed").put("looker", new JsonObject());
    Embedder half = new Embedder(EmbedConfig.from(cfg), Clock.systemUTC());
    Problem t = catchThrowableOfType(Problem.class, () -> half.tableau(alice(Role.VIEWER), "Sales/Overview", null));
    assertThat(t.status()).isEqualTo(503);
    assertThat(t.getMessage()).contains("embed.tableau.clientId (env CODEX_EMBED_TABLEAU_CLIENT_ID)")
        .contains("embed.tableau.secretValue (env CODEX_EMBED_TABLEAU_SECRET_VALUE, or embed.tableau.secretValueFile)")
        .doesNotContain("secretId").doesNotContain(EmbedFixtures.SECRET_VALUE);
    Problem l = catchThrowableOfType(Problem.class, () -> half.looker(alice(Role.VIEWER), "/embed/dashboards/42", null));
    assertThat(l.status()).isEqualTo(503);
    assertThat(l.getMessage()).contains("embed.looker.host (env CODEX_EMBED_LOOKER_HOST)")
        .contains("embed.looker.secret (env CODEX_EMBED_LOOKER_SECRET, or embed.looker.secretFile)");
  }

  @Test
  void lookerWithoutModelsNamesTheKey() {
    JsonObject cfg = EmbedFixtures.config();
    cfg.getJsonObject("embed").getJsonObject("looker").remove("models");
    Problem p = catchThrowableOfType(Problem.class, () -> new Embedder(EmbedConfig.from(cfg), Clock.systemUTC())
        .looker(alice(Role.VIEWER), "/embed/dashboards/42", null));
    assertThat(p.status()).isEqualTo(503);
    assertThat(p.getMessage()).contains("embed.looker.models");
  }

  @Test
  void lookerUrlMapsTheCallerAndCapsTheSession() {
    Embedder.LookerEmbed e = embedder.looker(alice(Role.VIEWER), "/embed/dashboards/42", 86_400L);
    Map<String, String> q = LookerUrlsTest.query(e.url());
    assertThat(e.url()).startsWith("https://analytics.example.com/login/embed/%2Fembed%2Fdashboards%2F42?");
    assertThat(q.get("external_user_id")).isEqualTo("\"alice\"");
    assertThat(q.get("user_attributes")).isEqualTo("{\"region\":\"EMEA\"}");
    assertThat(q.get("models")).isEqualTo("[\"fleet\"]");
    assertThat(q.get("session_length")).as("capped to embed.looker.maxSessionLength").isEqualTo("3600");
    assertThat(q.get("time")).isEqualTo(Long.toString(NOW.getEpochSecond()));
    assertThat(e.expiresAt()).isEqualTo(NOW.plusSeconds(300));
  }

  @Test
  void snippetEscapesEverythingItEmbeds() {
    String view = "Sales/Q&A \"<script>\"";
    assertThatThrownBy(() -> Embedder.tableauView("view", view)).isInstanceOf(Problem.class);
    String odd = "Sales/Q&A (été) <b>";
    assertThatThrownBy(() -> Embedder.tableauView("view", odd)).isInstanceOf(Problem.class);
    String ok = Embedder.tableauView("view", "Sales/Q&A (été)");
    Embedder.TableauEmbed e = embedder.tableau(alice(Role.VIEWER), ok, null);
    assertThat(e.src()).isEqualTo("https://tableau.example.com/t/acme/views/Sales/Q%26A%20%28%C3%A9t%C3%A9%29");
    assertThat(e.snippet())
        .startsWith("<script type=\"module\" src=\"https://tableau.example.com/javascripts/api/tableau.embedding.3.latest.min.js\"></script>")
        .contains("<tableau-viz id=\"tableau-viz\" src=\"" + e.src() + "\" token=\"" + e.token().jwt() + "\"")
        .endsWith("</tableau-viz>");
    assertThat(Html.escape("a\"b'c<d>e&f")).isEqualTo("a&quot;b&#39;c&lt;d&gt;e&amp;f");
  }

  @Test
  void viewsAndTargetsAreValidated() {
    for (Object bad : new Object[] {null, 7, "", "Overview", "a/b/c", "../x", "a/..", "a/b?x=1", "a/b#f", "a/%2e", " a/b", "a\n/b"}) {
      assertThatThrownBy(() -> Embedder.tableauView("view", bad)).as(String.valueOf(bad)).isInstanceOf(Problem.class);
    }
    assertThat(Embedder.lookerTarget("t", "dashboards/42")).isEqualTo("/embed/dashboards/42");
    assertThat(Embedder.lookerTarget("t", "/embed/looks/7")).isEqualTo("/embed/looks/7");
    assertThat(Embedder.lookerTarget("t", "embed/dashboards/model::name?Date=7+days")).isEqualTo("/embed/dashboards/model::name?Date=7+days");
    assertThat(Embedder.lookerName("/embed/dashboards/42?Date=7+days")).isEqualTo("dashboards/42");
    for (Object bad : new Object[] {null, 3, "", "/", "https://evil.example.com/x", "dashboards/../admin", "dash boards/1", "a\"b"}) {
      assertThatThrownBy(() -> Embedder.lookerTarget("t", bad)).as(String.valueOf(bad)).isInstanceOf(Problem.class);
    }
  }

  private static int status(Runnable r) {
    try {
      r.run();
      return 200;
    } catch (Problem p) {
      return p.status();
    }
  }
}
