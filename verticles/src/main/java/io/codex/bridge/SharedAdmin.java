package io.codex.bridge;

import io.vertx.core.Vertx;
import io.vertx.core.shareddata.Shareable;
import java.time.Duration;
import org.apache.kafka.clients.admin.Admin;

/**
 * The one Kafka admin client of a node (one thread, one connection per broker), created by the
 * launcher before the verticles and closed after them; every verticle that asks the cluster
 * something (topics at start, readiness, whether a topic was created anew) shares it. Kafka's admin
 * client is thread-safe and asynchronous.
 */
public final class SharedAdmin implements Shareable, AutoCloseable {
  private static final String KEY = "admin";

  private final Admin admin;

  private SharedAdmin(Admin admin) {
    this.admin = admin;
  }

  /** Creates the node's admin client and makes it the one {@link #of} returns. */
  public static SharedAdmin create(Vertx vertx, KafkaSettings settings) {
    SharedAdmin a = new SharedAdmin(Admin.create(settings.adminConfig()));
    NodeLocal.register(vertx, KEY, a, "admin client", () -> a.admin.close(Duration.ZERO));
    return a;
  }

  /** The node's admin client (not to be closed by its users). */
  public static Admin of(Vertx vertx) {
    return ((SharedAdmin) NodeLocal.get(vertx, KEY, "admin client")).admin;
  }

  @Override
  public void close() {
    admin.close(Duration.ofSeconds(5));
  }
}
