package io.codex.launcher;

import io.codex.config.ConfigException;
import io.vertx.core.transport.Transport;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The network transport of the node's event loops ({@code node.transport}): Java NIO (the default,
 * runs everywhere), Linux's native epoll through Netty's JNI transport (bundled for linux-x86_64),
 * or io_uring (Linux 5.x and later, when the kernel allows it). {@code auto} takes epoll where it
 * loads and NIO elsewhere; naming a transport that cannot load here fails the start with the
 * reason. Measured side by side on the ingest benchmark, none of them was cheaper per message than
 * another beyond the noise (docs/benchmarks.md), so the default stays the one that runs anywhere.
 */
final class EventLoopTransport {
  private static final Logger log = LoggerFactory.getLogger(EventLoopTransport.class);
  static final String KEY = "node.transport";

  private EventLoopTransport() {}

  /** Checks a setting: one of auto, epoll, io_uring, nio. */
  static String validate(String setting) {
    if (!setting.matches("auto|epoll|io_uring|nio")) {
      throw new ConfigException(KEY, "must be one of auto, epoll, io_uring, nio (got \"" + setting + "\")");
    }
    return setting;
  }

  /** The transport {@code setting} asks for, as available on this machine. */
  static Transport select(String setting) {
    switch (validate(setting)) {
      case "epoll":
        return require(Transport.EPOLL);
      case "io_uring":
        return require(Transport.IO_URING);
      case "nio":
        return Transport.NIO;
      default:
        if (Transport.EPOLL.available()) return Transport.EPOLL;
        log.info("native epoll transport not available, using NIO: {}", String.valueOf(Transport.EPOLL.unavailabilityCause()));
        return Transport.NIO;
    }
  }

  private static Transport require(Transport t) {
    if (t.available()) return t;
    Throwable cause = t.unavailabilityCause();
    throw new ConfigException(KEY, "asks for " + t.name() + ", which cannot load on this machine: "
        + (cause == null ? "unknown reason" : cause.toString()) + " (auto or nio run everywhere)");
  }
}
