package io.codex.bench;

import static org.junit.jupiter.api.Assertions.assertEquals;

import org.junit.jupiter.api.Test;

class StolenTimeTest {

  @Test
  void theStealColumnIsReadFromTheMachineWideCpuLine() {
    String stat = "cpu  1157593 243 263181 1113438 7380 0 73836 69185 0 0\n"
        + "cpu0 578796 121 131590 556719 3690 0 36918 34592 0 0\n"
        + "intr 123 0 0\n";
    assertEquals(69185, StolenTime.stealTicks(stat));
    assertEquals(-1, StolenTime.stealTicks("cpu  1 2 3 4\n"), "a kernel without the column");
    assertEquals(-1, StolenTime.stealTicks("intr 1 2\n"));
    assertEquals(2, StolenTime.cpus(stat + "cpu1 578796 121 131590 556719 3690 0 36918 34592 0 0\n"));
  }

  @Test
  void stolenTicksAreAShareOfAllTheCpusTime() {
    // 2 CPUs for 10 s are 2,000 ticks: 500 stolen is a quarter
    assertEquals(25.0, StolenTime.percent(500, 10, 2), 1e-9);
    assertEquals(0.0, StolenTime.percent(0, 10, 2), 1e-9);
    assertEquals(0.0, StolenTime.percent(10, 0, 2), 1e-9, "no time measured, no share");
  }
}
