package io.codex.bench;

import java.time.Duration;

/** The public door to {@link IngestBench} for the command line. */
public final class IngestBenchLauncher {
  public int run(double seconds, double warmUpSeconds, Duration soak) throws Exception {
    return new IngestBench(seconds, warmUpSeconds, soak).run();
  }
}
