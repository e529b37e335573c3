package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.Addresses;
import io.codex.codecs.TelemetryRecord;
import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.KafkaTopics;
import io.codex.testing.TestNode;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.json.JsonArray;
import io.vertx.core.json.JsonObject;
import java.nio.charset.StandardCharsets;
import java.nio.file.Path;
import java.time.Duration;
import java.time.Instant;
import java.util.ArrayList;
import java.util.Comparator;
import java.util.HashMap;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import java.util.UUID;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.Future;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.StringSerializer;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.io.TempDir;

/**
 * The live feed with two writers: two nodes ingest into the same Kafka topic at once, and each
 * node's feed publishes every record of both, once, in Kafka's order, as an independent consumer
 * reads them. Node a's feed publishes its own records at the offsets Kafka acknowledged and reads
 * node b's from Kafka, so the two sources interleave within each partition; node b runs with
 * {@code feed.readOwnRecords: true} and reads every record back from Kafka, its own too. And a
 * node that writes alone does not fetch its own records back (its feed pauses the partitions it
 * has caught up with), yet still sees a record another writer adds.
 */
class TelemetryFeedIT {
  @TempDir
  static Path dir;

  private static JsonObject record(String device, int seq) {
    return new JsonObject().put("deviceId", device).put("timestamp", Instant.now().toString()).put("sensorType", "gps")
        .put("payload", new JsonObject().put("seq", seq))
        .put("location", new JsonObject().put("lat", 45 + seq * 1e-5).put("lon", 4.8));
  }

  /**
   * Posts {@code requests} batches of 20 records, one after the other, through a gateway for 8
   * devices (the records of one batch go to several partitions); the ids acknowledged.
   */
  private static List<String> send(TestNode node, String gateway, String secret, int requests) {
    List<String> ids = new ArrayList<>();
    int seq = 0;
    for (int i = 0; i < requests; i++) {
      JsonArray batch = new JsonArray();
      for (int k = 0; k < 20; k++, seq++) batch.add(record(gateway + "-dev-" + seq % 8, seq));
      Http.Response r = Http.send("POST", node.url("/api/v1/telemetry"), Http.basic(gateway, secret), "application/json", batch.encode());
      assertThat(r.status()).as(r.body()).isEqualTo(202);
      r.json().getJsonArray("ids").forEach(id -> ids.add((String) id));
    }
    return ids;
  }

  private static String gateway(TestNode node, String id) {
    return new Devices(node).createGateway(id, java.util.stream.IntStream.range(0, 8).mapToObj(d -> id + "-dev-" + d).toList());
  }

  private static MessageConsumer<TelemetryRecord> feed(TestNode node, List<TelemetryRecord> into) throws Exception {
    MessageConsumer<TelemetryRecord> c = node.platform.vertx().eventBus()
        .<TelemetryRecord>localConsumer(Addresses.TELEMETRY_RECEIVED, m -> into.add(m.body()));
    c.completion().toCompletionStage().toCompletableFuture().get();
    return c;
  }

  @Test
  void eachNodesFeedHasBothNodesRecordsOnceInKafkaOrder() throws Exception {
    try (TestNode a = TestNode.start(dir.resolve("a"))) {
      try (TestNode b = TestNode.start(dir.resolve("b"), TestNode.Ports.free(), Map.of("kafka.bootstrapServers", a.bootstrapServers(),
          "feed.readOwnRecords", "true"))) {
        String secretA = gateway(a, "gw-a");
        String secretB = gateway(b, "gw-b");
        List<TelemetryRecord> fedA = new CopyOnWriteArrayList<>();
        List<TelemetryRecord> fedB = new CopyOnWriteArrayList<>();
        MessageConsumer<TelemetryRecord> onA = feed(a, fedA);
        MessageConsumer<TelemetryRecord> onB = feed(b, fedB);

        // both nodes write at once, 8 devices each: the two nodes' records share every partition
        ExecutorService pool = Executors.newFixedThreadPool(4);
        List<Future<List<String>>> sent = new ArrayList<>();
        try {
          sent.add(pool.submit(() -> send(a, "gw-a", secretA, 30)));
          sent.add(pool.submit(() -> send(b, "gw-b", secretB, 30)));
          List<String> acked = new ArrayList<>();
          for (Future<List<String>> f : sent) acked.addAll(f.get());
          assertThat(acked).hasSize(2 * 30 * 20).doesNotHaveDuplicates();
          java.util.Set<String> ackedIds = new java.util.HashSet<>(acked);

          // what Kafka holds, in its order
          Map<String, ConsumerRecord<String, String>> inKafka = new HashMap<>();
          for (ConsumerRecord<String, String> r : KafkaTopics.readAll(a.bootstrapServers(), "codex.telemetry")) {
            inKafka.put(new JsonObject(r.value()).getString("id"), r);
          }
          assertThat(inKafka.keySet()).containsAll(acked);
          List<ConsumerRecord<String, String>> inOrder = acked.stream().map(inKafka::get)
              .sorted(Comparator.<ConsumerRecord<String, String>>comparingInt(ConsumerRecord::partition).thenComparingLong(ConsumerRecord::offset))
              .toList();
          List<String> kafkaOrder = inOrder.stream().map(r -> new JsonObject(r.value()).getString("id")).toList();
          int switches = 0;
          for (int i = 1; i < inOrder.size(); i++) {
            ConsumerRecord<String, String> before = inOrder.get(i - 1);
            ConsumerRecord<String, String> r = inOrder.get(i);
            if (r.partition() == before.partition() && !r.key().regionMatches(0, before.key(), 0, 4)) switches++;
          }
          assertThat(switches).as("the two nodes' records alternate within partitions").isGreaterThan(20);

          TelemetryRecordDeserializer decoder = new TelemetryRecordDeserializer();
          for (var entry : Map.of("a", fedA, "b", fedB).entrySet()) {
            List<TelemetryRecord> fed = entry.getValue();
            Eventually.within(Duration.ofSeconds(20), "node " + entry.getKey() + "'s feed has every record",
                () -> fed.stream().map(TelemetryRecord::id).toList().containsAll(acked));
            List<TelemetryRecord> ours = fed.stream().filter(r -> ackedIds.contains(r.id())).toList();
            assertThat(ours.stream().map(TelemetryRecord::id).toList()).as("node %s: each record once", entry.getKey())
                .doesNotHaveDuplicates().hasSize(acked.size());
            // in each partition, in offset order; and each is what decoding Kafka's bytes gives, at its position
            Map<Integer, Long> last = new HashMap<>();
            for (TelemetryRecord r : ours) {
              ConsumerRecord<String, String> k = inKafka.get(r.id());
              assertThat(r).isEqualTo(decoder.deserialize(null, k.value().getBytes(StandardCharsets.UTF_8)).at(k.partition(), k.offset()));
              Long before = last.put(r.partition(), r.offset());
              assertThat(before == null || before < r.offset()).as("node %s, partition %d: offset %d after %d", entry.getKey(),
                  r.partition(), r.offset(), before).isTrue();
            }
            assertThat(ours.stream().sorted(Comparator.comparingInt(TelemetryRecord::partition)
                .thenComparingLong(TelemetryRecord::offset)).map(TelemetryRecord::id).toList()).isEqualTo(kafkaOrder);
          }
          // node a published its own records without reading them back, and read b's; b read all back
          for (TestNode n : new TestNode[] {a, b}) {
            Eventually.within(Duration.ofSeconds(5), "the feed's records are counted",
                () -> n.metric("codex_feed_records_total") >= acked.size());
          }
          assertThat(a.metric("codex_feed_records_total", "read", "produced")).as("a: own records").isGreaterThanOrEqualTo(300);
          assertThat(a.metric("codex_feed_records_total", "read", "decoded")).as("a: b's records").isGreaterThanOrEqualTo(600);
          assertThat(b.metric("codex_feed_records_total", "read", "produced")).as("b: none built from acks").isZero();
          assertThat(b.metric("codex_feed_records_total", "read", "decoded")).as("b: every record read back")
              .isGreaterThanOrEqualTo(acked.size());
        } finally {
          pool.shutdownNow();
          onA.unregister();
          onB.unregister();
        }
      }
    }
  }

  /** The client id of the node's feed consumer, whose Kafka meters carry it as {@code client_id}. */
  private static String feedClientId(TestNode node) {
    return "codex-consumer-codex-feed-" + node.platform.config().getJsonObject("node").getString("id");
  }

  /**
   * A node that writes does not fetch its own records back: the feed publishes them from Kafka's
   * acknowledgements and its consumer pauses the partitions it has caught up with, so it receives a
   * small part of the bytes the node produced. A record another writer adds afterwards, while the
   * node is idle, still reaches the feed.
   */
  @Test
  void aWritingNodeDoesNotFetchItsOwnRecordsBackAndStillSeesOtherWriters() throws Exception {
    try (TestNode a = TestNode.start(dir.resolve("solo"))) {
      String secret = gateway(a, "gw-s");
      List<TelemetryRecord> fed = new CopyOnWriteArrayList<>();
      MessageConsumer<TelemetryRecord> onA = feed(a, fed);
      try {
        // the feed knows where to start in each partition once it has read a record there
        List<String> first = send(a, "gw-s", secret, 20);
        Eventually.within(Duration.ofSeconds(20), "the feed has the first records",
            () -> fed.stream().map(TelemetryRecord::id).toList().containsAll(first));
        double producedBefore = a.metric("kafka_producer_outgoing_byte_total");
        double fetchedBefore = a.metric("kafka_consumer_incoming_byte_total", "client_id", feedClientId(a));
        assertThat(fetchedBefore).as("the feed consumer's meter, which read the first records").isPositive();
        List<String> acked = send(a, "gw-s", secret, 400);
        Eventually.within(Duration.ofSeconds(20), "the feed has every record",
            () -> fed.stream().map(TelemetryRecord::id).toList().containsAll(acked));
        // Kafka's client metrics are gauges read when /metrics is scraped; the consumer's count
        // includes its fetch requests' answers, empty or not
        double produced = a.metric("kafka_producer_outgoing_byte_total") - producedBefore;
        double fetched = a.metric("kafka_consumer_incoming_byte_total", "client_id", feedClientId(a)) - fetchedBefore;
        assertThat(produced).as("bytes the node's producer sent").isGreaterThan(200_000);
        assertThat(fetched).as("bytes the feed's consumer received, against %.0f produced", produced).isLessThan(produced / 5);
        assertThat(a.metric("codex_feed_records_total", "read", "produced")).as("own records, from the acknowledgements")
            .isGreaterThanOrEqualTo(acked.size());

        // another writer, while the node writes nothing: a record in the partition of a device the node wrote for
        TelemetryRecord last = fed.get(fed.size() - 1);
        String stranger = UUID.randomUUID().toString();
        JsonObject value = new JsonObject().put("id", stranger).put("deviceId", last.deviceId())
            .put("timestamp", "2026-11-28T00:00:00.000Z").put("receivedAt", "2026-11-28T00:00:00.000Z").put("sensorType", "gps")
            .put("payload", new JsonObject().put("seq", -1));
        Properties props = new Properties();
        props.put("bootstrap.servers", a.bootstrapServers());
        try (var producer = new KafkaProducer<>(props, new StringSerializer(), new StringSerializer())) {
          producer.send(new ProducerRecord<>("codex.telemetry", last.partition(), last.deviceId(), value.encode())).get();
        }
        Duration took = Eventually.within(Duration.ofSeconds(5), "the other writer's record reaches the feed",
            () -> fed.stream().anyMatch(r -> r.id().equals(stranger)));
        assertThat(fed.get(fed.size() - 1).id()).isEqualTo(stranger);
        System.out.printf("feed: %.0f bytes fetched for %.0f produced; another writer's record published after %d ms%n", fetched,
            produced, took.toMillis());
      } finally {
        onA.unregister();
      }
    }
  }
}
