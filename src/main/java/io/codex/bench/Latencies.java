package io.codex.bench;

import java.util.Arrays;

/** Latency samples in microseconds (bounded: past the cap, every other sample is kept). */
class Latencies {
  private long[] samples = new long[1 << 16];
  private int n;
  private int stride = 1;
  private long seen;

  synchronized void add(long nanos) {
    if (seen++ % stride != 0) return;
    if (n == samples.length) {
      if (samples.length < (1 << 22)) {
        samples = Arrays.copyOf(samples, samples.length * 2);
      } else {
        for (int i = 0; i < n / 2; i++) samples[i] = samples[i * 2];
        n /= 2;
        stride *= 2;
      }
    }
    samples[n++] = nanos / 1000;
  }

  synchronized double percentileMs(double p) {
    if (n == 0) return Double.NaN;
    long[] sorted = Arrays.copyOf(samples, n);
    Arrays.sort(sorted);
    int i = (int) Math.min(n - 1, Math.ceil(p / 100.0 * n) - 1);
    return sorted[Math.max(0, i)] / 1000.0;
  }
}
