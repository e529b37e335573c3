package io.codex.embed;

import static org.assertj.core.api.Assertions.assertThat;

import ch.qos.logback.classic.Logger;
import ch.qos.logback.classic.spi.ILoggingEvent;
import ch.qos.logback.core.read.ListAppender;
import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.JWTClaimsSet;
import com.nimbusds.jwt.SignedJWT;
import io.codex.security.Role;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import io.vertx.core.json.JsonObject;
import java.net.URI;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Base64;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.UUID;
import java.util.stream.Collectors;
import javax.crypto.Mac;
import javax.crypto.spec.SecretKeySpec;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.junit.jupiter.api.AfterAll;
import org.junit.jupiter.api.BeforeAll;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;
import org.slf4j.LoggerFactory;

/** Tableau tokens and Looker URLs through the HTTP API of a real node, for callers with their own claims. */
class EmbedIT {
  static final String AUTH_KEY = "embed-it-shared-hs256-key-" + UUID.randomUUID();
  static final String TABLEAU_SECRET = "tB7kQ9mX2vL5nP8rS1wY4zA6cE3gH0jK-tableau-secret=";
  static final String LOOKER_SECRET = "e1d2c3b4a5968778695a4b3c2d1e0f1e2d3c4b5a69788796a5b4c3d2e1f0a9b8";

  @TempDir static Path dir;
  static TestNode node;
  static CallerTokens callers;
  static final ListAppender<ILoggingEvent> logs = new ListAppender<>();
  static final Logger root = (Logger) LoggerFactory.getLogger(org.slf4j.Logger.ROOT_LOGGER_NAME);

  @BeforeAll
  static void start() throws Exception {
    logs.start();
    root.addAppender(logs);
    Map<String, Object> cfg = new LinkedHashMap<>();
    cfg.put("auth.jwt.secret", AUTH_KEY);
    cfg.put("http.accessLog", true);
    cfg.put("embed.allowlist", "tableau:Sales/*,looker:dashboards/4*");
    cfg.put("embed.roles.analyst.allowlist", "Finance/*");
    cfg.put("embed.tableau.clientId", "it-client-id");
    cfg.put("embed.tableau.secretId", "it-secret-id");
    cfg.put("embed.tableau.secretValue", TABLEAU_SECRET);
    cfg.put("embed.tableau.server", "https://tableau.example.com");
    cfg.put("embed.tableau.site", "acme");
    cfg.put("embed.tableau.user", "{email}");
    cfg.put("embed.tableau.userAttributes", "Region=region");
    cfg.put("embed.looker.host", "analytics.example.com");
    cfg.put("embed.looker.secret", LOOKER_SECRET);
    cfg.put("embed.looker.models", "fleet");
    cfg.put("embed.looker.userAttributes", "region=region");
    node = TestNode.start(dir.resolve("data"), TestNode.Ports.free(), cfg);
    callers = new CallerTokens(AUTH_KEY);
  }

  @AfterAll
  static void stop() {
    if (node != null) node.close();
    root.detachAppender(logs);
  }

  static String viewer(Map<String, Object> claims) {
    return Http.bearer(callers.issue("alice", List.of("viewer"), claims));
  }

  static final Map<String, Object> ALICE = Map.of("email", "alice@example.com", "region", "EMEA");

  @Test
  void tableauTokenVerifiesWithTheSharedSecretAndCarriesTheCallersMappedClaims() throws Exception {
    long before = Instant.now().getEpochSecond();
    Http.Response r = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE), new JsonObject().put("view", "Sales/Overview"));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    assertThat(r.header("Cache-Control")).isEqualTo("no-store");
    JsonObject body = r.json();
    SignedJWT jwt = SignedJWT.parse(body.getString("token"));
    assertThat(jwt.verify(new MACVerifier(TABLEAU_SECRET.getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.getHeader().getKeyID()).isEqualTo("it-secret-id");
    assertThat(jwt.getHeader().getCustomParam("iss")).isEqualTo("it-client-id");
    assertThat(jwt.getHeader().getType().toString()).isEqualTo("JWT");
    JWTClaimsSet c = jwt.getJWTClaimsSet();
    assertThat(c.getIssuer()).isEqualTo("it-client-id");
    assertThat(c.getSubject()).isEqualTo("alice@example.com");
    assertThat(c.getAudience()).containsExactly("tableau");
    assertThat(c.getStringListClaim("scp")).containsExactly("tableau:views:embed");
    assertThat(c.getStringClaim("Region")).isEqualTo("EMEA");
    assertThat(UUID.fromString(c.getJWTID())).isNotNull();
    long iat = c.getIssueTime().toInstant().getEpochSecond();
    assertThat(iat).isBetween(before - 1, before + 5);
    assertThat(c.getExpirationTime().toInstant().getEpochSecond() - iat).isEqualTo(300);
    assertThat(body.getString("expiresAt")).isEqualTo(c.getExpirationTime().toInstant().toString());
    assertThat(body.getString("src")).isEqualTo("https://tableau.example.com/t/acme/views/Sales/Overview");
    assertThat(body.getString("snippet"))
        .contains("<script type=\"module\" src=\"https://tableau.example.com/javascripts/api/tableau.embedding.3.latest.min.js\"></script>")
        .contains("<tableau-viz id=\"tableau-viz\" src=\"https://tableau.example.com/t/acme/views/Sales/Overview\" token=\""
            + body.getString("token") + "\"");
  }

  @Test
  void expiryNeverExceedsTenMinutesWhateverIsAsked() throws Exception {
    for (Object asked : List.of(601, 3600, 86_400, 9_007_199_254_740_993L, 1e30)) {
      Http.Response r = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE),
          new JsonObject().put("view", "Sales/Overview").put("ttlSeconds", asked));
      assertThat(r.status()).as("asked %s: %s", asked, r.body()).isEqualTo(200);
      JWTClaimsSet c = SignedJWT.parse(r.json().getString("token")).getJWTClaimsSet();
      long lifetime = c.getExpirationTime().toInstant().getEpochSecond() - c.getIssueTime().toInstant().getEpochSecond();
      assertThat(lifetime).as("asked %s", asked).isEqualTo(600);
      assertThat(c.getExpirationTime().toInstant()).isBefore(Instant.now().plusSeconds(601));
    }
    for (Object bad : List.of(0, -1, 2.5, "600")) {
      Http.Response r = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE),
          new JsonObject().put("view", "Sales/Overview").put("ttlSeconds", bad));
      assertThat(r.status()).as("ttlSeconds %s", bad).isEqualTo(400);
      assertThat(r.body()).contains("ttlSeconds");
    }
  }

  @Test
  void userAttributesCannotBeInjectedThroughTheBody() throws Exception {
    for (String field : List.of("Region", "region", "sub", "user", "userAttributes", "scp", "scopes", "attributes", "email")) {
      JsonObject body = new JsonObject().put("view", "Sales/Overview").put(field, field.equals("userAttributes")
          ? new JsonObject().put("Region", "APAC") : "APAC");
      Http.Response r = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE), body);
      assertThat(r.status()).as(field).isEqualTo(400);
      assertThat(r.json().getJsonArray("errors").getJsonObject(0).getString("field")).isEqualTo(field);
      assertThat(r.body()).doesNotContain("eyJ");
    }
    Http.Response looker = Http.postJson(node.url("/api/v1/embed/looker"), viewer(ALICE),
        new JsonObject().put("target", "dashboards/42").put("user_attributes", new JsonObject().put("region", "APAC")));
    assertThat(looker.status()).isEqualTo(400);

    // a caller whose token lacks the claim gets no token at all, rather than one without row-level security
    Http.Response noClaim = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(Map.of("email", "bob@example.com")),
        new JsonObject().put("view", "Sales/Overview"));
    assertThat(noClaim.status()).isEqualTo(403);
    assertThat(noClaim.json().getString("detail")).contains("\"region\"");

    // the value always comes from the verified token
    Http.Response ok = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(Map.of("email", "carol@example.com", "region", "APAC")),
        new JsonObject().put("view", "Sales/Overview"));
    assertThat(SignedJWT.parse(ok.json().getString("token")).getJWTClaimsSet().getStringClaim("Region")).isEqualTo("APAC");
  }

  @Test
  void wrongRoleOrViewIsForbidden() throws Exception {
    String admin = new Tokens(node).forRole(Role.ADMIN);
    String secret = Http.postJson(node.url("/api/v1/devices"), Http.bearer(admin), new JsonObject().put("deviceId", "embed-dev-1"))
        .json().getString("secret");
    assertThat(Http.postJson(node.url("/api/v1/embed/tableau"), Http.basic("embed-dev-1", secret),
        new JsonObject().put("view", "Sales/Overview")).status()).isEqualTo(403);
    assertThat(Http.postJson(node.url("/api/v1/embed/looker"), Http.basic("embed-dev-1", secret),
        new JsonObject().put("target", "dashboards/42")).status()).isEqualTo(403);
    assertThat(Http.postJson(node.url("/api/v1/embed/tableau"), null, new JsonObject().put("view", "Sales/Overview")).status())
        .isEqualTo(401);

    // Finance/* is in the analysts' own list only
    Http.Response viewer = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE), new JsonObject().put("view", "Finance/Q3"));
    assertThat(viewer.status()).isEqualTo(403);
    assertThat(viewer.json().getString("detail")).contains("Finance/Q3").contains("allowlist");
    String analyst = Http.bearer(callers.issue("dave", List.of("analyst"), ALICE));
    assertThat(Http.postJson(node.url("/api/v1/embed/tableau"), analyst, new JsonObject().put("view", "Finance/Q3")).status())
        .isEqualTo(200);
    assertThat(Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE), new JsonObject().put("view", "HR/Salaries")).status())
        .isEqualTo(403);
    assertThat(Http.postJson(node.url("/api/v1/embed/looker"), viewer(ALICE), new JsonObject().put("target", "dashboards/7")).status())
        .isEqualTo(403);
    // share links are admin business
    assertThat(Http.postJson(node.url("/api/v1/embed/links"), viewer(ALICE),
        new JsonObject().put("kind", "tableau").put("view", "Sales/Overview")).status()).isEqualTo(403);
  }

  @Test
  void lookerUrlIsSignedByTheDocumentedAlgorithmForTheCaller() throws Exception {
    long before = Instant.now().getEpochSecond();
    Http.Response r = Http.postJson(node.url("/api/v1/embed/looker"), viewer(ALICE),
        new JsonObject().put("target", "dashboards/42?Date=7+days").put("sessionLengthSeconds", 999_999));
    assertThat(r.status()).as(r.body()).isEqualTo(200);
    String url = r.json().getString("url");
    assertThat(url).startsWith("https://analytics.example.com/login/embed/%2Fembed%2Fdashboards%2F42%3FDate%3D7%2Bdays?");
    Map<String, String> q = query(url);
    assertThat(q.get("external_user_id")).isEqualTo("\"alice\"");
    assertThat(q.get("user_attributes")).isEqualTo("{\"region\":\"EMEA\"}");
    assertThat(q.get("models")).isEqualTo("[\"fleet\"]");
    assertThat(q.get("permissions")).contains("\"access_data\"");
    assertThat(q.get("session_length")).as("capped to embed.looker.maxSessionLength").isEqualTo("3600");
    assertThat(Long.parseLong(q.get("time"))).isBetween(before - 1, before + 5);
    assertThat(q.get("nonce")).matches("\"[0-9a-f]{32}\"");
    assertThat(r.json().getString("expiresAt")).isEqualTo(Instant.ofEpochSecond(Long.parseLong(q.get("time")) + 300).toString());

    // recomputed here from the URL's own parameters, as Looker does
    List<String> lines = new ArrayList<>();
    lines.add("analytics.example.com");
    lines.add(URI.create(url).getRawPath());
    for (String p : List.of("nonce", "time", "session_length", "external_user_id", "permissions", "models", "group_ids",
        "external_group_id", "user_attributes", "access_filters")) {
      lines.add(q.get(p));
    }
    Mac mac = Mac.getInstance("HmacSHA1");
    mac.init(new SecretKeySpec(LOOKER_SECRET.getBytes(StandardCharsets.UTF_8), "HmacSHA1"));
    assertThat(q.get("signature"))
        .isEqualTo(Base64.getEncoder().encodeToString(mac.doFinal(String.join("\n", lines).getBytes(StandardCharsets.UTF_8))));
    String again = Http.postJson(node.url("/api/v1/embed/looker"), viewer(ALICE), new JsonObject().put("target", "dashboards/42"))
        .json().getString("url");
    assertThat(query(again).get("nonce")).isNotEqualTo(q.get("nonce"));
  }

  @Test
  void everyMintedTokenIsAuditedWithoutTheTokenAndNothingSecretIsLogged() throws Exception {
    String token = Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE), new JsonObject().put("view", "Sales/Audited"))
        .json().getString("token");
    String jti = SignedJWT.parse(token).getJWTClaimsSet().getJWTID();
    String url = Http.postJson(node.url("/api/v1/embed/looker"), viewer(ALICE), new JsonObject().put("target", "dashboards/43"))
        .json().getString("url");
    String signature = query(url).get("signature");
    Http.postJson(node.url("/api/v1/embed/tableau"), viewer(ALICE), new JsonObject().put("view", "HR/Salaries"));

    List<ConsumerRecord<String, String>> audit = KafkaTopics.readAll(node.bootstrapServers(), "codex.audit");
    List<JsonObject> events = audit.stream().map(r -> new JsonObject(r.value())).collect(Collectors.toList());
    JsonObject minted = events.stream().filter(e -> e.getString("action").equals("embed.tableau.token")
        && jti.equals(e.getJsonObject("details").getString("jti"))).findFirst().orElseThrow();
    assertThat(minted.getString("actor")).isEqualTo("alice");
    assertThat(minted.getString("target")).isEqualTo("Sales/Audited");
    assertThat(minted.getString("outcome")).isEqualTo("ok");
    assertThat(minted.getJsonObject("details").getString("user")).isEqualTo("alice@example.com");
    assertThat(minted.getJsonObject("details").getJsonArray("attributes").getList()).containsExactly("Region");
    assertThat(events).anyMatch(e -> e.getString("action").equals("embed.looker.url") && e.getString("target").equals("/embed/dashboards/43"));
    assertThat(events).anyMatch(e -> e.getString("action").equals("embed.tableau.token") && e.getString("target").equals("HR/Salaries")
        && e.getString("outcome").equals("denied"));
    for (ConsumerRecord<String, String> r : audit) {
      assertThat(r.value()).doesNotContain(token).doesNotContain(token.split("\\.")[2]).doesNotContain(signature)
          .doesNotContain(TABLEAU_SECRET).doesNotContain(LOOKER_SECRET);
    }

    assertThat(logs.list).isNotEmpty();
    for (ILoggingEvent e : List.copyOf(logs.list)) {
      String text = e.getFormattedMessage() + (e.getThrowableProxy() == null ? "" : e.getThrowableProxy().getMessage());
      for (String s : List.of(token, signature, TABLEAU_SECRET, LOOKER_SECRET, AUTH_KEY)) assertThat(text).doesNotContain(s);
    }
  }

  static Map<String, String> query(String url) {
    Map<String, String> out = new LinkedHashMap<>();
    for (String kv : URI.create(url).getRawQuery().split("&")) {
      int eq = kv.indexOf('=');
      out.put(kv.substring(0, eq), URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
    }
    return out;
  }
}
