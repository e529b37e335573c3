package io.codex.livemap;

import io.codex.security.Caller;
import io.vertx.core.Future;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.json.JsonObject;
import java.util.function.Function;

/**
 * One {@code /ws/live} connection. Its state is read and written only on the context of the live
 * map verticle instance that owns it; the socket's own handlers hop there.
 */
final class LiveClient {
  final ServerWebSocket ws;
  final String remote;
  final Function<String, Future<Caller>> verifier;
  final long connectedAt;
  Caller caller;
  long expiresAtMs;
  boolean authenticating;
  JsonObject subscribeWhileAuthenticating;
  Subscription sub;
  long lastHeard;
  long lastPing;
  /** When its send queue was first found over the bound (nanoTime); 0 while it keeps up. */
  long behindSince;
  /** Positions the index first saw before this (nanoTime) were delivered to it, or superseded. */
  long deliveredUpTo;
  /** A (re)subscription whose current positions are still to be sent. */
  boolean snapshotPending;
  boolean closing;
  boolean detached;

  LiveClient(ServerWebSocket ws, Caller caller, long expiresAtMs, Function<String, Future<Caller>> verifier, long now) {
    this.ws = ws;
    this.remote = String.valueOf(ws.remoteAddress());
    this.caller = caller;
    this.expiresAtMs = expiresAtMs;
    this.verifier = verifier;
    this.connectedAt = now;
    this.lastHeard = now;
    this.lastPing = now;
  }

  /** Over the bound on queued bytes (a closed socket counts as full: nothing more goes to it). */
  boolean queueFull() {
    try {
      return ws.writeQueueFull();
    } catch (IllegalStateException closed) {
      return true;
    }
  }

  String subject() {
    return caller == null ? "-" : caller.subject();
  }
}
