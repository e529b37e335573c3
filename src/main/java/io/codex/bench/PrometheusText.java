package io.codex.bench;

import java.util.OptionalDouble;

/** Reading a node's {@code /metrics} (Prometheus text format) in the benches. */
final class PrometheusText {
  private PrometheusText() {}

  /**
   * The sum of the values of the samples whose line starts with one of {@code prefixes} (a metric
   * name, with {@code "{"} and labels or a space to tell it from longer names); empty when no line
   * does.
   */
  static OptionalDouble sum(String scrape, String... prefixes) {
    double sum = 0;
    boolean seen = false;
    for (String line : scrape.split("\n")) {
      for (String prefix : prefixes) {
        if (line.startsWith(prefix)) {
          sum += Double.parseDouble(line.substring(line.lastIndexOf(' ') + 1));
          seen = true;
          break;
        }
      }
    }
    return seen ? OptionalDouble.of(sum) : OptionalDouble.empty();
  }
}
