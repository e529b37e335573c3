package io.codex.bench;

import java.io.BufferedReader;
import java.io.InputStreamReader;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.List;
import java.util.regex.Matcher;
import java.util.regex.Pattern;

/**
 * HTTP closed-loop load with wrk (Debian package {@code wrk}), the tool the peer figures were
 * measured with: it costs the shared CPU far less than a JVM client. Requests rotate over the
 * devices' credentials and bodies through a generated Lua script.
 */
final class WrkLoad {
  static final Path WRK = Path.of("/usr/bin/wrk");

  static boolean available() {
    return Files.isExecutable(WRK);
  }

  /** @param requests per request shape: {authorization, body} */
  static LoadResult run(String name, String url, int connections, int perRequest, double seconds, List<String[]> requests)
      throws Exception {
    return run(name, url, connections, perRequest, seconds, requests, 0);
  }

  /**
   * @param targetRate 0 for a closed loop; otherwise each connection pauses between requests so
   *     that all together send about this many per second (what was achieved is reported)
   */
  static LoadResult run(String name, String url, int connections, int perRequest, double seconds, List<String[]> requests,
      double targetRate) throws Exception {
    return run(name, url, connections, perRequest, seconds, requests, targetRate, 0);
  }

  /**
   * How long an answer takes at this pace, from a short paced run: wrk pauses after each answer,
   * so a run that should reach the rate asked leaves this time out of the pause.
   */
  static double answerMs(String url, int connections, int perRequest, List<String[]> requests, double targetRate) throws Exception {
    LoadResult probe = run("probe", url, connections, perRequest, 3, requests, targetRate, 0);
    double pauseMs = connections * 1000.0 / targetRate;
    return probe.recordsPerSecond() > 0 ? Math.max(0, connections * 1000.0 * perRequest / probe.recordsPerSecond() - pauseMs) : 0;
  }

  /** @param answerMs how long an answer takes at this pace (see {@link #answerMs}); 0 when unknown */
  static LoadResult run(String name, String url, int connections, int perRequest, double seconds, List<String[]> requests,
      double targetRate, double answerMs) throws Exception {
    StringBuilder lua = new StringBuilder("local reqs = {}\n");
    String host = java.net.URI.create(url).getAuthority();
    for (String[] r : requests) {
      lua.append("reqs[#reqs + 1] = wrk.format('POST', nil, {['Host'] = ").append(quote(host))
          .append(", ['Content-Type'] = 'application/json', ['Authorization'] = ")
          .append(quote(r[0])).append("}, ").append(quote(r[1])).append(")\n");
    }
    lua.append("local i = 0\nrequest = function()\n  i = i % #reqs + 1\n  return reqs[i]\nend\n");
    if (targetRate > 0) lua.append("delay = function()\n  return ").append(Math.max(1, Math.round(connections * 1000.0 / targetRate - answerMs)))
        .append("\nend\n");
    String shape = targetRate > 0 ? String.format("wrk c=%d @%,.0f req/s", connections, targetRate)
        : "wrk c=" + connections + " " + perRequest + " rec/req";
    return execute(name, shape, url, 2, connections, seconds, perRequest, lua);
  }

  /**
   * GET requests with wrk, one path per request in the order given (wrapping around), so that a
   * list longer than the run sends every path once: e.g. geocoding texts the server never cached.
   *
   * @param targetRate 0 for a closed loop, else about this many requests per second in all
   */
  static LoadResult gets(String name, String baseUrl, String authorization, int connections, double seconds,
      List<String> paths, double targetRate) throws Exception {
    String host = java.net.URI.create(baseUrl).getAuthority();
    StringBuilder lua = new StringBuilder("local paths = {\n");
    for (String path : paths) lua.append(quote(path)).append(",\n");
    lua.append("}\nlocal headers = {['Host'] = ").append(quote(host)).append(", ['Authorization'] = ")
        .append(quote(authorization)).append("}\n");
    lua.append("local i = 0\n");
    lua.append("request = function()\n  i = i + 1\n  return wrk.format('GET', paths[i % #paths + 1], headers)\nend\n");
    // wrk waits this long after each answer: leave ~1 ms for the answer itself, so the rate reached is the one asked
    if (targetRate > 0) lua.append("delay = function()\n  return ").append(Math.max(1, Math.round(connections * 1000.0 / targetRate) - 1))
        .append("\nend\n");
    String shape = targetRate > 0 ? String.format("wrk c=%d ~%,.0f req/s", connections, targetRate) : "wrk c=" + connections + " max";
    return execute(name, shape, baseUrl, 1, connections, seconds, 1, lua);
  }

  /** Runs wrk with the script (plus a line that prints the error count) and reads its summary. */
  private static LoadResult execute(String name, String shape, String url, int threads, int connections, double seconds,
      int perRequest, StringBuilder lua) throws Exception {
    Path script = Files.createTempFile("codex-wrk", ".lua");
    lua.append("done = function(summary, latency, requests)\n  io.write(string.format('codex-errors %d\\n', summary.errors.status + summary.errors.connect + summary.errors.read + summary.errors.write + summary.errors.timeout))\nend\n");
    Files.writeString(script, lua);
    long ran = Math.max(1, Math.round(seconds));   // wrk takes whole seconds, at least one
    Process p = new ProcessBuilder(WRK.toString(), "-t" + threads, "-c" + connections, "-d" + ran + "s", "--latency",
        "-s", script.toString(), url).redirectErrorStream(true).start();
    StringBuilder out = new StringBuilder();
    try (BufferedReader r = new BufferedReader(new InputStreamReader(p.getInputStream(), StandardCharsets.UTF_8))) {
      for (String line; (line = r.readLine()) != null; ) out.append(line).append('\n');
    }
    p.waitFor();
    Files.deleteIfExists(script);
    String text = out.toString();
    double rps = number(text, "Requests/sec:\\s+([\\d.]+)");
    double p50 = millis(text, "50%\\s+([\\d.]+)(us|ms|s)");
    double p99 = millis(text, "99%\\s+([\\d.]+)(us|ms|s)");
    long errors = (long) number(text, "codex-errors (\\d+)");
    Matcher non2xx = Pattern.compile("Non-2xx or 3xx responses: (\\d+)").matcher(text);
    if (non2xx.find()) errors += Long.parseLong(non2xx.group(1));
    Latencies lat = new Latencies() {
      @Override
      synchronized double percentileMs(double q) {
        return q <= 50 ? p50 : p99;
      }
    };
    return new LoadResult(name, shape, (long) (rps * ran * perRequest), errors, ran, lat);
  }

  private static String quote(String s) {
    return "'" + s.replace("\\", "\\\\").replace("'", "\\'") + "'";
  }

  private static double number(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) throw new IllegalStateException("wrk printed no " + regex + ":\n" + text);
    return Double.parseDouble(m.group(1));
  }

  private static double millis(String text, String regex) {
    Matcher m = Pattern.compile(regex).matcher(text);
    if (!m.find()) return Double.NaN;
    double v = Double.parseDouble(m.group(1));
    return switch (m.group(2)) {
      case "us" -> v / 1000;
      case "s" -> v * 1000;
      default -> v;
    };
  }
}
