package io.codex;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How codex logs: JSON lines unless CODEX_LOG_FORMAT asks for text. */
class LogFormatTest {
  @Test
  void asAskedInAnyCase() {
    assertThat(Codex.logFormat("json")).isEqualTo("json");
    assertThat(Codex.logFormat(" TEXT ")).isEqualTo("text");
  }

  @Test
  void unaskedJson() {
    assertThat(Codex.logFormat(null)).isEqualTo("json");
    assertThat(Codex.logFormat("")).isEqualTo("json");
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(Codex.logFormat("xml")).isNull();
  }
}
