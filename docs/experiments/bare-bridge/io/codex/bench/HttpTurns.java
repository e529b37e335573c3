package io.codex.bench;

import java.nio.file.Files;
import java.nio.file.Path;
import java.util.ArrayList;
import java.util.Base64;
import java.util.Collections;
import java.util.List;

/**
 * An experiment, not part of Codex: wrk (env CONNS connections, default 64) sending 100 bench records
 * a request to two targets in turns. Args: rounds, seconds per turn, warm-up seconds, then two
 * targets as name=url=creds, where creds is a file of "user secret topic" lines (a Codex node's
 * devices: Basic auth, records with their deviceId) or - (the first device's requests are reused,
 * for BareHttp, which reads neither).
 */
public class HttpTurns {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]);
    double slice = Double.parseDouble(a[1]);
    double warm = Double.parseDouble(a[2]);
    int conns = Integer.parseInt(System.getenv().getOrDefault("CONNS", "64"));
    String[][] targets = {a[3].split("=", 3), a[4].split("=", 3)};
    List<List<String[]>> requests = new ArrayList<>();
    for (String[] t : targets) requests.add(t[2].equals("-") ? null : requests(Path.of(t[2])));
    for (int t = 0; t < 2; t++) if (requests.get(t) == null) requests.set(t, requests.get(1 - t));
    for (int t = 0; t < 2; t++) WrkLoad.run("warm", targets[t][1], conns, 100, warm, requests.get(t));
    double[] sum = new double[2];
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder("turn " + (r + 1) + ":");
      for (int t = 0; t < 2; t++) {
        LoadResult x = WrkLoad.run(targets[t][0], targets[t][1], conns, 100, slice, requests.get(t));
        Thread.sleep(500);
        sum[t] += x.recordsPerSecond();
        line.append(String.format("  %s=%,.0f%s", targets[t][0], x.recordsPerSecond(), x.errors() > 0 ? " ERR " + x.errors() : ""));
      }
      System.out.println(line);
    }
    System.out.printf("mean: %s=%,.0f  %s=%,.0f  %s/%s=%.2f%n", targets[0][0], sum[0] / rounds, targets[1][0], sum[1] / rounds,
        targets[0][0], targets[1][0], sum[0] / sum[1]);
    System.exit(0);
  }

  private static List<String[]> requests(Path creds) throws Exception {
    List<String[]> out = new ArrayList<>();
    for (String l : Files.readAllLines(creds)) {
      String[] u = l.split(" ");
      String auth = "Basic " + Base64.getEncoder().encodeToString((u[0] + ":" + u[1]).getBytes());
      out.add(new String[] {auth, "[" + String.join(",", Collections.nCopies(100, IngestBench.record(u[0]))) + "]"});
    }
    return out;
  }
}
