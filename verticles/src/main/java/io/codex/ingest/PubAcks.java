package io.codex.ingest;

import io.netty.channel.ChannelHandlerContext;
import io.netty.handler.codec.mqtt.MqttFixedHeader;
import io.netty.handler.codec.mqtt.MqttMessage;
import io.netty.handler.codec.mqtt.MqttMessageFactory;
import io.netty.handler.codec.mqtt.MqttMessageType;
import io.netty.handler.codec.mqtt.MqttProperties;
import io.netty.handler.codec.mqtt.MqttPubReplyMessageVariableHeader;
import io.netty.handler.codec.mqtt.MqttQoS;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Successful PUBACKs written straight to a connection's Netty pipeline, so that a burst of them
 * can share one flush: vertx-mqtt's {@code publishAcknowledge} flushes every message, which is one
 * socket write per message when acknowledgements come from outside a read (here: Kafka's acks).
 * The message is the one vertx-mqtt builds (the pipeline's MQTT encoder writes it for the
 * connection's protocol version). vertx-mqtt keeps the connection in a private field; when it
 * cannot be read (another vertx-mqtt version), {@link #channel} gives null and the caller falls
 * back to {@code publishAcknowledge}.
 */
final class PubAcks {
  private static final Logger log = LoggerFactory.getLogger(PubAcks.class);
  private static final Field CONNECTION = connectionField();

  private PubAcks() {}

  private static Field connectionField() {
    try {
      Field f = Class.forName("io.vertx.mqtt.impl.MqttEndpointImpl").getDeclaredField("conn");
      f.setAccessible(true);
      return NetSocketInternal.class.isAssignableFrom(f.getType()) ? f : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      log.info("mqtt PUBACKs are flushed one by one: {}", e.toString());
      return null;
    }
  }

  /**
   * The endpoint's Netty context, or null when it cannot be reached or does not run on the calling
   * thread (the verticle's event loop, which keeps the list of connections to flush).
   */
  static ChannelHandlerContext channel(MqttEndpoint endpoint) {
    if (CONNECTION == null || !CONNECTION.getDeclaringClass().isInstance(endpoint)) return null;
    try {
      ChannelHandlerContext ctx = ((NetSocketInternal) CONNECTION.get(endpoint)).channelHandlerContext();
      return ctx.executor().inEventLoop() ? ctx : null;
    } catch (ReflectiveOperationException | RuntimeException e) {
      return null;
    }
  }

  /** PUBACK with reason SUCCESS and no properties, as vertx-mqtt's publishAcknowledge(id) builds it. */
  static MqttMessage success(int messageId) {
    return MqttMessageFactory.newMessage(new MqttFixedHeader(MqttMessageType.PUBACK, false, MqttQoS.AT_MOST_ONCE, false, 0),
        new MqttPubReplyMessageVariableHeader(messageId, (byte) 0, MqttProperties.NO_PROPERTIES), null);
  }
}
