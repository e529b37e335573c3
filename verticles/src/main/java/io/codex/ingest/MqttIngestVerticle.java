package io.codex.ingest;

import io.codex.bridge.KafkaSettings;
import io.codex.bridge.ProducedTelemetry;
import io.codex.bridge.SharedProducer;
import io.codex.bridge.Topic;
import io.codex.codecs.Addresses;
import io.codex.codecs.DeviceChange;
import io.codex.api.Problem;
import io.codex.security.AuthSettings;
import io.codex.security.Caller;
import io.codex.security.DeviceAuth;
import io.codex.security.DeviceRegistry;
import io.codex.security.Role;
import io.codex.security.TokenService;
import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.TooLongFrameException;
import io.netty.handler.codec.mqtt.MqttConnectReturnCode;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.net.PemKeyCertOptions;
import io.vertx.mqtt.MqttEndpoint;
import io.vertx.mqtt.MqttServer;
import io.vertx.mqtt.MqttServerOptions;
import io.vertx.mqtt.messages.MqttPublishMessage;
import io.vertx.mqtt.messages.codes.MqttDisconnectReasonCode;
import io.vertx.mqtt.messages.codes.MqttPubAckReasonCode;
import java.time.Instant;
import java.util.ArrayDeque;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.HashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The MQTT device feed: topic {@code telemetry/{deviceId}}, username = device id, password = the
 * device secret or a device JWT. QoS 1 is acknowledged only after Kafka holds every record of the
 * message, in the order the messages arrived; QoS 0 is best effort (dropped and counted when the
 * node is at capacity); QoS 2 is refused (MQTT 5: maximum QoS 1 in CONNACK, then 0x9B), as are
 * retained messages under MQTT 5 (Retain Available 0, then 0x9A) and messages over {@code
 * mqtt.maxMessageSize} (MQTT 5: Maximum Packet Size in CONNACK, then 0x95; 3.1.1: closed). Once a
 * connection has {@code mqtt.receiveMaximum} QoS 1 messages unacknowledged (Kafka slow or the node
 * at capacity), the server stops reading its socket until half of them are acknowledged: TCP
 * back-pressure for MQTT 3.1.1 clients, which have no receive maximum. An MQTT 5 client that sends
 * more than the receive maximum it was given is disconnected (0x93), as the protocol says.
 */
public final class MqttIngestVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(MqttIngestVerticle.class);
  private static final String TOPIC_PREFIX = "telemetry/";

  private IngestConfig cfg;
  private DeviceRegistry registry;
  private TokenService tokens;
  private InflightLimiter limiter;
  private IngestMetrics metrics;
  private TelemetryPublisher publisher;
  private final List<MqttServer> servers = new ArrayList<>();
  private final Map<String, Set<Session>> sessionsByDevice = new HashMap<>();
  /** Sessions with PUBACKs written and not flushed yet (all on this verticle's event loop). */
  private final List<Session> unflushed = new ArrayList<>();

  /** One connected device: its identity and its QoS 1 messages awaiting their Kafka acks, in order. */
  private static final class Session {
    final MqttEndpoint endpoint;
    final Caller caller;
    final ArrayDeque<Pending> pending = new ArrayDeque<>();
    /** The connection's Netty context, for PUBACKs written now and flushed together; null: one flush each. */
    final ChannelHandlerContext channel;
    /** Successful PUBACKs of the current burst, not written yet (null: none). */
    ByteBuf acks;
    boolean closed;
    boolean unflushed;
    /** Socket reads stopped until enough PUBACKs went out. */
    boolean paused;

    Session(MqttEndpoint endpoint, Caller caller) {
      this.endpoint = endpoint;
      this.caller = caller;
      this.channel = PubAcks.channel(endpoint);
    }

    boolean v5() {
      return endpoint.protocolVersion() == 5;
    }
  }

  private static final class Pending {
    final int messageId;
    boolean done;
    MqttPubAckReasonCode reason;

    Pending(int messageId) {
      this.messageId = messageId;
    }
  }

  @Override
  public Future<?> start() {
    cfg = IngestConfig.from(config());
    KafkaSettings kafka = KafkaSettings.from(config());
    registry = DeviceRegistry.shared(vertx);
    tokens = TokenService.create(vertx, AuthSettings.from(config()));
    limiter = InflightLimiter.shared(vertx, cfg);
    metrics = IngestMetrics.shared(vertx, limiter);
    publisher = new TelemetryPublisher(SharedProducer.of(vertx), ProducedTelemetry.of(vertx), kafka.topic(Topic.TELEMETRY), limiter, metrics, "mqtt");
    vertx.eventBus().<DeviceChange>localConsumer(Addresses.DEVICES_CHANGED, msg -> {
      if (msg.body().kind() == DeviceChange.Kind.REVOKED) disconnectRevoked(msg.body().deviceId());
    });
    List<Future<MqttServer>> listening = new ArrayList<>();
    listening.add(listen(new MqttServerOptions().setHost(cfg.mqttHost()).setPort(cfg.mqttPort()), "mqtt.port, --mqtt-port"));
    if (cfg.mqttTls()) {
      listening.add(listen(new MqttServerOptions().setHost(cfg.mqttHost()).setPort(cfg.mqttTlsPort()).setSsl(true)
          .setKeyCertOptions(new PemKeyCertOptions().setCertPath(cfg.mqttTlsCertFile()).setKeyPath(cfg.mqttTlsKeyFile())),
          "mqtt.tls.port"));
    }
    return Future.all(listening);
  }

  /** @param setting where the port is set, for the message when it cannot be listened on */
  private Future<MqttServer> listen(MqttServerOptions options, String setting) {
    options.setMaxMessageSize(cfg.mqttMaxMessageSize()).setTimeoutOnConnect(cfg.mqttConnectTimeoutSeconds());
    MqttServer server = MqttServer.create(vertx, options);
    servers.add(server);
    return server.endpointHandler(this::connect).exceptionHandler(t -> log.debug("mqtt connection error: {}", t.getMessage())).listen()
        .recover(t -> Future.failedFuture(new IllegalStateException("cannot listen for MQTT on " + options.getHost() + ":"
            + options.getPort() + " (" + setting + "): " + t.getMessage(), t)));
  }

  private void connect(MqttEndpoint endpoint) {
    boolean v5 = endpoint.protocolVersion() == 5;
    if (endpoint.auth() == null || endpoint.auth().getUsername() == null || endpoint.auth().getPassword() == null) {
      endpoint.reject(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
          : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
      return;
    }
    String username = endpoint.auth().getUsername();
    String password = endpoint.auth().getPassword();
    authenticate(username, password).onComplete(ar -> {
      if (ar.failed()) {
        log.info("mqtt connection refused [device: {}, reason: bad credentials]", username);
        endpoint.reject(v5 ? MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USERNAME_OR_PASSWORD
            : MqttConnectReturnCode.CONNECTION_REFUSED_BAD_USER_NAME_OR_PASSWORD);
        return;
      }
      Session s = new Session(endpoint, ar.result());
      endpoint.publishHandler(m -> publish(s, m));
      endpoint.subscribeHandler(sub -> {
        // devices publish here; subscriptions are not part of the ingest contract
        List<io.vertx.mqtt.messages.codes.MqttSubAckReasonCode> codes = new ArrayList<>();
        sub.topicSubscriptions().forEach(t -> codes.add(io.vertx.mqtt.messages.codes.MqttSubAckReasonCode.NOT_AUTHORIZED));
        endpoint.subscribeAcknowledge(sub.messageId(), codes, MqttProperties.NO_PROPERTIES);
      });
      endpoint.closeHandler(v -> closed(s));
      endpoint.exceptionHandler(t -> failed(s, t));
      sessionsByDevice.computeIfAbsent(username, k -> new HashSet<>()).add(s);
      metrics.mqttConnections.incrementAndGet();
      if (v5) {
        MqttProperties props = new MqttProperties();
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_QOS.value(), 1));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RECEIVE_MAXIMUM.value(), cfg.mqttReceiveMaximum()));
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.RETAIN_AVAILABLE.value(), 0));
        // the whole packet, fixed header included, so within the limit on what follows that header
        props.add(new MqttProperties.IntegerProperty(MqttProperties.MqttPropertyType.MAXIMUM_PACKET_SIZE.value(), cfg.mqttMaxMessageSize()));
        endpoint.accept(false, props);
      } else {
        endpoint.accept(false);
      }
    });
  }

  private Future<Caller> authenticate(String username, String password) {
    if (password.chars().filter(c -> c == '.').count() == 2) {
      return tokens.verify(password, registry).compose(c -> c.subject().equals(username)
          && (c.has(Role.DEVICE) || c.has(Role.GATEWAY))
          ? Future.succeededFuture(c) : Future.failedFuture("the token is not this device's"));
    }
    return DeviceAuth.authenticate(registry, username, password)
        .map(Future::succeededFuture).orElseGet(() -> Future.failedFuture("bad credentials"));
  }

  private void publish(Session s, MqttPublishMessage m) {
    if (s.closed) return;
    MqttQoS qos = m.qosLevel();
    if (qos == MqttQoS.EXACTLY_ONCE) {
      log.info("mqtt QoS 2 refused [device: {}]", s.caller.subject());
      drop(s, s.v5() ? MqttDisconnectReasonCode.QOS_NOT_SUPPORTED : null);
      return;
    }
    if (m.isRetain() && s.v5()) {
      // CONNACK said Retain Available 0: a retained PUBLISH is then a protocol error (MQTT 5, 3.3.1.3)
      log.info("mqtt retained message refused [device: {}]", s.caller.subject());
      drop(s, MqttDisconnectReasonCode.RETAIN_NOT_SUPPORTED);
      return;
    }
    String topic = m.topicName();
    String deviceId = topic.startsWith(TOPIC_PREFIX) ? topic.substring(TOPIC_PREFIX.length()) : null;
    if (deviceId == null || !TelemetryParser.validId(deviceId)) {
      refuse(s, m, MqttPubAckReasonCode.TOPIC_NAME_INVALID, "invalid", "topic must be telemetry/{deviceId}");
      return;
    }
    if (!s.caller.maySee(deviceId)) {
      log.warn("mqtt publish refused [device: {}, topic: {}, reason: not this device's topic]", s.caller.subject(), topic);
      refuse(s, m, MqttPubAckReasonCode.NOT_AUTHORIZED, "forbidden", "not allowed to publish as " + deviceId);
      return;
    }
    Instant now = Instant.now();
    List<TelemetryParser.Parsed> records;
    try {
      records = TelemetryParser.parse(m.payload().getBytes(), false, deviceId, cfg.maxRecords(), now);
    } catch (Problem p) {
      refuse(s, m, MqttPubAckReasonCode.PAYLOAD_FORMAT_INVALID, "invalid", "invalid telemetry");
      return;
    }
    for (TelemetryParser.Parsed r : records) {
      if (!r.deviceId().equals(deviceId)) {
        refuse(s, m, MqttPubAckReasonCode.NOT_AUTHORIZED, "forbidden", "a record names another device than the topic");
        return;
      }
    }
    long size = TelemetryPublisher.bytes(records);
    Context ctx = vertx.getOrCreateContext();
    if (qos == MqttQoS.AT_MOST_ONCE) {
      if (limiter.tryAcquire(records.size(), size)) {
        publisher.publish(ctx, records, now.toEpochMilli());
      } else {
        metrics.records("mqtt", "overload", records.size());
      }
      return;
    }
    // MQTT 5 clients were told the receive maximum; 3.1.1 clients are held back by pausing reads
    // (what a read had already brought in may go past it), or, when the connection cannot be
    // paused, disconnected like MQTT 5 ones
    if (s.pending.size() >= cfg.mqttReceiveMaximum() && (s.v5() || s.channel == null)) {
      log.warn("mqtt client exceeded its receive window [device: {}, window: {}]", s.caller.subject(), cfg.mqttReceiveMaximum());
      drop(s, s.v5() ? MqttDisconnectReasonCode.RECEIVE_MAXIMUM_EXCEEDED : null);
      return;
    }
    Pending p = new Pending(m.messageId());
    s.pending.add(p);
    if (!s.paused && s.channel != null && s.pending.size() >= cfg.mqttReceiveMaximum()) pauseReads(s);
    publisher.publishAfter(limiter.acquire(ctx, records.size(), size, -1), ctx, records, now.toEpochMilli())
        .onComplete(ar -> {
          p.done = true;
          p.reason = ar.succeeded() ? MqttPubAckReasonCode.SUCCESS : MqttPubAckReasonCode.UNSPECIFIED_ERROR;
          flushAcks(s);
        });
  }

  /**
   * PUBACKs go out in the order the PUBLISHes came in (MQTT 4.6), each once Kafka answered. One
   * produce response acknowledges many messages at once, so successful PUBACKs are written now and
   * flushed once per connection after the whole burst: one socket write instead of one per message.
   */
  private void flushAcks(Session s) {
    while (!s.pending.isEmpty() && s.pending.peek().done) {
      Pending p = s.pending.poll();
      if (s.closed) continue;
      if (p.reason == MqttPubAckReasonCode.SUCCESS && s.channel != null) {
        if (s.acks == null) s.acks = s.channel.alloc().buffer(64);
        PubAcks.append(s.acks, p.messageId);
        if (!s.unflushed) {
          s.unflushed = true;
          if (unflushed.isEmpty()) s.channel.executor().execute(this::flushWritten);
          unflushed.add(s);
        }
      } else if (p.reason == MqttPubAckReasonCode.SUCCESS) {
        s.endpoint.publishAcknowledge(p.messageId);
      } else if (s.v5()) {
        writeAcks(s); // keeps the PUBACKs in the order of the PUBLISHes
        s.endpoint.publishAcknowledge(p.messageId, p.reason, MqttProperties.NO_PROPERTIES);
      } else {
        // MQTT 3.1.1 has no negative PUBACK: closing makes the client resend what was not acked
        log.warn("mqtt message not acknowledged by Kafka; closing [device: {}]", s.caller.subject());
        drop(s, null);
      }
    }
    if (s.paused && !s.closed && s.pending.size() <= cfg.mqttReceiveMaximum() / 2) resumeReads(s);
  }

  private void pauseReads(Session s) {
    s.paused = true;
    metrics.mqttReadPauses.increment();
    metrics.mqttPausedConnections.incrementAndGet();
    s.channel.channel().config().setAutoRead(false);
  }

  private void resumeReads(Session s) {
    s.paused = false;
    metrics.mqttPausedConnections.decrementAndGet();
    s.channel.channel().config().setAutoRead(true); // reads what waited in the socket
  }

  /** Runs after the burst that collected PUBACKs (a task queued behind it on the same event loop). */
  private void flushWritten() {
    for (Session s : unflushed) {
      s.unflushed = false;
      if (s.acks != null) {
        writeAcks(s);
        s.channel.flush();
      }
    }
    unflushed.clear();
  }

  /** Writes the collected PUBACKs (without flushing), before anything else goes to that connection. */
  private static void writeAcks(Session s) {
    ByteBuf acks = s.acks;
    if (acks == null) return;
    s.acks = null;
    if (s.closed) {
      acks.release();
    } else {
      s.channel.write(acks, s.channel.voidPromise());
    }
  }

  /**
   * A refused message, counted under {@code outcome} (as HTTP counts it: {@code invalid} or {@code
   * forbidden}): QoS 0 is dropped; QoS 1 under MQTT 5 gets a PUBACK with the reason, under 3.1.1 (no
   * negative ack) its connection is closed.
   */
  private void refuse(Session s, MqttPublishMessage m, MqttPubAckReasonCode reason, String outcome, String why) {
    metrics.records("mqtt", outcome, 1);
    if (m.qosLevel() == MqttQoS.AT_MOST_ONCE) {
      log.debug("mqtt QoS 0 message dropped [device: {}, reason: {}]", s.caller.subject(), why);
      return;
    }
    if (s.v5()) {
      Pending p = new Pending(m.messageId());
      p.done = true;
      p.reason = reason;
      s.pending.add(p);
      flushAcks(s);
    } else {
      drop(s, null);
    }
  }

  /**
   * An error on a connection. A packet over {@code mqtt.maxMessageSize} leaves the decoder unable to
   * read the rest of the stream: the connection is closed (MQTT 5: DISCONNECT 0x95 first), logged and
   * counted, as nothing of that message was written.
   */
  private void failed(Session s, Throwable t) {
    if (t instanceof TooLongFrameException) {
      log.info("mqtt message over mqtt.maxMessageSize; closing [device: {}, maxMessageSize: {}]", s.caller.subject(),
          cfg.mqttMaxMessageSize());
      metrics.records("mqtt", "too_large", 1);
      drop(s, s.v5() ? MqttDisconnectReasonCode.PACKET_TOO_LARGE : null);
    } else {
      log.debug("mqtt session error [device: {}]: {}", s.caller.subject(), t.getMessage());
    }
  }

  private void drop(Session s, MqttDisconnectReasonCode reason) {
    if (s.closed) return;
    if (s.acks != null) {
      writeAcks(s); // what Kafka acknowledged is still acknowledged
      s.channel.flush();
    }
    if (reason != null) {
      s.endpoint.disconnect(reason, MqttProperties.NO_PROPERTIES);
    } else {
      s.endpoint.close();
    }
    closed(s);
  }

  private void closed(Session s) {
    if (s.closed) return;
    s.closed = true;
    if (s.paused) {
      s.paused = false;
      metrics.mqttPausedConnections.decrementAndGet();
    }
    if (s.acks != null) {
      s.acks.release();
      s.acks = null;
    }
    metrics.mqttConnections.decrementAndGet();
    Set<Session> set = sessionsByDevice.get(s.caller.subject());
    if (set != null) {
      set.remove(s);
      if (set.isEmpty()) sessionsByDevice.remove(s.caller.subject());
    }
  }

  private void disconnectRevoked(String deviceId) {
    Set<Session> set = sessionsByDevice.get(deviceId);
    if (set == null) return;
    for (Session s : List.copyOf(set)) {
      log.info("mqtt session closed: device revoked [device: {}]", deviceId);
      drop(s, s.v5() ? MqttDisconnectReasonCode.NOT_AUTHORIZED : null);
    }
  }

  @Override
  public Future<?> stop() {
    List<Future<Void>> closing = new ArrayList<>();
    servers.forEach(s -> closing.add(s.close()));
    return Future.all(closing);
  }
}
