package io.codex.bridge;

import java.util.List;
import java.util.concurrent.TimeUnit;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.common.Uuid;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Tells a consumer whether the topic it reads is still the one it was: a topic deleted and created
 * again under the same name has a new id, its offsets start again from 0, and Kafka's consumer may
 * then be anywhere in the new log (its group's old offsets, or the new log's end when it takes the
 * change for a truncation). Asks the cluster each time ({@link #changed}), so it is meant for the
 * rare moments a consumer has reason to wonder (an assignment, a read below its position) or for
 * a watch every few seconds ({@link CompactedTopicReplica}). Logs each failure to ask. Blocks
 * for at most 10 s: a consumer thread's tool, never an event loop's. Not thread-safe.
 */
public final class TopicIdentity {
  private static final Logger log = LoggerFactory.getLogger(TopicIdentity.class);

  private final Admin admin;
  private final String topic;
  private Uuid seen;

  public TopicIdentity(Admin admin, String topic) {
    this.admin = admin;
    this.topic = topic;
  }

  /**
   * Whether the topic has another id than when last asked (deleted and created again since), and
   * remembers the new one. The first answer is false, and so is one the cluster does not give.
   */
  public boolean changed() {
    try {
      Uuid now = admin.describeTopics(List.of(topic)).allTopicNames().get(10, TimeUnit.SECONDS).get(topic).topicId();
      Uuid before = seen;
      seen = now;
      return before != null && !before.equals(now);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      return false;
    } catch (Exception e) {
      log.warn("the id of topic {} could not be read: {}", topic, e.toString());
      return false;
    }
  }
}
