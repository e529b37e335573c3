package io.codex.e2e;

import static org.assertj.core.api.Assertions.assertThat;

import io.codex.testing.Devices;
import io.codex.testing.Eventually;
import io.codex.testing.Http;
import io.codex.testing.TestNode;
import io.vertx.core.Vertx;
import io.vertx.core.eventbus.Message;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.eventbus.ReplyException;
import io.vertx.core.eventbus.ReplyFailure;
import io.vertx.core.json.JsonObject;
import java.nio.file.Files;
import java.nio.file.Path;
import java.time.Duration;
import java.util.HashMap;
import java.util.Map;
import java.util.UUID;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import org.junit.jupiter.api.Test;
import org.junit.jupiter.api.Timeout;
import org.junit.jupiter.api.io.TempDir;

/**
 * Cluster mode: two nodes in one JVM joined through Hazelcast on loopback with the repository's
 * {@code cluster-config/cluster.xml}, sharing node A's Kafka broker and one JWT key.
 */
class ClusterIT {
  /** Tests run with the {@code src/} module as working directory; the file sits at the repository root. */
  private static final Path CLUSTER_XML = Path.of("..", "cluster-config", "cluster.xml").toAbsolutePath().normalize();

  @TempDir Path dir;

  @Test
  @Timeout(value = 120, unit = TimeUnit.SECONDS)
  void twoNodesShareTheEventBusAndTheDeviceRegistryAndOneSurvivesTheOther() throws Exception {
    assertThat(CLUSTER_XML).as("repository cluster config").isRegularFile();
    String sharedKey = "cluster-test-key-" + UUID.randomUUID(); // > 32 characters
    Map<String, Object> cluster = new HashMap<>();
    cluster.put("cluster.enabled", true);
    cluster.put("cluster.config", CLUSTER_XML.toString());
    cluster.put("cluster.host", "127.0.0.1");
    cluster.put("cluster.members", "127.0.0.1");
    cluster.put("auth.jwt.secret", sharedKey);

    long t0 = System.nanoTime();
    try (TestNode a = TestNode.start(dir.resolve("a"), TestNode.Ports.free(), cluster)) {
      long startedA = System.nanoTime();
      Map<String, Object> onA = new HashMap<>(cluster);
      onA.put("kafka.bootstrapServers", a.bootstrapServers());
      TestNode b = TestNode.start(dir.resolve("b"), TestNode.Ports.free(), onA);
      long startedB = System.nanoTime();
      boolean bStopped = false;
      try {
        assertThat(a.platform.vertx().isClustered()).isTrue();
        assertThat(b.platform.vertx().isClustered()).isTrue();
        assertThat(b.platform.embeddedBroker()).as("node b uses node a's broker").isNull();
        assertThat(Files.exists(dir.resolve("b").resolve("kafka"))).isFalse();

        // both nodes are ready
        for (TestNode n : new TestNode[] {a, b}) {
          Http.Response ready = Http.get(n.url("/health/ready"), null);
          assertThat(ready.status()).as(ready.body()).isEqualTo(200);
        }

        // a message sent from node b's event bus reaches a consumer on node a, and the reply comes back
        String address = "test.cluster.echo." + UUID.randomUUID();
        MessageConsumer<JsonObject> consumer = a.platform.vertx().eventBus().<JsonObject>consumer(address,
            m -> m.reply(new JsonObject().put("seenBy", "a").put("echo", m.body())));
        consumer.completion().toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
        JsonObject sent = new JsonObject().put("from", "b").put("n", 42);
        Message<JsonObject> reply = requestRetryingNoHandlers(b.platform.vertx(), address, sent, Duration.ofSeconds(10));
        assertThat(reply.body().getString("seenBy")).isEqualTo("a");
        assertThat(reply.body().getJsonObject("echo")).isEqualTo(sent);

        // a device created through node a's API authenticates on node b; a revocation on a is refused on b
        Devices devicesOnA = new Devices(a);
        String secret = devicesOnA.create("cluster-dev-1");
        Duration seen = Eventually.within(Duration.ofSeconds(10), "node b accepts cluster-dev-1",
            () -> Http.get(b.url("/api/v1/auth/me"), Http.basic("cluster-dev-1", secret)).status() == 200);
        Http.Response me = Http.get(b.url("/api/v1/auth/me"), Http.basic("cluster-dev-1", secret));
        assertThat(me.json().getString("subject")).isEqualTo("cluster-dev-1");
        assertThat(Http.delete(a.url("/api/v1/devices/cluster-dev-1"), Http.bearer(devicesOnA.adminToken())).status())
            .isEqualTo(204);
        Duration revoked = Eventually.within(Duration.ofSeconds(5), "node b refuses cluster-dev-1",
            () -> Http.get(b.url("/api/v1/auth/me"), Http.basic("cluster-dev-1", secret)).status() == 401);

        // stopping node b leaves node a ready, and a's event bus keeps working
        long closing = System.nanoTime();
        b.close();
        bStopped = true;
        long closedB = System.nanoTime();
        Http.Response readyA = Http.get(a.url("/health/ready"), null);
        assertThat(readyA.status()).as(readyA.body()).isEqualTo(200);
        Message<JsonObject> local = a.platform.vertx().eventBus().<JsonObject>request(address, new JsonObject().put("from", "a"))
            .toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);
        assertThat(local.body().getString("seenBy")).isEqualTo("a");
        consumer.unregister().toCompletionStage().toCompletableFuture().get(5, TimeUnit.SECONDS);

        System.out.printf("cluster: node a started in %d ms, node b joined and started in %d ms, "
                + "registry create seen on b after %d ms, revoke after %d ms, node b stopped in %d ms%n",
            ms(startedA - t0), ms(startedB - startedA), seen.toMillis(), revoked.toMillis(), ms(closedB - closing));
      } finally {
        if (!bStopped) b.close();
      }
    }
  }

  /** Right after a join the subscription may not have spread yet: retry briefly on NO_HANDLERS. */
  private static Message<JsonObject> requestRetryingNoHandlers(Vertx from, String address, JsonObject body, Duration within)
      throws Exception {
    long deadline = System.nanoTime() + within.toNanos();
    while (true) {
      try {
        return from.eventBus().<JsonObject>request(address, body)
            .toCompletionStage().toCompletableFuture().get(10, TimeUnit.SECONDS);
      } catch (ExecutionException e) {
        boolean noHandlers = e.getCause() instanceof ReplyException r && r.failureType() == ReplyFailure.NO_HANDLERS;
        if (!noHandlers || System.nanoTime() > deadline) throw e;
        Thread.sleep(100);
      }
    }
  }

  private static long ms(long nanos) {
    return nanos / 1_000_000;
  }
}
