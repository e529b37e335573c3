package io.codex.config;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import io.codex.security.AuthSettings;
import io.codex.security.Role;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.time.Duration;
import java.util.List;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.params.ParameterizedTest;
import org.junit.jupiter.params.provider.CsvSource;
import org.junit.jupiter.params.provider.ValueSource;

class ConfigReaderTest {

  private enum Mode { EMBEDDED, EXTERNAL }

  private static ConfigReader http(Object port) {
    return ConfigReader.of(new JsonObject().put("http", new JsonObject().put("port", port))).section("http");
  }

  // ---- integers ------------------------------------------------------------------------------

  @Test
  void readsIntegerFromJsonNumber() {
    assertThat(http(8080).integer("port", 1, 1, 65535)).isEqualTo(8080);
  }

  @Test
  void readsIntegerFromStringAsEnvironmentVariablesGiveIt() {
    assertThat(http(" 9090 ").integer("port", 1, 1, 65535)).isEqualTo(9090);
  }

  @Test
  void readsIntegerFromWholeDouble() {
    assertThat(http(443.0).integer("port", 1, 1, 65535)).isEqualTo(443);
  }

  @Test
  void returnsDefaultForMissingOrBlankInteger() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("http", new JsonObject().put("blank", "  "))).section("http");
    assertThat(r.integer("port", 8080, 1, 65535)).isEqualTo(8080);
    assertThat(r.integer("blank", 7, 1, 65535)).isEqualTo(7);
  }

  @Test
  void returnsDefaultsWhenSectionIsMissing() {
    ConfigReader r = ConfigReader.of(new JsonObject()).section("http");
    assertThat(r.integer("port", 8080, 1, 65535)).isEqualTo(8080);
    assertThat(r.key("port")).isEqualTo("http.port");
  }

  @ParameterizedTest
  @ValueSource(ints = {0, 65536, -1})
  void rejectsPortOutOfRangeNamingTheKey(int port) {
    assertThatThrownBy(() -> http(port).integer("port", 8080, 1, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: ")
        .hasMessageContaining("between 1 and 65535")
        .hasMessageContaining(Integer.toString(port))
        .extracting(e -> ((ConfigException) e).key()).isEqualTo("http.port");
  }

  @Test
  void rejectsOutOfRangeIntegerGivenAsString() {
    assertThatThrownBy(() -> http("70000").integer("port", 8080, 1, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: ");
  }

  @Test
  void rejectsValueBeyondIntRangeInsteadOfWrappingAround() {
    // 2^32 + 80 would wrap to 80 if the reader cast before checking the range
    assertThatThrownBy(() -> http(4_294_967_376L).integer("port", 8080, 1, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: ");
  }

  @ParameterizedTest
  @ValueSource(strings = {"eighty", "80x", "1.5"})
  void rejectsNonNumericIntegerNamingTheKey(String value) {
    assertThatThrownBy(() -> http(value).integer("port", 8080, 1, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: ")
        .hasMessageContaining(value);
  }

  @Test
  void rejectsFractionalJsonNumber() {
    assertThatThrownBy(() -> http(80.5).integer("port", 8080, 1, 65535))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http.port: ");
  }

  @Test
  void rejectsScalarWhereSectionIsExpected() {
    JsonObject cfg = new JsonObject().put("http", "8080");
    assertThatThrownBy(() -> ConfigReader.of(cfg).section("http"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("http: ");
  }

  @Test
  void keepsFullPathInNestedSections() {
    JsonObject cfg = new JsonObject().put("a", new JsonObject().put("b", new JsonObject().put("c", "nope")));
    assertThatThrownBy(() -> ConfigReader.of(cfg).section("a").section("b").integer("c", 0, 0, 10))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("a.b.c: ");
  }

  // ---- strings -------------------------------------------------------------------------------

  @Test
  void requiredStringRejectsMissingAndBlank() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("s", new JsonObject().put("blank", " "))).section("s");
    assertThatThrownBy(() -> r.requiredString("missing")).isInstanceOf(ConfigException.class)
        .hasMessage("s.missing: is required");
    assertThatThrownBy(() -> r.requiredString("blank")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("s.blank: ");
  }

  @Test
  void stringRejectsMapValue() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("name", new JsonObject().put("x", 1)));
    assertThatThrownBy(() -> r.string("name", "d")).isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("name: ");
  }

  // ---- booleans ------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"true,true", "TRUE,true", "yes,true", "on,true", "1,true",
      "false,false", "No,false", "off,false", "0,false"})
  void readsBooleanWords(String text, boolean expected) {
    ConfigReader r = ConfigReader.of(new JsonObject().put("tls", new JsonObject().put("enabled", text))).section("tls");
    assertThat(r.bool("enabled", !expected)).isEqualTo(expected);
  }

  @Test
  void readsJsonBooleanAndDefault() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("on", true).put("off", false));
    assertThat(r.bool("on", false)).isTrue();
    assertThat(r.bool("off", true)).isFalse();
    assertThat(r.bool("missing", true)).isTrue();
    assertThat(r.bool("missing", false)).isFalse();
  }

  @Test
  void rejectsNonBooleanNamingTheKey() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("tls", new JsonObject().put("enabled", "maybe"))).section("tls");
    assertThatThrownBy(() -> r.bool("enabled", false))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("tls.enabled: ")
        .hasMessageContaining("maybe");
  }

  // ---- durations -----------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"500ms,500", "30s,30000", "10m,600000", "1h,3600000", "7d,604800000", "250,250", "15 s,15000"})
  void parsesDurations(String text, long millis) {
    ConfigReader r = ConfigReader.of(new JsonObject().put("t", new JsonObject().put("timeout", text))).section("t");
    assertThat(r.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(millis));
  }

  @Test
  void bareNumericDurationIsMilliseconds() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("timeout", 1500));
    assertThat(r.duration("timeout", Duration.ZERO)).isEqualTo(Duration.ofMillis(1500));
  }

  @Test
  void missingDurationGivesDefault() {
    assertThat(ConfigReader.of(new JsonObject()).duration("timeout", Duration.ofSeconds(3)))
        .isEqualTo(Duration.ofSeconds(3));
  }

  @ParameterizedTest
  @ValueSource(strings = {"soon", "10 minutes", "1.5s", "-5s", "5w", "s", "ms10"})
  void rejectsGarbageDurationNamingTheKey(String text) {
    ConfigReader r = ConfigReader.of(new JsonObject().put("t", new JsonObject().put("timeout", text))).section("t");
    assertThatThrownBy(() -> r.duration("timeout", Duration.ZERO))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("t.timeout: ")
        .hasMessageContaining(text);
  }

  // ---- sizes ---------------------------------------------------------------------------------

  @ParameterizedTest
  @CsvSource({"64k,65536", "512m,536870912", "1g,1073741824", "1G,1073741824", "64kb,65536", "1000,1000"})
  void parsesByteSizes(String text, long expected) {
    ConfigReader r = ConfigReader.of(new JsonObject().put("body", new JsonObject().put("limit", text))).section("body");
    assertThat(r.bytes("limit", 0, 0, Long.MAX_VALUE)).isEqualTo(expected);
  }

  @Test
  void rejectsGarbageByteSizeNamingTheKey() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("body", new JsonObject().put("limit", "lots"))).section("body");
    assertThatThrownBy(() -> r.bytes("limit", 0, 0, Long.MAX_VALUE))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("body.limit: ")
        .hasMessageContaining("lots");
  }

  @Test
  void rejectsByteSizeOutOfRangeNamingTheKey() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("body", new JsonObject().put("limit", "2g"))).section("body");
    assertThatThrownBy(() -> r.bytes("limit", 0, 1024, 1L << 30))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("body.limit: ")
        .hasMessageContaining(Long.toString(2L << 30));
  }

  @Test
  void missingByteSizeGivesDefault() {
    assertThat(ConfigReader.of(new JsonObject()).bytes("limit", 4096, 0, 1 << 20)).isEqualTo(4096);
  }

  // ---- lists ---------------------------------------------------------------------------------

  @Test
  void readsStringsFromYamlList() {
    JsonObject cfg = new JsonObject().put("cors", new JsonObject()
        .put("origins", new JsonArray().add(" https://a.example ").add("https://b.example").add("").add(42)));
    assertThat(ConfigReader.of(cfg).section("cors").strings("origins"))
        .containsExactly("https://a.example", "https://b.example", "42");
  }

  @Test
  void readsStringsFromCommaSeparatedString() {
    JsonObject cfg = new JsonObject().put("cors", new JsonObject().put("origins", "https://a.example, https://b.example,,"));
    assertThat(ConfigReader.of(cfg).section("cors").strings("origins"))
        .containsExactly("https://a.example", "https://b.example");
  }

  @Test
  void missingStringsIsEmptyList() {
    assertThat(ConfigReader.of(new JsonObject()).strings("origins")).isEmpty();
  }

  @Test
  void rejectsNestedValuesInStringList() {
    JsonObject cfg = new JsonObject().put("cors", new JsonObject()
        .put("origins", new JsonArray().add(new JsonObject().put("x", 1))));
    assertThatThrownBy(() -> ConfigReader.of(cfg).section("cors").strings("origins"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("cors.origins: ");
  }

  @Test
  void sectionsCarryTheirIndexInTheKey() {
    JsonObject cfg = new JsonObject().put("auth", new JsonObject().put("clients", new JsonArray()
        .add(new JsonObject().put("clientId", "a").put("roles", "viewer"))
        .add(new JsonObject().put("clientId", "b").put("roles", new JsonArray().add("viewer").add("wizard")))));
    List<ConfigReader> clients = ConfigReader.of(cfg).section("auth").sections("clients");

    assertThat(clients).hasSize(2);
    assertThat(clients.get(0).requiredString("clientId")).isEqualTo("a");
    assertThat(clients.get(1).key("roles")).isEqualTo("auth.clients[1].roles");
    assertThat(AuthSettings.roles(clients.get(0), "roles")).containsExactly(Role.VIEWER);
    assertThatThrownBy(() -> AuthSettings.roles(clients.get(1), "roles"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.clients[1].roles: ")
        .hasMessageContaining("wizard");
  }

  @Test
  void rejectsNonSectionListElementNamingItsIndex() {
    JsonObject cfg = new JsonObject().put("auth", new JsonObject().put("clients", new JsonArray()
        .add(new JsonObject().put("clientId", "a")).add("b")));
    assertThatThrownBy(() -> ConfigReader.of(cfg).section("auth").sections("clients"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.clients[1]: ");
  }

  @Test
  void rejectsScalarWhereListOfSectionsIsExpected() {
    JsonObject cfg = new JsonObject().put("auth", new JsonObject().put("clients", "a,b"));
    assertThatThrownBy(() -> ConfigReader.of(cfg).section("auth").sections("clients"))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("auth.clients: ");
  }

  // ---- enums ---------------------------------------------------------------------------------

  @Test
  void oneOfMatchesIgnoringCaseAndDefaults() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("kafka", new JsonObject().put("mode", " External "))).section("kafka");
    assertThat(r.oneOf("mode", Mode.class, Mode.EMBEDDED)).isEqualTo(Mode.EXTERNAL);
    assertThat(r.oneOf("other", Mode.class, Mode.EMBEDDED)).isEqualTo(Mode.EMBEDDED);
  }

  @Test
  void oneOfRejectsUnknownValueListingTheChoices() {
    ConfigReader r = ConfigReader.of(new JsonObject().put("kafka", new JsonObject().put("mode", "cloud"))).section("kafka");
    assertThatThrownBy(() -> r.oneOf("mode", Mode.class, Mode.EMBEDDED))
        .isInstanceOf(ConfigException.class)
        .hasMessageStartingWith("kafka.mode: ")
        .hasMessageContaining("embedded")
        .hasMessageContaining("external")
        .hasMessageContaining("cloud");
  }

  @org.junit.jupiter.api.Test
  void hugeSizesAndDurationsFailNamingTheKeyInsteadOfOverflowing() {
    io.vertx.core.json.JsonObject cfg = new io.vertx.core.json.JsonObject().put("jvm", new io.vertx.core.json.JsonObject()
        .put("maxHeap", "17179869184g").put("ttl", "99999999999999999999s").put("old", "9223372036854775807d"));
    ConfigReader jvm = ConfigReader.of(cfg).section("jvm");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> jvm.bytes("maxHeap", 1, 1, Long.MAX_VALUE))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("jvm.maxHeap: ");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> jvm.duration("ttl", java.time.Duration.ZERO))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("jvm.ttl: ");
    org.assertj.core.api.Assertions.assertThatThrownBy(() -> jvm.duration("old", java.time.Duration.ZERO))
        .isInstanceOf(ConfigException.class).hasMessageStartingWith("jvm.old: ");
  }
}
