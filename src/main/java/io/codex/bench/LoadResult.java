package io.codex.bench;

/** What one load scenario achieved. */
record LoadResult(String name, String shape, long records, long errors, double seconds, Latencies latencies) {
  double recordsPerSecond() {
    return records / seconds;
  }

  String line(String extra) {
    return line("records", extra);
  }

  /** The same line with what was counted named {@code unit} (records, tokens …). */
  String line(String unit, String extra) {
    return String.format("%-16s %-22s %s/s=%,10.0f  p50=%7.2fms  p99=%7.2fms  errors=%d%s", name, shape, unit,
        recordsPerSecond(), latencies.percentileMs(50), latencies.percentileMs(99), errors, extra);
  }
}
