package io.codex.bench;
import java.nio.file.*;
import java.util.*;
/**
 * An experiment, not part of Codex: the bench's lean MQTT generator (16 connections, window 10) driving
 * each target and a local Mosquitto in turns. Args: rounds, seconds per turn, warm-up seconds, then
 * targets as name:port:creds, where creds is a file of "user secret topic" lines (a Codex node's
 * devices) or - (anonymous, as for Mosquitto and BareBridge).
 */
public class MqttTurns {
  public static void main(String[] a) throws Exception {
    int rounds = Integer.parseInt(a[0]); double slice = Double.parseDouble(a[1]); double warm = Double.parseDouble(a[2]);
    MqttLoad g = new MqttLoad(2, 0);
    List<String[]> anon = new ArrayList<>();
    for (int i = 0; i < 16; i++) anon.add(new String[] {null, null, "telemetry/bench-" + i});
    String codexRec = IngestBench.record("ignored").replace("\"deviceId\":\"ignored\",", "");
    String rec = IngestBench.record("bench-0001");
    int mport = FreePorts.next();
    Process mos = IngestBench.startMosquitto(mport, 100_000);
    List<String> names = new ArrayList<>(); List<Integer> ports = new ArrayList<>(); List<List<String[]>> users = new ArrayList<>(); List<String> recs = new ArrayList<>();
    for (int i = 3; i < a.length; i++) {
      String[] t = a[i].split(":");
      names.add(t[0]); ports.add(Integer.parseInt(t[1]));
      if (t[2].equals("-")) { users.add(anon); recs.add(rec); } else {
        List<String[]> cu = new ArrayList<>(); for (String l : Files.readAllLines(Path.of(t[2]))) cu.add(l.split(" ")); users.add(cu); recs.add(codexRec); }
    }
    names.add("mosquitto"); ports.add(mport); users.add(anon); recs.add(rec);
    for (int t = 0; t < names.size(); t++) g.run("warm", "127.0.0.1", ports.get(t), 10, t == names.size() - 1 ? 10 : warm, users.get(t), recs.get(t));
    double[] sum = new double[names.size()];
    for (int r = 0; r < rounds; r++) {
      StringBuilder line = new StringBuilder("turn " + (r + 1) + ":");
      for (int t = 0; t < names.size(); t++) {
        LoadResult x = g.run(names.get(t), "127.0.0.1", ports.get(t), 10, slice, users.get(t), recs.get(t)); Thread.sleep(500);
        sum[t] += x.recordsPerSecond();
        line.append(String.format("  %s=%,.0f (p50 %.2f ms%s)", names.get(t), x.recordsPerSecond(), x.latencies().percentileMs(50), x.errors() > 0 ? " ERR " + x.errors() : ""));
      }
      System.out.println(line);
    }
    StringBuilder line = new StringBuilder("mean:");
    for (int t = 0; t < names.size(); t++) line.append(String.format("  %s=%,.0f (%.2f of mosquitto)", names.get(t), sum[t] / rounds, sum[t] / sum[names.size() - 1]));
    System.out.println(line);
    mos.destroy();
    System.exit(0);
  }
}
