package io.codex.embed;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.config.ConfigException;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

class EmbedConfigTest {
  @TempDir Path dir;

  @Test
  void anEmptySectionIsValidAndEveryProductNamesWhatItMisses() {
    EmbedConfig c = EmbedConfig.from(new JsonObject());
    assertThat(c.allowlist().isEmpty()).isTrue();
    assertThat(c.tableau().missingKeys()).containsExactly("embed.tableau.clientId", "embed.tableau.secretId",
        "embed.tableau.secretValue", "embed.tableau.server");
    assertThat(c.looker().missingKeys()).containsExactly("embed.looker.host", "embed.looker.secret");
    assertThat(c.tableau().scopes()).containsExactly("tableau:views:embed");
    assertThat(c.tableau().ttl()).isEqualTo(Duration.ofMinutes(5));
    assertThat(c.tableau().user().claims()).containsExactly("sub");
    assertThat(c.looker().permissions()).contains("access_data");
  }

  @Test
  void readsRolesAndAttributeMappingsFromMapsOrEnvStyleLists() {
    EmbedConfig c = EmbedConfig.from(EmbedFixtures.config());
    assertThat(c.tableau().missingKeys()).isEmpty();
    assertThat(c.tableau().userAttributes()).containsExactly(new EmbedConfig.AttributeMapping("Region", "region"),
        new EmbedConfig.AttributeMapping("Tenant", "tenant"));
    assertThat(c.looker().userAttributes()).containsExactly(new EmbedConfig.AttributeMapping("region", "region"));
    assertThat(c.role(Role.ANALYST).tableauScopes()).containsExactly("tableau:views:embed", "tableau:views:embed_authoring");
    assertThat(c.role(Role.VIEWER).tableauScopes()).isEmpty();
    assertThat(c.referencedClaims()).containsExactly("email", "region", "tenant", "sub");

    JsonObject env = new JsonObject().put("embed", new JsonObject().put("allowlist", "Sales/*, looker:dashboards/*")
        .put("tableau", new JsonObject().put("userAttributes", "Region=region,Tenant=org")));
    EmbedConfig e = EmbedConfig.from(env);
    assertThat(e.allowlist().allows(Kind.LOOKER, "dashboards/1")).isTrue();
    assertThat(e.tableau().userAttributes()).extracting(EmbedConfig.AttributeMapping::claim).containsExactly("region", "org");
  }

  @Test
  void rejectsBadValuesNamingTheKey() {
    assertBad("tableau", new JsonObject().put("server", "tableau.example.com"), "embed.tableau.server");
    assertBad("tableau", new JsonObject().put("server", "https://t.example.com/path"), "embed.tableau.server");
    assertBad("tableau", new JsonObject().put("ttl", "11m"), "embed.tableau.ttl");
    assertBad("tableau", new JsonObject().put("site", "a/b"), "embed.tableau.site");
    assertBad("tableau", new JsonObject().put("userAttributes", new JsonArray().add("sub=email")), "embed.tableau.userAttributes");
    assertBad("tableau", new JsonObject().put("userAttributes", new JsonArray().add("https://tableau.com/oda=x")), "embed.tableau.userAttributes");
    assertBad("tableau", new JsonObject().put("userAttributes", new JsonArray().add("Region")), "embed.tableau.userAttributes");
    assertBad("tableau", new JsonObject().put("user", "{sub"), "embed.tableau.user");
    assertBad("looker", new JsonObject().put("host", "https://l.example.com/x"), "embed.looker.host");
    assertBad("looker", new JsonObject().put("sessionLength", "2h"), "embed.looker.sessionLength");
    assertBad("looker", new JsonObject().put("groupIds", new JsonArray().add("admins")), "embed.looker.groupIds");
    assertBad("links", new JsonObject().put("secret", "short"), "embed.links.secret");
    assertBad("links", new JsonObject().put("defaultTtl", "60d"), "embed.links.defaultTtl");
    assertBad("roles", new JsonObject().put("device", new JsonObject()), "embed.roles.device");
    assertBad("roles", new JsonObject().put("superuser", new JsonObject()), "embed.roles.superuser");
  }

  private static void assertBad(String section, JsonObject value, String key) {
    JsonObject cfg = new JsonObject().put("embed", new JsonObject().put(section, value));
    assertThatThrownBy(() -> EmbedConfig.from(cfg)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith(key + ": ");
  }

  @Test
  void acceptsTheLookerHostWithASchemeAndTrailingSlash() {
    EmbedConfig c = EmbedConfig.from(new JsonObject().put("embed", new JsonObject()
        .put("looker", new JsonObject().put("host", "https://analytics.example.com:19999/"))));
    assertThat(c.looker().host()).isEqualTo("analytics.example.com:19999");
  }

  @Test
  void secretsComeFromFilesUnlessSetAndAreNeverPrinted() throws Exception {
    Path tableau = dir.resolve("tableau.secret");
    Files.writeString(tableau, EmbedFixtures.SECRET_VALUE + "\n");
    Path looker = dir.resolve("looker.secret");
    Files.writeString(looker, "from-the-file-0123456789");
    JsonObject cfg = new JsonObject().put("embed", new JsonObject()
        .put("tableau", new JsonObject().put("secretValue", "").put("secretValueFile", tableau.toString()))
        .put("looker", new JsonObject().put("secret", "from-env-0123456789").put("secretFile", looker.toString())));
    EmbedConfig.resolveSecretFiles(cfg);
    EmbedConfig c = EmbedConfig.from(cfg);
    assertThat(c.tableau().secretValue()).isEqualTo(EmbedFixtures.SECRET_VALUE);
    assertThat(c.looker().secret()).as("an env var wins over a file").isEqualTo("from-env-0123456789");
    assertThat(c.toString()).doesNotContain(EmbedFixtures.SECRET_VALUE).doesNotContain("from-env-0123456789");

    JsonObject missing = new JsonObject().put("embed", new JsonObject()
        .put("links", new JsonObject().put("secretFile", dir.resolve("nope").toString())));
    assertThatThrownBy(() -> EmbedConfig.resolveSecretFiles(missing)).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("embed.links.secretFile: ");
  }

  @Test
  void envNamesFollowTheLaunchersRule() {
    assertThat(EmbedConfig.envName("embed.tableau.clientId")).isEqualTo("CODEX_EMBED_TABLEAU_CLIENT_ID");
    assertThat(EmbedConfig.envName("embed.tableau.secretValue")).isEqualTo("CODEX_EMBED_TABLEAU_SECRET_VALUE");
    assertThat(EmbedConfig.envName("embed.looker.secret")).isEqualTo("CODEX_EMBED_LOOKER_SECRET");
    assertThat(EmbedConfig.envName("embed.allowlist")).isEqualTo("CODEX_EMBED_ALLOWLIST");
  }

  @Test
  void allowlistWildcardsMatchAnyRunOfCharacters() {
    Allowlist a = Allowlist.of("k", List.of("Sales/*", "looker:dashboards/4?", "*/Public", "tableau:Exact/View"));
    assertThat(a.allows(Kind.TABLEAU, "Sales/Overview")).isTrue();
    assertThat(a.allows(Kind.LOOKER, "Sales/Overview")).as("no prefix: both products").isTrue();
    assertThat(a.allows(Kind.TABLEAU, "Sales")).isFalse();
    assertThat(a.allows(Kind.TABLEAU, "SalesX/Overview")).isFalse();
    assertThat(a.allows(Kind.LOOKER, "dashboards/4?")).as("? is literal, not a wildcard").isTrue();
    assertThat(a.allows(Kind.LOOKER, "dashboards/42")).isFalse();
    assertThat(a.allows(Kind.TABLEAU, "dashboards/4?")).isFalse();
    assertThat(a.allows(Kind.TABLEAU, "Any/Public")).isTrue();
    assertThat(a.allows(Kind.TABLEAU, "Exact/View")).isTrue();
    assertThat(a.allows(Kind.LOOKER, "Exact/View")).isFalse();
    assertThat(a.allows(Kind.TABLEAU, "Exact/ViewX")).isFalse();
    assertThat(Allowlist.of("k", List.of("*")).allows(Kind.LOOKER, "anything/at/all")).isTrue();
    assertThat(Allowlist.of("k", List.of()).allows(Kind.TABLEAU, "Sales/Overview")).isFalse();
    assertThatThrownBy(() -> Allowlist.of("embed.allowlist", List.of("tableau:"))).isInstanceOf(ConfigException.class);
  }
}
