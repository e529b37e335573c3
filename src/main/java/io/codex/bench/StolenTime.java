package io.codex.bench;

import java.io.IOException;
import java.nio.file.Files;
import java.nio.file.Path;

/**
 * The CPU time the hypervisor gave to other guests while this machine wanted it ({@code steal} in
 * /proc/stat), from a start to now, as a share of all the machine's CPU time. On a virtual machine a
 * scenario's rate can fall by half when the host is busy, while its CPU per record hardly moves;
 * printing the steal lets a reader tell such a line from a slower build.
 */
final class StolenTime {
  private static final Path PROC_STAT = Path.of("/proc/stat");
  /** Clock ticks per second of /proc/stat (USER_HZ), 100 on Linux. */
  private static final int USER_HZ = 100;

  private final long ticks;
  private final int cpus;
  private final long nanos;

  private StolenTime(String procStat, long nanos) {
    this.ticks = procStat == null ? -1 : stealTicks(procStat);
    this.cpus = procStat == null ? 0 : cpus(procStat);
    this.nanos = nanos;
  }

  /** From now on. */
  static StolenTime start() {
    return new StolenTime(read(), System.nanoTime());
  }

  /** {@code "  steal=N%"} since the start, or "" when /proc/stat cannot be read (not Linux). */
  String since() {
    String text = read();
    long now = text == null ? -1 : stealTicks(text);
    if (ticks < 0 || now < 0 || cpus == 0) return "";
    double seconds = (System.nanoTime() - nanos) / 1e9;
    return String.format("  steal=%.0f%%", percent(now - ticks, seconds, cpus));
  }

  /** The machine's CPUs, as /proc/stat counts them (its {@code cpuN} lines; the JVM's count may be a container's share). */
  static int cpus(String procStat) {
    int n = 0;
    for (String line : procStat.split("\n")) {
      if (line.length() > 3 && line.startsWith("cpu") && Character.isDigit(line.charAt(3))) n++;
    }
    return n;
  }

  /** Stolen ticks as a share (%) of {@code cpus} CPUs' time over {@code seconds}. */
  static double percent(long stolenTicks, double seconds, int cpus) {
    return seconds <= 0 || cpus <= 0 ? 0 : stolenTicks * 100.0 / (seconds * USER_HZ * cpus);
  }

  /** The steal column (the eighth number) of the {@code cpu} line of a /proc/stat text; -1 without one. */
  static long stealTicks(String procStat) {
    for (String line : procStat.split("\n")) {
      if (!line.startsWith("cpu ")) continue;
      String[] f = line.trim().split("\\s+");
      try {
        return f.length > 8 ? Long.parseLong(f[8]) : -1;
      } catch (NumberFormatException e) {
        return -1;
      }
    }
    return -1;
  }

  /** /proc/stat's text, or null when it cannot be read. */
  private static String read() {
    try {
      return Files.readString(PROC_STAT);
    } catch (IOException | RuntimeException e) {
      return null;
    }
  }
}
