package io.codex;

import picocli.CommandLine;
import picocli.CommandLine.Command;

/** The one entry point of {@code codex.jar}: {@code run}, {@code token}, {@code simulate}, {@code bench}, {@code help}. */
@Command(name = "codex", mixinStandardHelpOptions = true, version = "codex 0.1.0",
    description = "Reactive data and geospatial platform: device telemetry into Kafka, live maps, analytics.",
    subcommands = {RunCommand.class, TokenCommand.class, SimulateCommand.class, BenchCommand.class, CommandLine.HelpCommand.class})
public final class Codex implements Runnable {
  public static void main(String[] args) {
    // only `run` logs to stdout; the other commands keep stdout for their result (e.g. a token)
    if (args.length == 0 || !args[0].equals("run")) System.setProperty("codex.logTarget", "System.err");
    String format = logFormat(System.getProperty("codex.logFormat", System.getenv("CODEX_LOG_FORMAT")));
    if (format == null) {
      System.err.println("codex: CODEX_LOG_FORMAT (or -Dcodex.logFormat) must be json or text");
      System.exit(2);
    }
    // before the first logger exists; an explicit -Dlogback.configurationFile still wins
    if (format.equals("text") && System.getProperty("logback.configurationFile") == null) {
      System.setProperty("logback.configurationFile", "logback-text.xml");
    }
    System.exit(commandLine().execute(args));
  }

  /**
   * The log format: {@code json} (JSON lines, the default: DESIGN.md's logs, what collectors read) or
   * {@code text} (lines for a person at a terminal), as asked; null when asked for something else.
   */
  static String logFormat(String asked) {
    if (asked == null || asked.isBlank()) return "json";
    String f = asked.trim().toLowerCase(java.util.Locale.ROOT);
    return f.equals("json") || f.equals("text") ? f : null;
  }

  /** The command line as {@code codex.jar} runs it (enum values such as {@code --protocol mqtt} in any case). */
  public static CommandLine commandLine() {
    return new CommandLine(new Codex()).setCaseInsensitiveEnumValuesAllowed(true);
  }

  @Override
  public void run() {
    new CommandLine(this).usage(System.out);
  }
}
