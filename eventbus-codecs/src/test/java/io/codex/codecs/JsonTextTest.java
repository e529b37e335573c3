package io.codex.codecs;

import static org.assertj.core.api.Assertions.assertThat;
import static org.assertj.core.api.Assertions.assertThatThrownBy;

import java.nio.charset.StandardCharsets;
import org.junit.jupiter.api.Test;

class JsonTextTest {

  @Test
  void readsTheUtf8SliceAsTheTextItHolds() {
    byte[] value = "{\"payload\":{\"note\":\"ünï ☃\",\"n\":1},\"x\":2}".getBytes(StandardCharsets.UTF_8);
    int from = "{\"payload\":".length();
    int to = value.length - ",\"x\":2}".getBytes(StandardCharsets.UTF_8).length;
    JsonText t = JsonText.utf8(value, from, to);
    assertThat(t.firstChar()).isEqualTo('{');
    assertThat(t.toString()).isEqualTo("{\"note\":\"ünï ☃\",\"n\":1}");
    assertThat(t.toString()).isSameAs(t.toString());
  }

  @Test
  void equalsTheSameTextMadeFromAString() {
    byte[] b = "xx{\"a\":1}yy".getBytes(StandardCharsets.UTF_8);
    JsonText fromBytes = JsonText.utf8(b, 2, 9);
    assertThat(fromBytes).isEqualTo(JsonText.of("{\"a\":1}")).hasSameHashCodeAs(JsonText.of("{\"a\":1}"));
    assertThat(fromBytes).isNotEqualTo(JsonText.of("{\"a\":2}"));
    TelemetryRecord viaString = new TelemetryRecord("i", "d", "t", "r", "s", "{\"a\":1}", 1.0, 2.0, null, null, 0, 5);
    TelemetryRecord viaBytes = new TelemetryRecord("i", "d", "t", "r", "s", fromBytes, 1.0, 2.0, null, null, 0, 5);
    assertThat(viaBytes).isEqualTo(viaString);
    assertThat(viaBytes.payloadJson()).isEqualTo("{\"a\":1}");
  }

  @Test
  void emptyAndNull() {
    assertThat(JsonText.of(null)).isNull();
    assertThat(JsonText.of("").firstChar()).isEqualTo(-1);
    assertThat(JsonText.utf8(new byte[3], 1, 1).firstChar()).isEqualTo(-1);
    assertThat(new TelemetryRecord("i", "d", "t", "r", "s", (String) null, null, null, null, null, -1, -1).payloadJson()).isNull();
    assertThatThrownBy(() -> JsonText.utf8(new byte[3], 2, 4)).isInstanceOf(IndexOutOfBoundsException.class);
  }
}
