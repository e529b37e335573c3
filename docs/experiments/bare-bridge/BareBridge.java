import io.codex.embedded.EmbeddedKafka;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VerticleBase;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import java.nio.file.Files;
import java.util.List;
import java.util.Map;
import java.util.Properties;
import org.apache.kafka.clients.admin.Admin;
import org.apache.kafka.clients.admin.NewTopic;
import org.apache.kafka.clients.producer.KafkaProducer;
import org.apache.kafka.clients.producer.ProducerRecord;
import org.apache.kafka.common.serialization.ByteArraySerializer;

/**
 * An experiment, not part of Codex: the least an MQTT -> Kafka bridge on Vert.x 5 can do. Its own
 * embedded broker in the same JVM (as Codex's), one producer with Codex's settings, two MQTT server
 * instances; any client is accepted, each QoS 1 PUBLISH's payload is sent as it is (key: the topic's
 * last segment) and PUBACKed once Kafka acknowledged it. No authentication, parsing, validation,
 * normalising, headers, live feed or back-pressure.
 *
 * <p>Args: MQTT port, Kafka port (the controller takes the next one). Env: LINGER (default 1),
 * HTTP_PORT (also start {@link BareHttp} in this JVM, on this broker).
 */
public class BareBridge {
  public static void main(String[] args) throws Exception {
    int mqttPort = Integer.parseInt(args[0]);
    int kafkaPort = Integer.parseInt(args[1]);
    EmbeddedKafka kafka = new EmbeddedKafka(Files.createTempDirectory("bare"), kafkaPort, kafkaPort + 1).start();
    try (Admin admin = Admin.create(Map.of("bootstrap.servers", kafka.bootstrapServers()))) {
      admin.createTopics(List.of(new NewTopic("bare.telemetry", 6, (short) 1))).all().get();
    }
    KafkaProducer<byte[], byte[]> producer = producer(kafka.bootstrapServers());
    Vertx vertx = Vertx.vertx();
    vertx.deployVerticle(() -> new VerticleBase() {
      @Override
      public Future<?> start() {
        MqttServer server = MqttServer.create(vertx, new MqttServerOptions().setPort(mqttPort).setHost("127.0.0.1"));
        server.endpointHandler(endpoint -> {
          Context context = vertx.getOrCreateContext();
          endpoint.accept(false);
          endpoint.publishHandler(m -> {
            String topic = m.topicName();
            byte[] key = topic.substring(topic.indexOf('/') + 1).getBytes();
            int id = m.messageId();
            boolean qos1 = m.qosLevel() == MqttQoS.AT_LEAST_ONCE;
            producer.send(new ProducerRecord<>("bare.telemetry", key, m.payload().getBytes()), (meta, err) -> {
              if (qos1 && err == null) context.runOnContext(v -> endpoint.publishAcknowledge(id));
            });
          });
          endpoint.pingHandler(v -> {});
        });
        return server.listen();
      }
    }, new DeploymentOptions().setInstances(2)).await();
    if (System.getenv("HTTP_PORT") != null) BareHttp.start(Integer.parseInt(System.getenv("HTTP_PORT")), kafka.bootstrapServers());
    System.out.println("bare bridge ready on " + mqttPort);
  }

  /** Codex's producer settings: acks=all, idempotent, linger 1 ms, one request in flight, 128 KB batches, lz4. */
  static KafkaProducer<byte[], byte[]> producer(String bootstrap) {
    Properties p = new Properties();
    p.put("bootstrap.servers", bootstrap);
    p.put("acks", "all");
    p.put("enable.idempotence", "true");
    p.put("linger.ms", System.getenv().getOrDefault("LINGER", "1"));
    p.put("max.in.flight.requests.per.connection", "1");
    p.put("batch.size", "131072");
    p.put("compression.type", "lz4");
    p.put("buffer.memory", String.valueOf(64 << 20));
    return new KafkaProducer<>(p, new ByteArraySerializer(), new ByteArraySerializer());
  }
}
