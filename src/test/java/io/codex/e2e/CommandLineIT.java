package io.codex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import com.nimbusds.jose.crypto.MACVerifier;
import com.nimbusds.jwt.SignedJWT;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import java.io.IOException;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.nio.file.attribute.PosixFilePermissions;
import java.time.Duration;
import java.util.ArrayList;
import java.util.Date;
import java.util.List;
import java.util.Map;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/** The runnable jar, driven as an operator drives it: `java -jar codex.jar …`. */
class CommandLineIT {
  static final Path JAR = Path.of("target", "codex.jar").toAbsolutePath();

  @TempDir Path dir;

  record Result(int exit, String out, String err) {}

  Result runToEnd(Map<String, String> env, String... args) throws Exception {
    Process p = start(env, args);
    assertThat(p.waitFor(60, TimeUnit.SECONDS)).as("codex " + String.join(" ", args) + " finished").isTrue();
    return new Result(p.exitValue(), read(dir.resolve("out.txt")), read(dir.resolve("err.txt")));
  }

  Process start(Map<String, String> env, String... args) throws IOException {
    List<String> cmd = new ArrayList<>(List.of("java", "-jar", JAR.toString()));
    cmd.addAll(List.of(args));
    ProcessBuilder pb = new ProcessBuilder(cmd).directory(dir.toFile())
        .redirectOutput(dir.resolve("out.txt").toFile()).redirectError(dir.resolve("err.txt").toFile());
    pb.environment().keySet().removeIf(k -> k.startsWith("CODEX_"));
    pb.environment().putAll(env);
    return pb.start();
  }

  static String read(Path p) throws IOException {
    return Files.exists(p) ? Files.readString(p, StandardCharsets.UTF_8) : "";
  }

  @Test
  void badConfigFailsFastNamingTheKey() throws Exception {
    Result env = runToEnd(Map.of("CODEX_HTTP_PORT", "eighty"), "run", "--data-dir", "d1");
    assertThat(env.exit()).isEqualTo(2);
    assertThat(env.err()).contains("invalid configuration").contains("http.port").contains("eighty");

    Files.writeString(dir.resolve("bad.yaml"), "kafka:\n  topics:\n    telemetry: { partitions: 0 }\n");
    Result file = runToEnd(Map.of(), "run", "--data-dir", "d2", "--config", "bad.yaml");
    assertThat(file.exit()).isEqualTo(2);
    assertThat(file.err()).contains("kafka.topics.telemetry.partitions");

    Result shortKey = runToEnd(Map.of("CODEX_AUTH_JWT_SECRET", "too-short"), "run", "--data-dir", "d3");
    assertThat(shortKey.exit()).isEqualTo(2);
    assertThat(shortKey.err()).contains("auth.jwt.secret").doesNotContain("too-short");
    Result format = runToEnd(Map.of("CODEX_LOG_FORMAT", "xml"), "run", "--data-dir", "d4");
    assertThat(format.exit()).isEqualTo(2);
    assertThat(format.err()).contains("CODEX_LOG_FORMAT").contains("json or text");
    assertThat(Files.exists(dir.resolve("d1/kafka"))).as("nothing started").isFalse();
  }

  @Test
  void tokenCommandSignsWithTheKeyThatRunUses() throws Exception {
    Result r = runToEnd(Map.of(), "token", "--role", "analyst", "--ttl", "15m", "--data-dir", "data");
    assertThat(r.exit()).as(r.err()).isZero();
    String token = r.out().trim();
    assertThat(token.split("\\.")).hasSize(3);
    Path key = dir.resolve("data/keys/jwt-hs256.secret");
    assertThat(PosixFilePermissions.toString(Files.getPosixFilePermissions(key))).isEqualTo("rw-------");
    SignedJWT jwt = SignedJWT.parse(token);
    assertThat(jwt.verify(new MACVerifier(Files.readString(key).trim().getBytes(StandardCharsets.UTF_8)))).isTrue();
    assertThat(jwt.getHeader().getAlgorithm().getName()).isEqualTo("HS256");
    assertThat(jwt.getJWTClaimsSet().getSubject()).isEqualTo("cli-analyst");
    assertThat(jwt.getJWTClaimsSet().getStringListClaim("roles")).containsExactly("analyst");
    assertThat(jwt.getJWTClaimsSet().getIssuer()).isEqualTo("codex");
    long ttl = jwt.getJWTClaimsSet().getExpirationTime().getTime() - new Date().getTime();
    assertThat(ttl).isBetween(Duration.ofMinutes(14).toMillis(), Duration.ofMinutes(15).toMillis() + 1000);

    Result device = runToEnd(Map.of(), "token", "--role", "device", "--device", "meter-9", "--data-dir", "data");
    assertThat(SignedJWT.parse(device.out().trim()).getJWTClaimsSet().getSubject()).isEqualTo("meter-9");
    Result bad = runToEnd(Map.of(), "token", "--role", "wizard", "--data-dir", "data");
    assertThat(bad.exit()).isEqualTo(2);
  }

  @Test
  void aPortInUseStopsTheStartNamingThePortAndItsSetting() throws Exception {
    try (java.net.ServerSocket taken = new java.net.ServerSocket(0, 1, java.net.InetAddress.getByName("127.0.0.1"))) {
      Result r = runToEnd(Map.of(
              "CODEX_KAFKA_EMBEDDED_PORT", Integer.toString(TestNode.freePort()),
              "CODEX_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(TestNode.freePort()),
              "CODEX_MQTT_HOST", "127.0.0.1", "CODEX_LOG_FORMAT", "text"),
          "run", "--data-dir", "ports", "--http-port", Integer.toString(TestNode.freePort()),
          "--mqtt-port", Integer.toString(taken.getLocalPort()));
      assertThat(r.exit()).isNotZero();
      assertThat(r.err()).contains("cannot listen for MQTT on 127.0.0.1:" + taken.getLocalPort()).contains("--mqtt-port");
      // CODEX_LOG_FORMAT=text: lines for a person, no JSON, and no warning that the variable is unknown
      assertThat(r.out().lines().filter(l -> l.contains("embedded kafka started")).findFirst().orElseThrow())
          .matches("\\d\\d:\\d\\d:\\d\\d\\.\\d{3} INFO  .*EmbeddedKafka - embedded kafka started .*");
      assertThat(r.out()).doesNotContain("{\"timestamp\"");
      assertThat(r.err()).doesNotContain("CODEX_LOG_FORMAT");
    }
  }

  @Test
  void runReachesReadyWithinItsMemoryLimitsAndStopsCleanlyOnSigterm() throws Exception {
    int http = TestNode.freePort();
    long t0 = System.nanoTime();
    Process p = start(Map.of(
            "CODEX_KAFKA_EMBEDDED_PORT", Integer.toString(TestNode.freePort()),
            "CODEX_KAFKA_EMBEDDED_CONTROLLER_PORT", Integer.toString(TestNode.freePort())),
        // every port its own: a machine may run an MQTT broker on 1883 (apt's mosquitto starts one)
        "run", "--data-dir", "data", "--http-port", Integer.toString(http), "--mqtt-port", Integer.toString(TestNode.freePort()));
    try {
      long deadline = System.nanoTime() + TimeUnit.SECONDS.toNanos(60);
      int status = 0;
      while (System.nanoTime() < deadline && p.isAlive()) {
        try {
          status = Http.get("http://127.0.0.1:" + http + "/health/ready", null).status();
        } catch (IllegalStateException notYet) {
          status = 0;
        }
        if (status == 200) break;
        Thread.sleep(100);
      }
      assertThat(status).as("ready; stderr: " + read(dir.resolve("err.txt"))).isEqualTo(200);
      long readyMs = TimeUnit.NANOSECONDS.toMillis(System.nanoTime() - t0);

      ProcessHandle child = p.toHandle().children().findFirst().orElseThrow();
      String cmdline = Files.readString(Path.of("/proc", Long.toString(child.pid()), "cmdline")).replace('\0', ' ');
      assertThat(cmdline).contains("-Xmx512m").contains("-XX:MaxDirectMemorySize=256m");
      Thread.sleep(3_000);
      long rssKb = rssKb(p.pid()) + rssKb(child.pid());
      System.out.printf("codex run: ready in %d ms; idle RSS %d MB (launcher %d MB + node %d MB)%n",
          readyMs, rssKb / 1024, rssKb(p.pid()) / 1024, rssKb(child.pid()) / 1024);

      String out = read(dir.resolve("out.txt"));
      assertThat(out).contains("Codex is ready").contains("http://localhost:" + http).contains("admin ");
      // JSON lines by default, as a log collector wants them
      assertThat(new io.vertx.core.json.JsonObject(out.lines().filter(l -> l.contains("codex ready")).findFirst().orElseThrow())
          .getString("level")).isEqualTo("INFO");
      p.destroy();
      assertThat(p.waitFor(30, TimeUnit.SECONDS)).as("stopped after SIGTERM").isTrue();
      assertThat(p.exitValue()).isIn(0, 143);
      assertThat(read(dir.resolve("out.txt"))).contains("codex stopped");
      assertThat(Files.exists(dir.resolve("data/kafka/meta.properties"))).isTrue();
    } finally {
      p.descendants().forEach(ProcessHandle::destroyForcibly);
      p.destroyForcibly();
    }
  }

  static long rssKb(long pid) throws IOException {
    for (String line : Files.readAllLines(Path.of("/proc", Long.toString(pid), "status"))) {
      if (line.startsWith("VmRSS:")) return Long.parseLong(line.replaceAll("\\D", ""));
    }
    return 0;
  }
}
