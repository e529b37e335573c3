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
    System.exit(commandLine().execute(args));
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
