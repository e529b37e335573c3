package io.codex.bridge;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.CreateTopicsOptions;
import org.apache.kafka.clients.admin.DescribeClusterOptions;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.common.errors.TopicExistsException;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Creates the platform's topics at start and answers whether Kafka is reachable, with the node's
 * {@link SharedAdmin}. Kafka's admin client is asynchronous; its futures are bridged back to the
 * caller's Vert.x context.
 */
public final class TopicAdmin {
  private static final Logger log = LoggerFactory.getLogger(TopicAdmin.class);

  private final Vertx vertx;
  private final KafkaSettings settings;
  private final Admin admin;

  public TopicAdmin(Vertx vertx, KafkaSettings settings) {
    this.vertx = vertx;
    this.settings = settings;
    this.admin = SharedAdmin.of(vertx);
  }

  /** Creates every missing topic of {@link Topic}; existing ones are left as they are. */
  public Future<Set<String>> ensureTopics() {
    return Future.fromCompletionStage(admin.listTopics().names().toCompletionStage(), vertx.getOrCreateContext())
        .compose(existing -> {
          List<NewTopic> missing = new ArrayList<>();
          for (Topic t : Topic.values()) {
            String name = settings.topic(t);
            if (existing.contains(name)) continue;
            NewTopic nt = new NewTopic(name, settings.partitions().get(t), (short) settings.replicationFactor());
            if (t.compacted) {
              nt.configs(Map.of("cleanup.policy", "compact", "min.compaction.lag.ms", "0"));
            }
            missing.add(nt);
          }
          if (missing.isEmpty()) return Future.succeededFuture(Set.<String>of());
          var result = admin.createTopics(missing, new CreateTopicsOptions().timeoutMs(10_000));
          List<Future<String>> each = new ArrayList<>();
          result.values().forEach((name, f) -> each.add(
              Future.fromCompletionStage(f.toCompletionStage(), vertx.getOrCreateContext())
                  .map(v -> name)
                  // another node may have created it between our list and our create
                  .recover(t -> t instanceof TopicExistsException || t.getCause() instanceof TopicExistsException
                      ? Future.succeededFuture(name) : Future.failedFuture(t))));
          return Future.all(each).map(cf -> {
            Set<String> created = Set.copyOf(cf.<String>list());
            log.info("topics created [topics: {}]", created);
            return created;
          });
        });
  }

  /** Succeeds with the broker count when the cluster answers within the timeout. */
  public Future<Integer> ping(Duration timeout) {
    var f = admin.describeCluster(new DescribeClusterOptions().timeoutMs((int) timeout.toMillis())).nodes();
    return Future.fromCompletionStage(f.toCompletionStage(), vertx.getOrCreateContext()).map(c -> c.size());
  }
}
