package io.codex.livemap;

import io.codex.codecs.Addresses;
import io.codex.codecs.DeviceChange;
import io.codex.codecs.TelemetryRecord;
import io.codex.security.Access;
import io.codex.security.Caller;
import io.vertx.core.AsyncResult;
import io.vertx.core.Future;
import io.vertx.core.VerticleBase;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.eventbus.EventBus;
import io.vertx.core.eventbus.MessageConsumer;
import io.vertx.core.http.ServerWebSocket;
import io.vertx.core.internal.http.WebSocketInternal;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.HashMap;
import java.util.LinkedHashMap;
import java.util.LinkedHashSet;
import java.util.List;
import java.util.Map;
import java.util.Set;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * The live map: keeps this node's latest-position index current from
 * {@code codex.telemetry.received}, and streams positions to the {@code /ws/live} clients that the
 * HTTP edge hands over. Each instance owns its clients and one flush timer: every flush interval
 * the positions that changed (latest per device only) are matched against each distinct
 * subscription, serialised once per subscription and written to every client holding it.
 *
 * <p>Slow clients: a client whose send queue is over {@code livemap.maxQueuedBytes} is skipped
 * (nothing is queued for it on the server); once its queue drains it gets the newest position of
 * every device that changed meanwhile, and if it stays behind for {@code livemap.stallTimeout} it
 * is closed with 4008 "too slow". Alerts and geofence events are forwarded as they happen.
 */
public final class LiveMapVerticle extends VerticleBase {
  private static final Logger log = LoggerFactory.getLogger(LiveMapVerticle.class);

  static final short CLOSE_GOING_AWAY = 1001;
  static final short CLOSE_IDLE = 4001;
  static final short CLOSE_TOO_SLOW = 4008;
  static final short CLOSE_UNAUTHORIZED = 4401;
  static final short CLOSE_FORBIDDEN = 4403;
  private static final long CUT_AFTER_CLOSE_MS = 2_000;
  /** Positions first seen this long before a client's last delivery are re-sent when it catches up. */
  private static final long CATCH_UP_MARGIN_NANOS = TimeUnit.SECONDS.toNanos(1);

  private LiveMapConfig cfg;
  private LatestPositions index;
  private LiveMapMetrics metrics;
  private LiveMapHub hub;
  private final Map<String, Position> dirty = new HashMap<>();
  private final Set<LiveClient> clients = new LinkedHashSet<>();
  /** Clients by subscription: equal subscriptions share one message per flush. */
  private final Map<Subscription, List<LiveClient>> groups = new LinkedHashMap<>();
  private final AtomicInteger clientCount = new AtomicInteger();
  private final List<MessageConsumer<?>> consumers = new ArrayList<>();
  private long flushTimer = -1;
  private long houseTimer = -1;

  @Override
  public Future<?> start() {
    cfg = LiveMapConfig.from(config());
    index = LatestPositions.shared(vertx);
    metrics = LiveMapMetrics.shared(vertx);
    hub = LiveMapHub.shared(vertx);
    EventBus eb = vertx.eventBus();
    consumers.add(eb.<TelemetryRecord>localConsumer(Addresses.TELEMETRY_RECEIVED, m -> onRecord(m.body())));
    consumers.add(eb.localConsumer(Addresses.ALERTS_RAISED, m -> onEvent("alert", "alert", m.body())));
    consumers.add(eb.localConsumer(Addresses.GEOFENCES_CROSSED, m -> onEvent("geofence", "event", m.body())));
    consumers.add(eb.<DeviceChange>localConsumer(Addresses.DEVICES_CHANGED, m -> {
      if (m.body() != null && m.body().kind() == DeviceChange.Kind.REVOKED) index.remove(m.body().deviceId());
    }));
    flushTimer = vertx.setPeriodic(cfg.flushInterval().toMillis(), id -> flush());
    houseTimer = vertx.setPeriodic(Math.min(500, cfg.stallTimeout().toMillis() / 2), id -> housekeeping());
    List<Future<?>> ready = new ArrayList<>();
    consumers.forEach(c -> ready.add(c.completion()));
    return Future.all(ready).onSuccess(v -> hub.register(this));
  }

  @Override
  public Future<?> stop() {
    hub.unregister(this);
    vertx.cancelTimer(flushTimer);
    vertx.cancelTimer(houseTimer);
    List<Future<?>> closed = new ArrayList<>();
    for (LiveClient c : List.copyOf(clients)) {
      closed.add(c.ws.close(CLOSE_GOING_AWAY, "server shutting down").recover(t -> Future.succeededFuture()));
    }
    consumers.forEach(MessageConsumer::unregister);
    return Future.join(closed);
  }

  int clientCount() {
    return clientCount.get();
  }

  // ---------------------------------------------------------------- clients

  /**
   * Takes over an upgraded socket (called on the HTTP edge's context). {@code caller} is null when
   * the client is to authenticate with its first message.
   */
  void accept(ServerWebSocket ws, Caller caller, long expiresAtMs, Function<String, Future<Caller>> verifier) {
    clientCount.incrementAndGet();
    LiveClient c = new LiveClient(ws, caller, expiresAtMs, verifier, System.nanoTime());
    ws.setWriteQueueMaxSize((int) Math.min(Integer.MAX_VALUE, cfg.maxQueuedBytes()));
    // the socket's events arrive on the edge's event loop; the client's state lives on this instance's
    ws.textMessageHandler(text -> context.runOnContext(v -> onMessage(c, text)));
    ws.binaryMessageHandler(b -> context.runOnContext(v -> sendError(c, "send JSON text messages", null)));
    ws.pongHandler(b -> context.runOnContext(v -> c.lastHeard = System.nanoTime()));
    ws.drainHandler(v -> context.runOnContext(x -> drained(c)));
    ws.exceptionHandler(t -> log.debug("live map socket error [remote: {}]: {}", c.remote, t.getMessage()));
    ws.closeHandler(v -> context.runOnContext(x -> detach(c)));
    context.runOnContext(v -> attach(c));
  }

  private void attach(LiveClient c) {
    clients.add(c);
    metrics.clients.incrementAndGet();
    log.debug("live map client connected [subject: {}, remote: {}]", c.subject(), c.remote);
    if (c.caller != null) send(c, Messages.ready(c.caller, cfg.flushInterval().toMillis()), "ready");
  }

  private void detach(LiveClient c) {
    if (c.detached) return;
    c.detached = true;
    c.closing = true;
    leaveGroup(c);
    if (clients.remove(c)) metrics.clients.decrementAndGet();
    clientCount.decrementAndGet();
    hub.release();
    log.debug("live map client disconnected [subject: {}, remote: {}, code: {}]", c.subject(), c.remote, c.ws.closeStatusCode());
  }

  private void onMessage(LiveClient c, String text) {
    c.lastHeard = System.nanoTime();
    if (c.closing) return;
    JsonObject m;
    try {
      m = new JsonObject(text);
    } catch (RuntimeException e) {
      sendError(c, "messages must be JSON objects", null);
      return;
    }
    String type = m.getValue("type") instanceof String s ? s : "";
    if (c.caller == null) {
      if (c.authenticating) {
        if (type.equals("subscribe")) c.subscribeWhileAuthenticating = m;
        return;
      }
      if (!type.equals("auth") || !(m.getValue("token") instanceof String token) || token.isBlank()) {
        close(c, CLOSE_UNAUTHORIZED, "authenticate first: {\"type\":\"auth\",\"token\":\"…\"}", "unauthorized");
        return;
      }
      c.authenticating = true;
      c.verifier.apply(token).onComplete(ar -> context.runOnContext(v -> authenticated(c, ar, Messages.expiryMillis(token))));
      return;
    }
    switch (type) {
      case "subscribe" -> subscribe(c, m);
      case "unsubscribe" -> {
        leaveGroup(c);
        c.sub = null;
      }
      case "auth" -> sendError(c, "already authenticated", null);
      case "ping" -> send(c, "{\"type\":\"pong\"}", "pong");
      default -> sendError(c, "unknown message type \"" + type + "\" (subscribe, unsubscribe, ping)", "type");
    }
  }

  private void authenticated(LiveClient c, AsyncResult<Caller> ar, long expiresAtMs) {
    c.authenticating = false;
    if (c.closing) return;
    if (ar.failed()) {
      close(c, CLOSE_UNAUTHORIZED, "invalid or expired token", "unauthorized");
    } else if (!Access.VIEWER.allows(ar.result())) {
      close(c, CLOSE_FORBIDDEN, "the live map needs one of the roles admin, analyst, viewer", "forbidden");
    } else {
      c.caller = ar.result();
      c.expiresAtMs = expiresAtMs;
      send(c, Messages.ready(c.caller, cfg.flushInterval().toMillis()), "ready");
      if (c.subscribeWhileAuthenticating != null) subscribe(c, c.subscribeWhileAuthenticating);
      c.subscribeWhileAuthenticating = null;
    }
  }

  private void subscribe(LiveClient c, JsonObject m) {
    Subscription sub;
    try {
      sub = Subscription.parse(m, c.caller.devices());
    } catch (Subscription.Invalid e) {
      sendError(c, e.getMessage(), e.field);
      return;
    }
    leaveGroup(c);
    c.sub = sub;
    groups.computeIfAbsent(sub, k -> new ArrayList<>()).add(c);
    c.snapshotPending = true;
    if (!c.queueFull()) {
      catchUp(c);
    } else if (c.behindSince == 0) {
      c.behindSince = System.nanoTime();
    }
  }

  private void leaveGroup(LiveClient c) {
    if (c.sub == null) return;
    List<LiveClient> members = groups.get(c.sub);
    if (members != null) {
      members.remove(c);
      if (members.isEmpty()) groups.remove(c.sub);
    }
  }

  /** The client's queue drained: it gets the newest state it missed (or its snapshot). */
  private void drained(LiveClient c) {
    if (c.closing || c.sub == null || (c.behindSince == 0 && !c.snapshotPending) || c.queueFull()) return;
    catchUp(c);
  }

  private void catchUp(LiveClient c) {
    long now = System.nanoTime();
    boolean snapshot = c.snapshotPending;
    long since = c.deliveredUpTo - CATCH_UP_MARGIN_NANOS;
    List<Position> ps = new ArrayList<>();
    for (Position p : index.all()) {
      if ((snapshot || p.seenAt - since > 0) && c.sub.matches(p)) ps.add(p);
    }
    c.behindSince = 0;
    c.snapshotPending = false;
    c.deliveredUpTo = now;
    if (ps.isEmpty() && !snapshot) return;
    TextFrames.of(Messages.positions(ps, snapshot)).writeTo(c.ws);
    metrics.message("positions");
    metrics.features.increment(ps.size());
  }

  // ---------------------------------------------------------------- the feed

  private void onRecord(TelemetryRecord r) {
    Position p = index.offer(r);
    if (p != null) dirty.put(p.deviceId, p);
  }

  private void flush() {
    if (dirty.isEmpty()) return;
    long now = System.nanoTime();
    List<Position> batch = new ArrayList<>(dirty.values());
    dirty.clear();
    if (groups.isEmpty()) return;
    for (Map.Entry<Subscription, List<LiveClient>> g : groups.entrySet()) {
      Subscription sub = g.getKey();
      TextFrames msg = null;
      int count = -1;
      for (LiveClient c : g.getValue()) {
        // behind: it gets the newest state when its queue drains, not this flush
        if (c.closing || c.behindSince != 0 || c.snapshotPending) continue;
        if (c.queueFull()) {
          c.behindSince = now;
          metrics.behind.increment();
          continue;
        }
        if (count < 0) {
          List<Position> mine = new ArrayList<>();
          for (Position p : batch) {
            if (sub.matches(p)) mine.add(p);
          }
          count = mine.size();
          if (count > 0) msg = TextFrames.of(Messages.positions(mine, false));
        }
        c.deliveredUpTo = now;
        if (msg == null) continue;
        msg.writeTo(c.ws);
        metrics.message("positions");
        metrics.features.increment(count);
      }
    }
  }

  private void onEvent(String type, String field, Object body) {
    JsonObject ev = asJson(body);
    if (ev == null) {
      log.debug("{} event with a body that is not JSON skipped", type);
      return;
    }
    String deviceId = ev.getValue("deviceId") instanceof String s ? s : null;
    TextFrames msg = null;
    for (LiveClient c : clients) {
      if (c.closing || c.sub == null || !c.sub.mayReceiveEventOf(deviceId)) continue;
      // only a client already found slow misses events: a momentarily full queue is not slowness here
      // (Vert.x counts writes from another thread in messages, high-water mark 16, and a burst of
      // transitions is more than that), and the next flush marks a client that really is slow
      if (c.behindSince != 0) {
        metrics.dropped(type);
        continue;
      }
      if (msg == null) msg = TextFrames.of(Messages.event(type, field, ev));
      msg.writeTo(c.ws);
      metrics.message(type);
    }
  }

  private static JsonObject asJson(Object body) {
    try {
      if (body instanceof JsonObject o) return o;
      if (body instanceof String s) return new JsonObject(s);
      if (body instanceof Buffer b) return new JsonObject(b);
    } catch (RuntimeException notJson) {
      return null;
    }
    return null;
  }

  // ---------------------------------------------------------------- keep-alive, timeouts, slow clients

  private void housekeeping() {
    long now = System.nanoTime();
    long nowMs = System.currentTimeMillis();
    for (LiveClient c : List.copyOf(clients)) {
      if (c.closing) continue;
      if (c.caller == null) {
        if (now - c.connectedAt > cfg.authTimeout().toNanos()) {
          close(c, CLOSE_UNAUTHORIZED, "no auth message within " + cfg.authTimeout().toMillis() + " ms", "unauthorized");
        }
        continue;
      }
      if (nowMs >= c.expiresAtMs) {
        close(c, CLOSE_UNAUTHORIZED, "token expired", "token_expired");
        continue;
      }
      if (now - c.lastHeard > cfg.idleTimeout().toNanos()) {
        close(c, CLOSE_IDLE, "idle timeout", "idle");
        continue;
      }
      boolean full = c.queueFull();
      if (c.behindSince != 0 && full) {
        if (now - c.behindSince > cfg.stallTimeout().toNanos()) {
          close(c, CLOSE_TOO_SLOW, "too slow", "too_slow");
          continue;
        }
      } else if ((c.behindSince != 0 || c.snapshotPending) && c.sub != null) {
        // the drain event may have come before the client was marked behind
        catchUp(c);
      }
      if (!full && now - c.lastPing >= cfg.pingInterval().toNanos()) {
        c.lastPing = now;
        c.ws.writePing(Buffer.buffer("codex"));
      }
    }
  }

  private void close(LiveClient c, short code, String reason, String metric) {
    if (c.closing) return;
    c.closing = true;
    leaveGroup(c);
    metrics.disconnect(metric);
    log.info("live map client closed by the server [subject: {}, remote: {}, code: {}, reason: {}]", c.subject(), c.remote, code, reason);
    c.ws.close(code, reason);
    // a client that does not read never takes the close frame: cut its connection after a grace period
    vertx.setTimer(CUT_AFTER_CLOSE_MS, id -> {
      if (!c.detached && c.ws instanceof WebSocketInternal wi) wi.channelHandlerContext().close();
    });
  }

  private void send(LiveClient c, String text, String type) {
    c.ws.writeTextMessage(text);
    metrics.message(type);
  }

  private void sendError(LiveClient c, String message, String field) {
    if (c.closing) return;
    send(c, Messages.error(message, field), "error");
  }
}
