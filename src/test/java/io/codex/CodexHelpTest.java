package io.codex;

import static org.assertj.core.api.Assertions.assertThat;

import java.io.PrintWriter;
import java.io.StringWriter;
import org.junit.jupiter.api.Test;
import picocli.CommandLine;

/** `codex help` and `codex help <command>`: what someone who forgot an option types first. */
class CodexHelpTest {
  private static String run(String... args) {
    StringWriter out = new StringWriter();
    CommandLine cli = Codex.commandLine();
    cli.setOut(new PrintWriter(out));
    cli.setErr(new PrintWriter(out));
    assertThat(cli.execute(args)).as(String.join(" ", args)).isZero();
    return out.toString();
  }

  @Test
  void helpListsTheCommands() {
    assertThat(run("help")).contains("run", "token", "simulate", "bench", "help");
  }

  @Test
  void helpWithACommandShowsItsOptions() {
    assertThat(run("help", "simulate")).contains("Usage: codex simulate", "--devices", "--rate", "--protocol");
    assertThat(run("help", "token")).contains("Usage: codex token", "--role");
  }
}
