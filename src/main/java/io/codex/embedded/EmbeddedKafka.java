package io.codex.embedded;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.OutputStream;
import java.io.PrintStream;
import java.nio.charset.StandardCharsets;
import java.nio.file.Files;
import java.nio.file.Path;
import java.util.Properties;
import kafka.server.KafkaConfig;
import kafka.server.KafkaRaftServer;
import kafka.tools.StorageTool;
import org.apache.kafka.common.Uuid;
import org.apache.kafka.common.utils.Time;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * A real single-node Kafka broker (KRaft, combined broker and controller) running inside the
 * Codex JVM, for embedded mode. Its storage lives under the data dir: formatted on first start,
 * reused afterwards, so everything acknowledged survives a restart. Listens on 127.0.0.1 only.
 */
public final class EmbeddedKafka implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(EmbeddedKafka.class);

  private final Path logDir;
  private final int port;
  private final int controllerPort;
  private KafkaRaftServer server;

  public EmbeddedKafka(Path logDir, int port, int controllerPort) {
    this.logDir = logDir;
    this.port = port;
    this.controllerPort = controllerPort;
  }

  public String bootstrapServers() {
    return "127.0.0.1:" + port;
  }

  public synchronized EmbeddedKafka start() throws IOException {
    Files.createDirectories(logDir);
    Properties props = properties();
    if (!Files.exists(logDir.resolve("meta.properties"))) format(props);
    long t0 = System.nanoTime();
    server = new KafkaRaftServer(new KafkaConfig(props), Time.SYSTEM);
    server.startup();
    log.info("embedded kafka started [bootstrap: {}, logDir: {}, ms: {}]",
        bootstrapServers(), logDir, (System.nanoTime() - t0) / 1_000_000);
    return this;
  }

  private Properties properties() {
    Properties p = new Properties();
    p.put("process.roles", "broker,controller");
    p.put("node.id", "1");
    p.put("controller.quorum.bootstrap.servers", "127.0.0.1:" + controllerPort);
    p.put("listeners", "PLAINTEXT://127.0.0.1:" + port + ",CONTROLLER://127.0.0.1:" + controllerPort);
    p.put("advertised.listeners", "PLAINTEXT://127.0.0.1:" + port);
    p.put("controller.listener.names", "CONTROLLER");
    p.put("inter.broker.listener.name", "PLAINTEXT");
    p.put("listener.security.protocol.map", "CONTROLLER:PLAINTEXT,PLAINTEXT:PLAINTEXT");
    p.put("log.dirs", logDir.toAbsolutePath().toString());
    p.put("offsets.topic.replication.factor", "1");
    p.put("offsets.topic.num.partitions", "5");
    p.put("transaction.state.log.replication.factor", "1");
    p.put("transaction.state.log.min.isr", "1");
    p.put("share.coordinator.state.topic.replication.factor", "1");
    p.put("share.coordinator.state.topic.min.isr", "1");
    p.put("group.initial.rebalance.delay.ms", "0");
    p.put("num.partitions", "1");
    p.put("auto.create.topics.enable", "false");
    // small footprint: one machine, a handful of topics
    p.put("num.network.threads", "2");
    p.put("num.io.threads", "4");
    p.put("log.cleaner.dedupe.buffer.size", Integer.toString(8 << 20));
    p.put("log.cleaner.threads", "1");
    p.put("log.segment.bytes", Integer.toString(256 << 20));
    return p;
  }

  private void format(Properties props) throws IOException {
    Path conf = logDir.resolve("..").resolve("kafka-format.properties").normalize();
    try (OutputStream out = Files.newOutputStream(conf)) {
      props.store(out, "written by Codex to format the embedded broker's storage");
    }
    ByteArrayOutputStream captured = new ByteArrayOutputStream();
    int rc;
    try (PrintStream ps = new PrintStream(captured, true, StandardCharsets.UTF_8)) {
      rc = StorageTool.execute(new String[] {
          "format", "-t", Uuid.randomUuid().toString(), "-c", conf.toString(), "--standalone"}, ps);
    } finally {
      Files.deleteIfExists(conf);
    }
    if (rc != 0) {
      throw new IOException("formatting Kafka storage in " + logDir + " failed: " + captured.toString(StandardCharsets.UTF_8));
    }
    log.info("embedded kafka storage formatted [logDir: {}]", logDir);
  }

  @Override
  public synchronized void close() {
    if (server == null) return;
    server.shutdown();
    server.awaitShutdown();
    server = null;
    log.info("embedded kafka stopped");
  }
}
