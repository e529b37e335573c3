import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import java.util.ArrayList;
import java.util.Arrays;
import java.util.List;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;

/**
 * An experiment, not part of Codex: the least an HTTP -> Kafka bridge on Vert.x 5 can do with a
 * JSON array of records. Two HTTP server instances; each body is split into its top-level objects
 * by counting brackets (no other parsing, no validation), each object sent as it is with one key
 * per request, and 202 {"accepted": n} written once Kafka acknowledged them all. No authentication,
 * normalising, headers, ids, live feed or back-pressure. Started by {@link BareBridge} (env
 * HTTP_PORT), on its broker.
 */
public class BareHttp {
  static void start(int port, String bootstrap) {
    KafkaProducer<byte[], byte[]> producer = BareBridge.producer(bootstrap);
    Vertx vertx = Vertx.vertx();
    AtomicLong requests = new AtomicLong();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        return vertx.createHttpServer().requestHandler(req -> req.body().onSuccess(body -> {
          byte[] b = body.getBytes();
          List<int[]> records = split(b);
          byte[] key = ("dev-" + (requests.incrementAndGet() % 64)).getBytes();
          Context context = vertx.getOrCreateContext();
          AtomicInteger left = new AtomicInteger(records.size());
          for (int[] r : records) {
            producer.send(new ProducerRecord<>("bare.telemetry", key, Arrays.copyOfRange(b, r[0], r[1])), (meta, err) -> {
              if (left.decrementAndGet() == 0) {
                context.runOnContext(v -> req.response().setStatusCode(202).putHeader("content-type", "application/json")
                    .end("{\"accepted\":" + records.size() + "}"));
              }
            });
          }
        })).listen(port, "127.0.0.1");
      }
    }, new DeploymentOptions().setInstances(2)).await();
  }

  /** {start, end} of each object at depth 1 of a JSON array. */
  static List<int[]> split(byte[] b) {
    List<int[]> out = new ArrayList<>();
    int depth = 0;
    int start = -1;
    boolean inString = false;
    for (int i = 0; i < b.length; i++) {
      byte c = b[i];
      if (inString) {
        if (c == '\\') i++;
        else if (c == '"') inString = false;
      } else if (c == '"') {
        inString = true;
      } else if (c == '{' || c == '[') {
        if (c == '{' && depth == 1) start = i;
        depth++;
      } else if (c == '}' || c == ']') {
        depth--;
        if (c == '}' && depth == 1) out.add(new int[] {start, i + 1});
      }
    }
    return out;
  }
}
