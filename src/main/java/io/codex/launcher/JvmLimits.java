package io.codex.launcher;

import java.lang.management.ManagementFactory;
import java.util.ArrayList;
import java.util.List;
import java.util.regex.Pattern;

/**
 * Keeps {@code run} within the configured memory even when started as a bare
 * {@code java -jar codex.jar run}: if this JVM was not started with the limits, it starts a child
 * JVM that has them (same jar, same arguments), passes signals on and exits with its code.
 */
public final class JvmLimits {
  static final String RELAUNCHED = "codex.relaunched";
  /** A JVM option that chooses the garbage collector, such as {@code -XX:+UseG1GC}. */
  private static final Pattern COLLECTOR = Pattern.compile("-XX:\\+Use\\w+GC");

  private JvmLimits() {}

  public static boolean needsRelaunch(LaunchSettings s) {
    if (!s.relaunch() || Boolean.getBoolean(RELAUNCHED)) return false;
    List<String> args = ManagementFactory.getRuntimeMXBean().getInputArguments();
    boolean heapSet = args.stream().anyMatch(a -> a.startsWith("-Xmx") || a.startsWith("-XX:MaxRAMPercentage"));
    boolean directSet = args.stream().anyMatch(a -> a.startsWith("-XX:MaxDirectMemorySize"));
    return !(heapSet && directSet);
  }

  public static List<String> jvmFlags(LaunchSettings s) {
    List<String> flags = new ArrayList<>();
    flags.add("-Xmx" + (s.maxHeap() >> 20) + "m");
    flags.add("-Xms64m");
    flags.add("-XX:MaxDirectMemorySize=" + (s.maxDirectMemory() >> 20) + "m");
    flags.add("-XX:+ExitOnOutOfMemoryError");
    List<String> options = s.jvmOptions().isBlank() ? List.of() : List.of(s.jvmOptions().trim().split("\\s+"));
    // the parallel collector unless jvm.options names one: on two cores it gave HTTP ingest 10-16 %
    // more records/s than G1, whose write barriers and concurrent threads compete with the event
    // loops (docs/benchmarks.md, "Garbage collector"); G1 ("-XX:+UseG1GC
    // -XX:G1PeriodicGCInterval=30000") gives idle memory back to the OS, which this one does not
    if (options.stream().noneMatch(o -> COLLECTOR.matcher(o).matches())) flags.add("-XX:+UseParallelGC");
    flags.add("-XX:MaxMetaspaceSize=256m");
    flags.add("-Xss512k");
    flags.addAll(options);
    return flags;
  }

  public static int relaunch(LaunchSettings s, List<String> originalArgs) throws Exception {
    List<String> cmd = new ArrayList<>();
    cmd.add(ProcessHandle.current().info().command().orElse("java"));
    cmd.addAll(jvmFlags(s));
    // keep the -D flags this JVM was given (e.g. -Dcodex.http.port, -Dlogback.configurationFile)
    for (String a : ManagementFactory.getRuntimeMXBean().getInputArguments()) {
      if (a.startsWith("-D")) cmd.add(a);
    }
    cmd.add("-D" + RELAUNCHED + "=true");
    cmd.add("-cp");
    cmd.add(System.getProperty("java.class.path"));
    cmd.add("io.codex.Codex");
    cmd.addAll(originalArgs);
    Process child = new ProcessBuilder(cmd).inheritIO().start();
    Runtime.getRuntime().addShutdownHook(new Thread(() -> {
      if (child.isAlive()) {
        child.destroy(); // SIGTERM: the child shuts down cleanly
        try {
          child.waitFor();
        } catch (InterruptedException e) {
          Thread.currentThread().interrupt();
        }
      }
    }, "codex-relaunch-forward"));
    return child.waitFor();
  }
}
