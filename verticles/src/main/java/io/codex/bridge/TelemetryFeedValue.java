package io.codex.bridge;

import io.codex.codecs.TelemetryRecord;
import java.util.Map;
import org.apache.kafka.clients.consumer.ConsumerInterceptor;
import org.apache.kafka.clients.consumer.ConsumerRecord;
import org.apache.kafka.clients.consumer.ConsumerRecords;
import org.apache.kafka.clients.consumer.OffsetAndMetadata;
import org.apache.kafka.common.TopicPartition;
import org.apache.kafka.common.serialization.Deserializer;

/**
 * A value of the live feed's Kafka consumer: the bytes as Kafka returned them, and the record they
 * encode, read on the consumer's polling thread (not on an event loop) by {@link Reader}, which
 * knows each record's partition and offset and so can take what this node produced from
 * {@link ProducedTelemetry} instead of decoding it.
 */
final class TelemetryFeedValue {
  /** The consumer config entry that hands the node's {@link ProducedTelemetry} to the {@link Reader}. */
  static final String PRODUCED_CONFIG = "codex.produced.telemetry";

  final byte[] bytes;
  /** Null when the value is not a readable record; set by {@link Reader} before the batch is handed on. */
  TelemetryRecord record;

  private TelemetryFeedValue(byte[] bytes) {
    this.bytes = bytes;
  }

  /** Keeps the bytes (a tombstone stays null). */
  static final class Bytes implements Deserializer<TelemetryFeedValue> {
    @Override
    public TelemetryFeedValue deserialize(String topic, byte[] data) {
      return data == null ? null : new TelemetryFeedValue(data);
    }
  }

  /**
   * Reads every value of a polled batch, in the poll: the node's own records from
   * {@link ProducedTelemetry}, others with {@link TelemetryRecordReader}.
   */
  public static final class Reader implements ConsumerInterceptor<byte[], TelemetryFeedValue> {
    private ProducedTelemetry produced;

    public Reader() {
    }

    @Override
    public void configure(Map<String, ?> configs) {
      Object p = configs.get(PRODUCED_CONFIG);
      produced = p instanceof ProducedTelemetry pt ? pt : null;
    }

    @Override
    public ConsumerRecords<byte[], TelemetryFeedValue> onConsume(ConsumerRecords<byte[], TelemetryFeedValue> records) {
      int taken = 0;
      int decoded = 0;
      for (ConsumerRecord<byte[], TelemetryFeedValue> rec : records) {
        TelemetryFeedValue v = rec.value();
        if (v == null) continue;
        TelemetryRecord mine = produced == null ? null : produced.take(rec.partition(), rec.offset(), v.bytes);
        if (mine != null) {
          v.record = mine;
          taken++;
        } else {
          v.record = TelemetryRecordReader.read(v.bytes, rec.partition(), rec.offset());
          decoded++;
        }
      }
      if (produced != null) produced.read(taken, decoded);
      return records;
    }

    @Override
    public void onCommit(Map<TopicPartition, OffsetAndMetadata> offsets) {
    }

    @Override
    public void close() {
    }
  }
}
