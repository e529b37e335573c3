package io.codex.bench;

/** The public door to {@link EmbedBench} for the command line. */
public final class EmbedBenchLauncher {
  public int run(double seconds) throws Exception {
    return new EmbedBench(seconds).run();
  }
}
