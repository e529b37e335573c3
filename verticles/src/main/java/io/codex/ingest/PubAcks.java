package io.codex.ingest;

import io.netty.buffer.ByteBuf;
import io.netty.channel.ChannelHandlerContext;
import io.vertx.core.internal.net.NetSocketInternal;
import io.vertx.mqtt.MqttEndpoint;
import java.lang.reflect.Field;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Successful PUBACKs written straight to a connection's Netty pipeline, so that a burst of them
 * goes out as one buffer and one flush: vertx-mqtt's {@code publishAcknowledge} encodes and flushes
 * every message, which is one socket write per message when acknowledgements come from outside a
 * read (here: Kafka's acks). The bytes pass the pipeline's MQTT encoder untouched (it encodes only
 * MQTT messages). vertx-mqtt keeps the connection in a private field; when it cannot be read
 * (another vertx-mqtt version), {@link #channel} gives null and the caller falls back to
 * {@code publishAcknowledge}.
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

  /**
   * Appends a PUBACK with reason SUCCESS and no properties to {@code out}: fixed header 0x40,
   * remaining length 2, the message id. It is the same four bytes in MQTT 3.1.1 and 5 (MQTT 5
   * leaves out the reason code when it is SUCCESS and there are no properties, 3.4.2.1), so the
   * PUBACKs of a burst go out as one buffer instead of one encoded message each.
   */
  static ByteBuf append(ByteBuf out, int messageId) {
    return out.writeByte(0x40).writeByte(2).writeShort(messageId);
  }
}
