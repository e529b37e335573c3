package io.codex.bench;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.security.Role;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.codex.testing.Tokens;
import java.io.ByteArrayOutputStream;
import java.io.PrintStream;
import java.net.URI;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.regex.Matcher;
import java.util.regex.Pattern;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.OffsetSpec;
import org.apache.kafka.common.TopicPartition;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * {@code bench ingest --url}: the bench drives a node that is already running (here a real node
 * with its embedded broker, which the bench neither started nor can see the process of): it
 * registers its devices through the node's API with the admin token given, measures HTTP and
 * MQTT against it, reads its {@code /metrics}, and runs Kafka's own producer on the node's broker.
 */
class IngestBenchRemoteIT {
  @TempDir Path dir;

  private static long endOffsets(Admin admin, String topic) throws Exception {
    int partitions = admin.describeTopics(List.of(topic)).allTopicNames().get().get(topic).partitions().size();
    Map<TopicPartition, OffsetSpec> ends = new HashMap<>();
    for (int i = 0; i < partitions; i++) ends.put(new TopicPartition(topic, i), OffsetSpec.latest());
    return admin.listOffsets(ends).all().get().values().stream().mapToLong(r -> r.offset()).sum();
  }

  @Test
  void drivesANodeAlreadyRunningAndRunsKafkasProducerOnItsBroker() throws Exception {
    try (TestNode node = TestNode.start(dir.resolve("data"));
        Admin admin = Admin.create(Map.of("bootstrap.servers", node.bootstrapServers()))) {
      String token = new Tokens(node).forRole(Role.ADMIN);
      // checked before any load: the node answers, and the token is an admin's there
      URI api = URI.create(node.url("").replaceAll("/$", ""));
      assertThat(IngestBenchLauncher.preflight(api, token)).isNull();
      assertThat(IngestBenchLauncher.preflight(api, new Tokens(node).forRole(Role.VIEWER))).contains("not an admin's");
      assertThat(IngestBenchLauncher.preflight(api, "not-a-token")).contains("refused the token (401)");
      assertThat(IngestBenchLauncher.preflight(URI.create("http://127.0.0.1:" + TestNode.freePort()), token)).contains("did not answer");
      ByteArrayOutputStream captured = new ByteArrayOutputStream();
      PrintStream stdout = System.out;
      int rc;
      System.setOut(new PrintStream(new java.io.OutputStream() {   // the bench prints its lines: read them, and show them too
        @Override
        public void write(int b) {
          stdout.write(b);
          captured.write(b);
        }

        @Override
        public void write(byte[] b, int off, int len) {
          stdout.write(b, off, len);
          captured.write(b, off, len);
        }
      }, true, StandardCharsets.UTF_8));
      try {
        rc = new IngestBenchLauncher().run(2, 2, null, Set.of("http-100rec", "mqtt-qos1", "kafka-raw"), 0,
            URI.create(node.url("")), URI.create(node.mqttUrl()), node.bootstrapServers(), token);
      } finally {
        System.setOut(stdout);
      }
      String out = captured.toString(StandardCharsets.UTF_8);
      assertThat(rc).isZero();

      Matcher header = Pattern.compile("bench ingest: node at (\\S+), MQTT (\\S+), Kafka (\\S+) .*devices (b[0-9a-z]{4}-)0001-0064").matcher(out);
      assertThat(header.find()).as(out).isTrue();
      assertThat(header.group(1)).isEqualTo(node.url("").replaceAll("/$", ""));
      assertThat(header.group(3)).isEqualTo(node.bootstrapServers());
      String prefix = header.group(4);

      // one line per scenario, each with what the node's own /metrics says (no process figures: it is not ours)
      for (String scenario : List.of("http-100rec +wrk c=16|http-100rec +c=16", "http-100rec +wrk c=64|http-100rec +c=64", "mqtt-qos1 +c=16")) {
        Matcher m = Pattern.compile("^(" + scenario + ").*records/s= +([\\d,]+).*$", Pattern.MULTILINE).matcher(out);
        assertThat(m.find()).as("a line for %s in%n%s", scenario, out).isTrue();
        String line = m.group();
        assertThat(Long.parseLong(m.group(2).replace(",", ""))).as(line).isPositive();
        assertThat(line).contains("errors=0", "kafka-ack-mean=", "kafka-record-wait=", "kafka-request=", "server-jvm-memory=").doesNotContain("server-cpu=", "server-rss=");
      }
      assertThat(out).containsPattern("kafka-raw +1 producer +records/s= +[\\d,]+")
          .containsPattern("ratio http-100rec / kafka-raw +=")
          .containsPattern("ratio http-100rec / kafka-raw interleaved =");

      // the devices were registered through the API, their records are in the node's Kafka, and
      // Kafka's producer wrote to the node's broker
      assertThat(Http.get(node.url("/api/v1/devices/" + prefix + "0064"), Http.bearer(token)).status()).isEqualTo(200);
      assertThat(endOffsets(admin, "codex.telemetry")).as("records the bench sent").isGreaterThan(10_000);
      assertThat(endOffsets(admin, IngestBench.RAW_TOPIC)).as("records of Kafka's producer").isGreaterThanOrEqualTo(500_000);
    }
  }
}
