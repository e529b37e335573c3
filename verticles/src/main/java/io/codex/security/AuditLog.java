package io.codex.security;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.Topic;
import io.vertx.core.Future;
import io.vertx.core.json.JsonObject;
import io.codex.bridge.SharedProducer;
import io.vertx.core.Vertx;
import java.time.Instant;
import java.util.UUID;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Writes audit events (admin actions, queries, minted tokens) to {@code codex.audit}, keyed by the
 * actor. Events never carry secrets or tokens.
 */
public final class AuditLog {
  private static final Logger log = LoggerFactory.getLogger(AuditLog.class);

  private final Vertx vertx;
  private final SharedProducer producer;
  private final String topic;

  public AuditLog(Vertx vertx, SharedProducer producer, KafkaSettings settings) {
    this.vertx = vertx;
    this.producer = producer;
    this.topic = settings.topic(Topic.AUDIT);
  }

  /**
   * Records that {@code actor} did {@code action} to {@code target}; completes when Kafka holds it,
   * or (logged) when it could not be written: the action itself already happened.
   */
  public Future<Void> record(String actor, String action, String target, String outcome, JsonObject details) {
    return recordOrFail(actor, action, target, outcome, details)
        .onFailure(t -> log.warn("audit event not written [action: {}, target: {}]", action, target, t))
        .otherwiseEmpty();
  }

  /**
   * Like {@link #record}, but fails when Kafka did not take the event: for actions that must not
   * happen unaudited (e.g. handing out an embed token), which the caller then refuses.
   */
  public Future<Void> recordOrFail(String actor, String action, String target, String outcome, JsonObject details) {
    JsonObject event = new JsonObject()
        .put("id", UUID.randomUUID().toString())
        .put("at", Instant.now().toString())
        .put("actor", actor)
        .put("action", action)
        .put("target", target)
        .put("outcome", outcome);
    if (details != null) event.put("details", details);
    return producer.send(vertx, topic, actor, event.encode()).mapEmpty();
  }
}
