package io.codex.bridge;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.codecs.TelemetryRecord;
import io.codex.ingest.TelemetryParser;
import io.micrometer.core.instrument.simple.SimpleMeterRegistry;
import java.util.ArrayList;
import java.util.List;
import org.junit.jupiter.api.BeforeEach;
import org.junit.jupiter.api.Test;

/**
 * The feed's order: this node's records published at the offsets Kafka acknowledged, other nodes'
 * read from Kafka in between, each once, in offset order per partition.
 */
class FeedSequenceTest {
  private final SimpleMeterRegistry registry = new SimpleMeterRegistry();
  private ProducedTelemetry produced;
  private FeedSequence sequence;
  private final List<TelemetryRecord> out = new ArrayList<>();

  @BeforeEach
  void open() {
    produced = new ProducedTelemetry(registry);
    produced.open();
    sequence = new FeedSequence(produced);
  }

  /** A record ingest produced (the feed's entry and its value), from device {@code d}. */
  private static TelemetryParser.Parsed record(String d) {
    return ProducedTelemetryTest.parse("{'deviceId':'" + d + "','timestamp':1,'sensorType':'t','payload':{'v':1}}").get(0);
  }

  private void ack(int partition, long offset, TelemetryParser.Parsed r) {
    produced.acknowledged(partition, offset, r.feed());
  }

  private List<String> published() {
    List<String> ids = out.stream().map(r -> r.deviceId() + "@" + r.partition() + ":" + r.offset()).toList();
    out.clear();
    return ids;
  }

  private double count(String read) {
    return registry.get("codex.feed.records").tag("read", read).counter().count();
  }

  @Test
  void ownRecordsArePublishedAtTheirOffsetsAndTheConsumerSkipsOverThem() {
    sequence.acknowledgements();
    assertThat(sequence.caughtUp(0)).as("where to start is not known yet: the consumer must read").isFalse();
    assertThat(sequence.read(0, 10, record("other").value(), out)).isTrue();
    ack(0, 11, record("mine-a"));
    ack(0, 12, record("mine-b"));
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).as("the consumer goes on after them")
        .containsExactly(new FeedSequence.Seek(0, 13));
    assertThat(published()).containsExactly("other@0:10", "mine-a@0:11", "mine-b@0:12");
    assertThat(sequence.caughtUp(0)).as("all up to the latest acknowledgement published: nothing to fetch").isTrue();

    sequence.read(0, 13, record("other-2").value(), out);
    assertThat(sequence.followAcknowledged(out)).isEmpty();
    assertThat(published()).containsExactly("other-2@0:13");
    assertThat(count("produced")).isEqualTo(2);
    assertThat(count("decoded")).isEqualTo(2);
  }

  @Test
  void aLogThatStartsAgainIsPublishedFromWhereTheConsumerWentBack() {
    sequence.read(0, 40, record("old").value(), out);
    ack(0, 41, record("mine-old"));
    ack(0, 43, record("mine-old-2"));   // 42 not read yet when the topic is deleted
    sequence.acknowledgements();
    sequence.followAcknowledged(out);
    assertThat(published()).containsExactly("old@0:40", "mine-old@0:41");

    // the topic is created anew: its offsets start at 0, and the consumer's offset reset takes it there;
    // this node's first records there are acknowledged before the consumer is back
    TelemetryParser.Parsed a = record("new-a");
    TelemetryParser.Parsed b = record("new-b");
    ack(0, 0, a);
    ack(0, 1, b);
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).isEmpty();
    assertThat(published()).isEmpty();
    sequence.read(0, 0, a.value(), out);
    sequence.read(0, 1, b.value(), out);
    sequence.read(0, 2, record("new-other").value(), out);
    ack(0, 3, record("new-c"));
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).containsExactly(new FeedSequence.Seek(0, 4));
    assertThat(published()).as("the new log's records, in its order; nothing of the old log's that was not published")
        .containsExactly("new-a@0:0", "new-b@0:1", "new-other@0:2", "new-c@0:3");
    assertThat(sequence.waiting()).isZero();
  }

  @Test
  void offsetsNoAcknowledgementCoversAreReadFromKafkaFirst() {
    sequence.read(3, 0, record("other").value(), out);
    TelemetryParser.Parsed a = record("mine-a");
    TelemetryParser.Parsed b = record("mine-b");
    ack(3, 2, a);   // offset 1 is another node's
    ack(3, 3, b);
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).as("offset 1 is still to be read").isEmpty();
    assertThat(published()).containsExactly("other@3:0");
    assertThat(sequence.caughtUp(3)).as("a gap before the acknowledgements: the consumer must fetch it").isFalse();

    sequence.read(3, 1, record("other-1").value(), out);
    sequence.read(3, 2, a.value(), out);
    assertThat(sequence.followAcknowledged(out)).as("the consumer is past the gap: read on to 4").containsExactly(new FeedSequence.Seek(3, 4));
    assertThat(published()).containsExactly("other-1@3:1", "mine-a@3:2", "mine-b@3:3");
    assertThat(sequence.caughtUp(3)).isTrue();
    assertThat(count("produced")).as("both built from ingest's entries, the first as the consumer read it").isEqualTo(2);
  }

  @Test
  void acknowledgementsWaitUntilTheConsumerHasReadThePartitionOnce() {
    ack(1, 5, record("mine-a"));
    ack(1, 6, record("mine-b"));
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).isEmpty();
    assertThat(published()).as("where the feed starts in partition 1 is not known yet").isEmpty();
    assertThat(sequence.caughtUp(1)).isFalse();

    sequence.read(1, 4, record("older").value(), out);
    assertThat(sequence.followAcknowledged(out)).containsExactly(new FeedSequence.Seek(1, 7));
    assertThat(published()).containsExactly("older@1:4", "mine-a@1:5", "mine-b@1:6");
  }

  @Test
  void aRecordTheConsumerReadBeforeItsAcknowledgementIsPublishedOnce() {
    sequence.read(0, 0, record("other").value(), out);
    TelemetryParser.Parsed mine = record("mine");
    sequence.read(0, 1, mine.value(), out);   // read back before the producer's thread handed its ack over
    ack(0, 1, mine);
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).isEmpty();
    assertThat(published()).containsExactly("other@0:0", "mine@0:1");
    assertThat(count("decoded")).isEqualTo(2);
  }

  @Test
  void anotherRecordAtAnAcknowledgedOffsetIsDecoded() {
    sequence.read(0, 0, record("other").value(), out);
    ack(0, 2, record("mine"));
    sequence.acknowledgements();
    sequence.followAcknowledged(out);
    published();
    // the consumer reads offset 1, then offset 2 holds bytes other than the entry's (a topic recreated, say)
    sequence.read(0, 1, record("other-1").value(), out);
    sequence.read(0, 2, record("stranger").value(), out);
    assertThat(published()).containsExactly("other-1@0:1", "stranger@0:2");
  }

  @Test
  void acknowledgementsOutOfOrderArePublishedInOffsetOrder() {
    sequence.read(2, 0, record("other").value(), out);
    ack(2, 3, record("c"));
    ack(2, 1, record("a"));
    ack(2, 2, record("b"));
    ack(2, 2, record("b"));
    sequence.acknowledgements();
    sequence.followAcknowledged(out);
    assertThat(published()).containsExactly("other@2:0", "a@2:1", "b@2:2", "c@2:3");
  }

  @Test
  void tombstonesAndUnreadableValuesPublishNothingAndKeepTheOrder() {
    assertThat(sequence.read(0, 0, null, out)).as("a tombstone").isTrue();
    assertThat(sequence.read(0, 1, "not json".getBytes(), out)).as("unreadable").isFalse();
    ack(0, 2, record("mine"));
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).containsExactly(new FeedSequence.Seek(0, 3));
    assertThat(published()).containsExactly("mine@0:2");
  }

  @Test
  void aRevokedPartitionStartsAgainFromWhatTheConsumerReadsNext() {
    sequence.read(0, 0, record("other").value(), out);
    ack(0, 1, record("mine"));
    sequence.forget(0);
    assertThat(sequence.next(0)).isEqualTo(-1);
    sequence.acknowledgements();
    assertThat(sequence.followAcknowledged(out)).isEmpty();
    sequence.read(0, 1, record("mine").value(), out);
    assertThat(published()).containsExactly("other@0:0", "mine@0:1");
  }

  @Test
  void atMostABoundedNumberOfAcknowledgementsWaitAcrossPartitions() {
    sequence.read(0, 0, record("other").value(), out);
    sequence.read(1, 0, record("other").value(), out);
    for (int i = 0; i < FeedSequence.MAX_WAITING + 6; i++) {
      ack(i % 2, 2 + i / 2, ProducedTelemetryTest.parse("{'deviceId':'mine','timestamp':1,'sensorType':'t','payload':{}}").get(0));
      if (i % 1000 == 0) sequence.acknowledgements();
    }
    sequence.acknowledgements();
    assertThat(sequence.waiting()).as("offset 1 of both partitions is still to be read").isEqualTo(FeedSequence.MAX_WAITING);
    sequence.read(0, 1, record("other-1").value(), out);
    sequence.read(1, 1, record("other-1").value(), out);
    int half = FeedSequence.MAX_WAITING / 2;
    assertThat(sequence.followAcknowledged(out)).as("the rest is read from Kafka")
        .containsExactly(new FeedSequence.Seek(0, 2 + half), new FeedSequence.Seek(1, 2 + half));
    assertThat(out).hasSize(4 + FeedSequence.MAX_WAITING);
    assertThat(sequence.waiting()).isZero();
  }
}
