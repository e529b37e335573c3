package io.codex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.util.Map;
import org.junit.jupiter.api.Test;

class BenchServerTest {
  @Test
  void readsUserPlusSystemTimeAfterACommandNameWithSpacesAndParentheses() {
    // fields 14 and 15 (utime 250, stime 30 ticks of 10 ms), after a thread name as /proc shows it
    String stat = "1234 (C2 CompilerThre) S 1 1 1 0 -1 4194624 100 0 0 0 250 30 0 0 20 0 1 0 100";
    assertThat(BenchServer.statMillis(stat)).isEqualTo(2800);
    assertThat(BenchServer.statMillis("7 (a) b) R 1 1 1 0 -1 0 0 0 0 0 3 4 0 0 20 0 1 0 100")).isEqualTo(70);
  }

  @Test
  void countsOnlyTheThreadsItIsAskedFor() throws Exception {
    long pid = ProcessHandle.current().pid();
    Thread burner = new Thread(() -> {
      long end = System.nanoTime() + 400_000_000L;
      long x = 0;
      while (System.nanoTime() < end) x += System.nanoTime() % 7;
      if (x == 42) System.out.print("");
    }, "cpu-burner");
    burner.start();
    Thread.sleep(350);   // read while it runs: an ended thread is no longer listed
    long burnt = BenchServer.threadCpuMillis(pid, name -> name.equals("cpu-burner"));
    burner.join();
    assertThat(burnt).isBetween(150L, 450L);
    assertThat(BenchServer.threadCpuMillis(pid, name -> name.equals("no-such-thread"))).isZero();
    assertThat(BenchServer.threadCpuMillis(pid, name -> true)).isPositive().isLessThanOrEqualTo(BenchServer.cpuMillis(pid));
  }

  @Test
  void removesTheServersDataWhenDoneSoRunsDoNotFillTheDisk(@org.junit.jupiter.api.io.TempDir java.nio.file.Path tmp) throws Exception {
    java.nio.file.Path data = tmp.resolve("data");
    java.nio.file.Files.createDirectories(data.resolve("kafka/codex.telemetry-0"));
    java.nio.file.Files.writeString(data.resolve("kafka/codex.telemetry-0/00000000000000000000.log"), "records");
    java.nio.file.Files.writeString(tmp.resolve("server.log"), "log");
    BenchServer.deleteRecursively(data);
    assertThat(data).doesNotExist();
    assertThat(tmp.resolve("server.log")).as("the server's log stays").exists();
    BenchServer.deleteRecursively(data);   // already gone: nothing to do
  }

  @Test
  void groupsTheServersThreadsByWhatTheyDo() {
    // names as /proc shows them: cut to 15 characters
    assertThat(BenchServer.threadGroup("vert.x-eventloo")).isEqualTo("event loops");
    assertThat(BenchServer.threadGroup("kafka-producer-")).isEqualTo("Kafka producer");
    assertThat(BenchServer.threadGroup("data-plane-kafk")).isEqualTo("broker");
    assertThat(BenchServer.threadGroup("codex-telemetry")).isEqualTo("live feed");
    assertThat(BenchServer.threadGroup("GC Thread#1")).isEqualTo("GC");
    assertThat(BenchServer.threadGroup("G1 Refine#0")).isEqualTo("GC");
    assertThat(BenchServer.threadGroup("C2 CompilerThre")).isEqualTo("JIT");
    assertThat(BenchServer.threadGroup("codex-geofence-")).isEqualTo("other");
  }

  @Test
  void splitsTheCpuUsedBetweenTwoReadingsLargestFirst() {
    Map<String, Long> before = Map.of("event loops", 1000L, "broker", 500L, "GC", 100L);
    Map<String, Long> after = Map.of("event loops", 1600L, "broker", 700L, "GC", 100L, "live feed", 200L);
    assertThat(BenchServer.cpuSplit(before, after))
        .isEqualTo("(server CPU by thread: event loops 60 %, broker 20 %, live feed 20 %)");
    assertThat(BenchServer.cpuSplit(after, after)).as("nothing used").isEmpty();
  }

  @Test
  void splitsThisJvmsOwnThreads() throws Exception {
    Map<String, Long> m = BenchServer.threadCpuMillisByGroup(ProcessHandle.current().pid(), BenchServer::threadGroup);
    assertThat(m).containsKey("other");
    assertThat(m.values().stream().mapToLong(Long::longValue).sum()).isPositive()
        .isLessThanOrEqualTo(BenchServer.cpuMillis(ProcessHandle.current().pid()));
  }

  @Test
  void startsTheServerWithTheJvmSettingsRunWouldTakeFromTheEnvironment() {
    assertThat(BenchServer.runJvmFlags(Map.of())).contains("-Xmx512m", "-XX:+UseParallelGC").doesNotContain("-Xlog:gc");
    assertThat(BenchServer.runJvmFlags(Map.of("CODEX_JVM_MAX_HEAP", "1g", "CODEX_JVM_OPTIONS", "-Xlog:gc -XX:+AlwaysPreTouch")))
        .contains("-Xmx1024m", "-Xlog:gc", "-XX:+AlwaysPreTouch", "-XX:+UseParallelGC").doesNotContain("-Xmx512m");
    // a collector named in jvm.options replaces the default one (two would stop the JVM from starting)
    assertThat(BenchServer.runJvmFlags(Map.of("CODEX_JVM_OPTIONS", "-XX:+UseG1GC -XX:G1PeriodicGCInterval=30000")))
        .contains("-XX:+UseG1GC", "-XX:G1PeriodicGCInterval=30000").doesNotContain("-XX:+UseParallelGC");
  }
}
