package io.codex.ingest;

import static io.vertx.core.http.HttpHeaders.CONTENT_TYPE;

import io.codex.api.ApiRoutes;
import io.codex.api.Problem;
import io.codex.security.Access;
import io.codex.security.Authenticator;
import io.codex.security.Caller;
import io.netty.buffer.Unpooled;
import io.vertx.core.Context;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.internal.buffer.BufferInternal;
import io.vertx.core.http.HttpMethod;
import io.vertx.ext.web.RoutingContext;
import java.time.Instant;
import java.util.List;
import java.util.Locale;

/**
 * {@code POST /api/v1/telemetry}: one record, a JSON array or NDJSON from a device or gateway.
 * Answers 202 only after Kafka acknowledged every record; 400 (nothing written) when any record is
 * invalid; 403 when a record is for a device the caller may not publish as; 503 with Retry-After
 * when the node is at capacity or Kafka does not acknowledge.
 */
public final class TelemetryRoutes {
  private static final CharSequence APPLICATION_JSON = io.vertx.core.http.HttpHeaders.createOptimized("application/json");
  private final Vertx vertx;
  private final IngestConfig cfg;
  private final InflightLimiter limiter;
  private final TelemetryPublisher publisher;
  private final IngestMetrics metrics;

  public TelemetryRoutes(Vertx vertx, IngestConfig cfg, InflightLimiter limiter, TelemetryPublisher publisher, IngestMetrics metrics) {
    this.vertx = vertx;
    this.cfg = cfg;
    this.limiter = limiter;
    this.publisher = publisher;
    this.metrics = metrics;
  }

  public void mount(ApiRoutes routes) {
    routes.add(HttpMethod.POST, "/api/v1/telemetry", Access.DEVICE, cfg.maxBytes(), this::ingest);
  }

  private void ingest(RoutingContext ctx) {
    String ct = ctx.request().getHeader("Content-Type");
    String type = ct == null ? "" : ct.toLowerCase(Locale.ROOT);
    boolean ndjson = type.startsWith("application/x-ndjson") || type.startsWith("application/ndjson");
    if (!ndjson && !type.startsWith("application/json")) {
      throw new Problem(415, "Unsupported Media Type", "Send application/json (a record or an array) or application/x-ndjson.");
    }
    Instant now = Instant.now();
    List<TelemetryParser.Parsed> records;
    try {
      var body = ctx.body().buffer();
      records = TelemetryParser.parse(body == null ? new byte[0] : body.getBytes(), ndjson, null, cfg.maxRecords(), now);
    } catch (Problem p) {
      metrics.records("http", "invalid", 1);
      throw p;
    }
    Caller caller = Authenticator.caller(ctx);
    Problem forbidden = Problem.forbidden("A device may publish only as itself (a gateway: as its listed devices).");
    for (int i = 0; i < records.size(); i++) {
      if (!caller.isAdmin() && !caller.maySee(records.get(i).deviceId())) {
        forbidden.withError(records.get(i).at() + "/deviceId",
            "not allowed for " + caller.subject());
      }
    }
    if (forbidden.hasErrors()) {
      metrics.records("http", "forbidden", 1);   // a refusal counts once, as an invalid request does
      throw forbidden;
    }
    int n = records.size();
    long size = TelemetryPublisher.bytes(records);
    Context context = vertx.getOrCreateContext();
    publisher.publishAfter(limiter.acquire(context, n, size, cfg.maxWait().toMillis()), context, records, now.toEpochMilli())
        .onSuccess(v -> ctx.response().setStatusCode(202).putHeader(CONTENT_TYPE, APPLICATION_JSON).end(accepted(records)))
        .onFailure(t -> {
          if (t instanceof InflightLimiter.Full) {
            metrics.records("http", "overload", n);
            ctx.fail(Problem.unavailable("Ingest is at capacity; retry shortly. Nothing was written.", 1));
          } else {
            ctx.fail(Problem.unavailable("Kafka did not acknowledge every record (" + t.getClass().getSimpleName()
                + "); retry the request: records already acknowledged may be delivered twice.", 2));
          }
        });
  }

  /**
   * The 202's body, {@code {"accepted":n,"ids":[…]}}, written as bytes in one array: the ids are
   * made here (UUIDs, ASCII), so there is nothing to escape or encode, and no text is built first.
   */
  @SuppressWarnings("deprecation")   // String.getBytes(int, int, byte[], int): a copy, for ASCII text
  static Buffer accepted(List<TelemetryParser.Parsed> records) {
    int n = records.size();
    String head = "{\"accepted\":" + n + ",\"ids\":[";
    int size = head.length() + 2 + Math.max(0, n - 1);
    for (int i = 0; i < n; i++) size += records.get(i).id().length() + 2;
    byte[] b = new byte[size];
    head.getBytes(0, head.length(), b, 0);
    int at = head.length();
    for (int i = 0; i < n; i++) {
      if (i > 0) b[at++] = ',';
      String id = records.get(i).id();
      b[at++] = '"';
      id.getBytes(0, id.length(), b, at);
      at += id.length();
      b[at++] = '"';
    }
    b[at++] = ']';
    b[at] = '}';
    return BufferInternal.buffer(Unpooled.wrappedBuffer(b));
  }
}
