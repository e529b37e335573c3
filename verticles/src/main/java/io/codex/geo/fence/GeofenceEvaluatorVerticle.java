package io.codex.geo.fence;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.SharedAdmin;
import io.codex.bridge.SharedProducer;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geofence evaluation, done once across the cluster: runs this node's member of the shared
 * consumer group on {@code codex.telemetry} ({@link GeofenceEvaluator}) on a thread of its own, so
 * that neither Kafka's blocking consumer calls nor the CPU work of a batch ever hold an event loop.
 * Stopping lets the current batch finish (its transitions acknowledged, its offsets committed).
 */
public final class GeofenceEvaluatorVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(GeofenceEvaluatorVerticle.class);

  private GeofenceEvaluator evaluator;
  private Thread thread;

  @Override
  public Future<?> start() {
    GeofenceConfig cfg = GeofenceConfig.from(config());
    evaluator = new GeofenceEvaluator(cfg, KafkaSettings.from(config()), SharedProducer.of(vertx),
        SharedAdmin.of(vertx), GeofenceRegistry.shared(vertx), GeofenceMetrics.shared(vertx));
    thread = new Thread(evaluator, "codex-geofence-evaluator");
    thread.setDaemon(true);
    thread.start();
    log.info("geofence evaluation started [group: {}]", cfg.consumerGroup());
    return Future.succeededFuture();
  }

  @Override
  public Future<?> stop() {
    if (evaluator == null) return Future.succeededFuture();
    return Future.fromCompletionStage(evaluator.stop().orTimeout(30, TimeUnit.SECONDS), context)
        .onFailure(t -> log.warn("geofence evaluator did not stop within 30 s"))
        .otherwiseEmpty();
  }
}
