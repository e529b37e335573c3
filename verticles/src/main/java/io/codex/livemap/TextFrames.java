package io.codex.livemap;

import io.netty.buffer.ByteBuf;
import io.netty.buffer.Unpooled;
import io.vertx.core.http.WebSocketBase;
import io.vertx.core.http.WebSocketFrameType;
import io.vertx.core.http.impl.ws.WebSocketFrameImpl;
import java.nio.charset.StandardCharsets;

/**
 * One serialised text message written to many sockets without a copy per socket: the bytes are
 * wrapped once in an unreleasable buffer and each socket gets its own view of them. Large
 * messages go out as 64 KiB fragments, which clients with a frame-size limit (Vert.x's default is
 * 64 KiB) accept; browsers reassemble them.
 */
final class TextFrames {
  static final int FRAGMENT = 64 * 1024;

  private final ByteBuf content;

  private TextFrames(byte[] utf8) {
    this.content = Unpooled.unreleasableBuffer(Unpooled.wrappedBuffer(utf8));
  }

  static TextFrames of(byte[] utf8) {
    return new TextFrames(utf8);
  }

  static TextFrames of(String text) {
    return new TextFrames(text.getBytes(StandardCharsets.UTF_8));
  }

  int length() {
    return content.readableBytes();
  }

  /** Writes the message; called from one thread per socket, so fragments are never interleaved. */
  void writeTo(WebSocketBase ws) {
    int len = content.readableBytes();
    if (len <= FRAGMENT) {
      ws.writeFrame(new WebSocketFrameImpl(WebSocketFrameType.TEXT, content.duplicate(), true));
      return;
    }
    for (int off = 0; off < len; off += FRAGMENT) {
      int n = Math.min(FRAGMENT, len - off);
      ws.writeFrame(new WebSocketFrameImpl(off == 0 ? WebSocketFrameType.TEXT : WebSocketFrameType.CONTINUATION,
          content.slice(off, n), off + n >= len));
    }
  }
}
