package io.codex.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.lang.reflect.Method;
import java.nio.charset.StandardCharsets;
import java.util.Arrays;
import org.apache.kafka.tools.ProducerPerformance;

/**
 * Kafka's own ProducerPerformance, kept warm for turn-taking: a child process of {@code bench
 * ingest} that runs the tool once for every line it reads (the number of records of that turn), with
 * the tool's other arguments from its own command line, and prints {@link #TURN_DONE} after each
 * turn. A new JVM per turn would measure the tool's JIT warm-up in every turn.
 * ProducerPerformance's {@code start} is package-private (its {@code main} exits the JVM), hence the
 * reflection.
 */
public final class RawProducerTurns {
  static final String TURN_DONE = "codex: turn done";

  private RawProducerTurns() {}

  public static void main(String[] args) throws Exception {
    Method start = ProducerPerformance.class.getDeclaredMethod("start", String[].class);
    start.setAccessible(true);
    BufferedReader in = new BufferedReader(new InputStreamReader(System.in, StandardCharsets.UTF_8));
    for (String line; (line = in.readLine()) != null && !line.isBlank(); ) {
      String[] turn = Arrays.copyOf(args, args.length + 2);
      turn[args.length] = "--num-records";
      turn[args.length + 1] = Long.toString(Long.parseLong(line.trim()));
      start.invoke(new ProducerPerformance(), (Object) turn);
      System.out.println(TURN_DONE);
      System.out.flush();
    }
  }
}
