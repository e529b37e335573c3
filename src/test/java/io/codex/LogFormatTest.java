package io.codex;

import static org.assertj.core.api.Assertions.assertThat;

import org.junit.jupiter.api.Test;

/** How codex logs: as asked (CODEX_LOG_FORMAT), else lines for a person at a terminal, JSON for the rest. */
class LogFormatTest {
  @Test
  void asAskedInAnyCase() {
    assertThat(Codex.logFormat("json", true)).isEqualTo("json");
    assertThat(Codex.logFormat(" TEXT ", false)).isEqualTo("text");
  }

  @Test
  void unaskedTextAtATerminalAndJsonElsewhere() {
    assertThat(Codex.logFormat(null, true)).isEqualTo("text");
    assertThat(Codex.logFormat("", false)).isEqualTo("json");
  }

  @Test
  void anythingElseIsRefused() {
    assertThat(Codex.logFormat("xml", true)).isNull();
  }
}
