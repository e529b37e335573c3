package io.codex.bench;

import java.time.Duration;

/** The public door to {@link IngestBench} for the command line. */
public final class IngestBenchLauncher {
  public static final java.util.List<String> SCENARIOS = IngestBench.SCENARIOS;

  public int run(double seconds, double warmUpSeconds, Duration soak, java.util.Set<String> only, double mqttRate) throws Exception {
    return new IngestBench(seconds, warmUpSeconds, soak, only, mqttRate).run();
  }
}
