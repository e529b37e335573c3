package io.codex.launcher;

import com.hazelcast.config.Config;
import com.hazelcast.config.FileSystemXmlConfig;
import io.codex.api.ApiConfig;
import io.codex.api.ApiVerticle;
import io.codex.api.NodeMetrics;
import io.codex.api.Status;
import io.codex.bridge.KafkaSettings;
import io.codex.bridge.TopicAdmin;
import io.codex.codecs.Codecs;
import io.codex.embed.EmbedConfig;
import io.codex.embed.EmbedLinkVerticle;
import io.codex.embedded.EmbeddedKafka;
import io.codex.geo.GeocodeConfig;
import io.codex.geo.fence.GeofenceConfig;
import io.codex.geo.fence.GeofenceEvaluatorVerticle;
import io.codex.geo.fence.GeofenceEventFeedVerticle;
import io.codex.geo.fence.GeofenceRegistryVerticle;
import io.codex.security.AuthSettings;
import io.codex.bridge.TelemetryFeedVerticle;
import io.codex.ingest.IngestConfig;
import io.codex.ingest.MqttIngestVerticle;
import io.codex.livemap.LiveMapConfig;
import io.codex.livemap.LiveMapVerticle;
import io.codex.security.DeviceRegistryVerticle;
import io.micrometer.core.instrument.binder.kafka.KafkaClientMetrics;
import io.vertx.core.DeploymentOptions;
import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.VertxOptions;
import io.vertx.core.json.JsonObject;
import io.codex.bridge.SharedAdmin;
import io.codex.bridge.SharedProducer;
import io.codex.bridge.Topic;
import io.vertx.micrometer.MicrometerMetricsFactory;
import io.vertx.micrometer.MicrometerMetricsOptions;
import io.vertx.micrometer.VertxPrometheusOptions;
import io.vertx.spi.cluster.hazelcast.HazelcastClusterManager;
import java.io.IOException;
import java.nio.channels.FileChannel;
import java.nio.channels.FileLock;
import java.nio.file.Files;
import java.nio.file.StandardOpenOption;
import java.time.Duration;
import java.util.ArrayList;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.TimeUnit;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * One Codex node: validates the configuration, starts the embedded broker when no external Kafka
 * is configured, creates Vert.x (clustered or not, with metrics), registers the codecs once,
 * creates the topics, deploys the verticles and marks the node ready. {@link #close} undoes it in
 * reverse order: in-flight requests finish and the producer is flushed before the broker stops.
 */
public final class Platform implements AutoCloseable {
  private static final Logger log = LoggerFactory.getLogger(Platform.class);
  private static final Duration STEP_TIMEOUT = Duration.ofSeconds(90);
  private static final java.util.concurrent.atomic.AtomicInteger REGISTRIES = new java.util.concurrent.atomic.AtomicInteger();

  private final JsonObject config;
  private final LaunchSettings launch;
  private final List<AuthBootstrap.NewSecret> newSecrets;
  private FileChannel lockChannel;
  private FileLock lock;
  private EmbeddedKafka broker;
  private Vertx vertx;
  private final io.vertx.core.transport.Transport transport;
  private SharedProducer producer;
  private SharedAdmin admin;
  private KafkaClientMetrics producerMetrics;
  /** This node's meter registry (what GET /metrics serves), its own even when nodes share a JVM (tests). */
  private final String registryName = "codex-" + REGISTRIES.incrementAndGet();
  private final List<String> deployments = new ArrayList<>();

  private Platform(JsonObject config, LaunchSettings launch, io.vertx.core.transport.Transport transport,
      List<AuthBootstrap.NewSecret> newSecrets) {
    this.config = config;
    this.launch = launch;
    this.transport = transport;
    this.newSecrets = newSecrets;
  }

  /**
   * Checks every section of the configuration (so that a bad key fails before anything starts)
   * and resolves what the verticles need: the Kafka address and the auth material.
   */
  public static Platform prepare(JsonObject config) {
    LaunchSettings launch = LaunchSettings.from(config);
    // a transport that cannot load here fails now, not once the broker is starting
    io.vertx.core.transport.Transport transport = EventLoopTransport.select(launch.transport());
    if (launch.embeddedKafka()) {
      config.getJsonObject("kafka").put("bootstrapServers", "127.0.0.1:" + launch.kafkaPort());
    }
    KafkaSettings.from(config);
    ApiConfig.from(config);
    IngestConfig.from(config);
    EmbedConfig.resolveSecretFiles(config);
    EmbedConfig.from(config);
    LiveMapConfig.from(config);
    GeocodeConfig.resolveSecretFiles(config);
    GeocodeConfig.from(config);
    GeofenceConfig.from(config);
    resolveNodeId(config, launch);
    List<AuthBootstrap.NewSecret> created = AuthBootstrap.resolve(config, launch.dataDir(), true);
    AuthSettings.from(config);
    return new Platform(config, launch, transport, created);
  }

  /** A stable name for this node (its per-node consumer groups): from conf, else kept in the data dir. */
  private static void resolveNodeId(JsonObject config, LaunchSettings launch) {
    JsonObject node = config.getJsonObject("node");
    if (node == null) config.put("node", node = new JsonObject());
    String id = node.getString("id", "");
    if (!id.isBlank()) return;
    java.nio.file.Path file = launch.dataDir().resolve("node-id");
    try {
      if (Files.exists(file)) {
        id = Files.readString(file).trim();
      } else {
        id = "node-" + java.util.UUID.randomUUID().toString().substring(0, 8);
        Files.createDirectories(launch.dataDir());
        Files.writeString(file, id);
      }
    } catch (IOException e) {
      throw new IllegalStateException("cannot keep the node id in " + file + ": " + e.getMessage(), e);
    }
    node.put("id", id);
  }

  public Platform start() throws Exception {
    long t0 = System.nanoTime();
    Files.createDirectories(launch.dataDir());
    lockDataDir();
    log.info("configuration [config: {}]", ConfigLoader.redacted(config).encode());
    // the offline gazetteer takes a second or two to load: do it while the broker starts
    if (GeocodeConfig.from(config).providers().contains(io.codex.geo.OfflineGeocoder.NAME)) {
      Thread preload = new Thread(io.codex.geo.Gazetteer::bundled, "codex-gazetteer-load");
      preload.setDaemon(true);
      preload.start();
    }
    CompletableFuture<Void> brokerUp = CompletableFuture.completedFuture(null);
    if (launch.embeddedKafka()) {
      broker = new EmbeddedKafka(launch.dataDir().resolve("kafka"), launch.kafkaPort(), launch.controllerPort());
      brokerUp = CompletableFuture.runAsync(() -> {
        try {
          broker.start();
        } catch (IOException e) {
          throw new IllegalStateException(e.getMessage(), e);
        }
      });
    }
    vertx = createVertx();
    Codecs.registerAll(vertx);
    try {
      brokerUp.get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException("the embedded Kafka broker did not start: " + e.getCause().getMessage(), e.getCause());
    }
    KafkaSettings kafka = KafkaSettings.from(config);
    admin = SharedAdmin.create(vertx, kafka);
    await(new TopicAdmin(vertx, kafka).ensureTopics(), "creating the Kafka topics at " + kafka.bootstrapServers());
    producer = SharedProducer.create(vertx, kafka);
    producerMetrics = new KafkaClientMetrics(producer.raw());
    producerMetrics.bindTo(NodeMetrics.registry(vertx));
    io.micrometer.core.instrument.FunctionCounter.builder("codex.kafka.producer.early.sends", producer, SharedProducer::earlySends)
        .description("produce requests sent before the linger was up, because kafka.producer.earlySendRecords records waited")
        .register(NodeMetrics.registry(vertx));
    producer.warmUp(java.util.Arrays.stream(Topic.values()).map(kafka::topic).toList(), STEP_TIMEOUT);
    // in stages, each stage's verticles side by side: the replicas (state every node holds) and the
    // live map first — the map subscribes to the feed before the feed starts — then the feed, then
    // the edges that take connections
    deploy(Map.of(DeviceRegistryVerticle.class.getName(), 1, EmbedLinkVerticle.class.getName(), 1,
        GeofenceRegistryVerticle.class.getName(), 1,
        LiveMapVerticle.class.getName(), LiveMapConfig.from(config).instances()));
    // then, side by side, everything that needs the registries: the feeds and the geofence evaluation
    // (which need the fences) read Kafka from where their groups left off, so nothing ingested
    // while they start is missed
    deploy(Map.of(TelemetryFeedVerticle.class.getName(), 1, GeofenceEvaluatorVerticle.class.getName(), 1,
        GeofenceEventFeedVerticle.class.getName(), 1,
        ApiVerticle.class.getName(), launch.httpInstances(),
        MqttIngestVerticle.class.getName(), IngestConfig.from(config).mqttInstances()));
    Status.markDeployed(vertx, true);
    log.info("codex ready [ms: {}, http: {}, kafka: {}, cluster: {}, transport: {}]", (System.nanoTime() - t0) / 1_000_000,
        ApiConfig.from(config).port(), kafka.bootstrapServers(), launch.cluster(), transport.name());
    return this;
  }

  private Vertx createVertx() throws Exception {
    Vertx vertx = buildVertx();
    NodeMetrics.name(vertx, registryName);
    return vertx;
  }

  private Vertx buildVertx() throws Exception {
    VertxOptions options = new VertxOptions().setMetricsOptions(new MicrometerMetricsOptions()
        .setEnabled(true)
        .setRegistryName(registryName)
        .setJvmMetricsEnabled(true)
        // per-message event-bus meters cost a registry lookup for every record of the live feed
        .setDisabledMetricsCategories(io.codex.config.ConfigReader.of(config).section("metrics").bool("eventBus", false)
            ? java.util.Set.of() : java.util.Set.of(io.vertx.micrometer.MetricsDomain.EVENT_BUS.toCategory()))
        .setPrometheusOptions(new VertxPrometheusOptions().setEnabled(true)));
    var builder = Vertx.builder().with(options).withMetrics(new MicrometerMetricsFactory()).withTransport(transport);
    if (!launch.cluster()) return builder.build();
    options.getEventBusOptions().setHost(launch.clusterHost()).setPort(launch.clusterPort());
    // Hazelcast picks its logger before it reads hazelcast.logging.type from the file: without this its
    // first lines (config loading, warnings) bypass logback and go to stderr through java.util.logging
    if (System.getProperty("hazelcast.logging.type") == null) System.setProperty("hazelcast.logging.type", "slf4j");
    Config hz = new FileSystemXmlConfig(launch.clusterConfig().toString());
    if (!launch.clusterMembers().isEmpty()) {
      hz.getNetworkConfig().getJoin().getTcpIpConfig().setEnabled(true).setMembers(launch.clusterMembers());
      hz.getNetworkConfig().getJoin().getMulticastConfig().setEnabled(false);
    }
    hz.getNetworkConfig().getInterfaces().setEnabled(true).setInterfaces(List.of(launch.clusterHost()));
    // bind the member port to cluster.host only (Hazelcast otherwise listens on every interface)
    hz.setProperty("hazelcast.socket.bind.any", "false");
    return await(builder.with(options).withClusterManager(new HazelcastClusterManager(hz)).buildClustered(),
        "joining the cluster");
  }

  /** Deploys these verticles (name → instances) concurrently and waits for all of them. */
  private void deploy(Map<String, Integer> verticles) throws Exception {
    Map<String, Future<String>> started = new java.util.LinkedHashMap<>();
    verticles.forEach((name, instances) -> started.put(name,
        vertx.deployVerticle(name, new DeploymentOptions().setConfig(config).setInstances(instances))));
    for (var e : started.entrySet()) deployments.add(await(e.getValue(), "deploying " + e.getKey()));
  }

  private void lockDataDir() throws IOException {
    lockChannel = FileChannel.open(launch.dataDir().resolve(".lock"), StandardOpenOption.CREATE, StandardOpenOption.WRITE);
    lock = lockChannel.tryLock();
    if (lock == null) {
      lockChannel.close();
      throw new IllegalStateException("another Codex is running on data dir " + launch.dataDir().toAbsolutePath());
    }
  }

  private static <T> T await(Future<T> f, String what) throws Exception {
    try {
      return f.toCompletionStage().toCompletableFuture().get(STEP_TIMEOUT.toSeconds(), TimeUnit.SECONDS);
    } catch (java.util.concurrent.ExecutionException e) {
      throw new IllegalStateException(what + " failed: " + e.getCause().getMessage(), e.getCause());
    } catch (java.util.concurrent.TimeoutException e) {
      throw new IllegalStateException(what + " timed out after " + STEP_TIMEOUT.toSeconds() + " s", e);
    }
  }

  /** The in-process broker of embedded mode (null with an external Kafka); tests stop and restart it. */
  public EmbeddedKafka embeddedBroker() {
    return broker;
  }

  public Vertx vertx() {
    return vertx;
  }

  public JsonObject config() {
    return config;
  }

  public LaunchSettings launch() {
    return launch;
  }

  public int httpPort() {
    return ApiConfig.from(config).port();
  }

  /** The network transport of the event loops ({@code node.transport}): epoll, io_uring or nio. */
  public String transport() {
    return transport.name();
  }

  public String bootstrapServers() {
    return KafkaSettings.from(config).bootstrapServers();
  }

  /** API client secrets generated at this start (first start only): shown once, then only hashes remain. */
  public List<AuthBootstrap.NewSecret> newSecrets() {
    return newSecrets;
  }

  @Override
  public synchronized void close() {
    long t0 = System.nanoTime();
    if (vertx != null) {
      Status.markDeployed(vertx, false);
      List<String> newestFirst = new ArrayList<>(deployments);
      java.util.Collections.reverse(newestFirst);
      for (String id : newestFirst) {
        quietly(() -> await(vertx.undeploy(id), "undeploy"));
      }
      deployments.clear();
      if (producerMetrics != null) producerMetrics.close();
      if (producer != null) {
        quietly(() -> {
          producer.close();
          return null;
        });
        producer = null;
      }
      if (admin != null) {
        quietly(() -> {
          admin.close();
          return null;
        });
        admin = null;
      }
      quietly(() -> await(vertx.close(), "closing vert.x"));
      vertx = null;
    }
    if (broker != null) {
      quietly(() -> {
        broker.close();
        return null;
      });
      broker = null;
    }
    quietly(() -> {
      if (lock != null) lock.release();
      if (lockChannel != null) lockChannel.close();
      return null;
    });
    log.info("codex stopped [ms: {}]", (System.nanoTime() - t0) / 1_000_000);
  }

  private interface Step {
    Object run() throws Exception;
  }

  private static void quietly(Step step) {
    try {
      step.run();
    } catch (Exception e) {
      log.warn("shutdown step failed: {}", e.getMessage());
    }
  }
}
