package io.codex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import java.time.Duration;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.junit.jupiter.api.Test;

/** Runs the geofence benchmark briefly (the numbers to report come from its main, run longer). */
class GeofenceBenchTest {
  @Test
  void printsPositionsPerSecondAndFenceChecks() {
    String line = GeofenceBench.run(1_000, 1_000, Duration.ofMillis(500), Duration.ofSeconds(1));
    System.out.println(line);
    Matcher m = Pattern.compile("1 thread: ([0-9,]+) positions/s, ([0-9,]+) fence checks/s").matcher(line);
    assertThat(m.find()).as(line).isTrue();
    // a floor far below the target (200,000/s): this may run on a busy machine without warm-up
    assertThat(Long.parseLong(m.group(1).replace(",", ""))).isGreaterThan(10_000);
    assertThat(Long.parseLong(m.group(2).replace(",", ""))).isGreaterThan(0);
    assertThat(line).contains("1000 fences (500 polygons, 500 circles)");
  }
}
