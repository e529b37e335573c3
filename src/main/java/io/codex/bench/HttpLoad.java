package io.codex.bench;

import io.vertx.core.Future;
import io.vertx.core.Vertx;
import io.vertx.core.buffer.Buffer;
import io.vertx.core.http.HttpClient;
import io.vertx.core.http.HttpClientOptions;
import io.vertx.core.http.HttpMethod;
import io.vertx.core.http.PoolOptions;
import io.vertx.core.http.RequestOptions;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.IntFunction;

/** HTTP POST load from Vert.x clients: closed loop (C requests outstanding) or a fixed rate. */
final class HttpLoad {
  private final Vertx vertx;
  private final String host;
  private final int port;
  private final String uri;
  private final int okStatus;

  /** Telemetry ingest: POST /api/v1/telemetry, 202 counts. */
  HttpLoad(Vertx vertx, String host, int port) {
    this(vertx, host, port, "/api/v1/telemetry", 202);
  }

  /** POST JSON to {@code uri}; an answer with {@code okStatus} counts, anything else is an error. */
  HttpLoad(Vertx vertx, String host, int port, String uri, int okStatus) {
    this.vertx = vertx;
    this.host = host;
    this.port = port;
    this.uri = uri;
    this.okStatus = okStatus;
  }

  /**
   * @param request    for worker i: {authorization, body}
   * @param perRequest records in each request
   */
  LoadResult closedLoop(String name, int connections, int perRequest, double seconds, IntFunction<String[]> request) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections));
    Latencies lat = new Latencies();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    long end = System.nanoTime() + (long) (seconds * 1e9);
    CompletableFuture<Void> done = new CompletableFuture<>();
    AtomicLong running = new AtomicLong(connections);
    long t0 = System.nanoTime();
    for (int i = 0; i < connections; i++) {
      String[] ab = request.apply(i);
      Buffer body = Buffer.buffer(ab[1]);
      vertx.runOnContext(v -> loop(client, ab[0], body, perRequest, end, lat, ok, errors, running, done));
    }
    done.join();
    double elapsed = (System.nanoTime() - t0) / 1e9;
    client.close();
    return new LoadResult(name, "c=" + connections + " " + perRequest + " rec/req", ok.get(), errors.get(), elapsed, lat);
  }

  private void loop(HttpClient client, String auth, Buffer body, int perRequest, long end, Latencies lat, AtomicLong ok,
      AtomicLong errors, AtomicLong running, CompletableFuture<Void> done) {
    if (System.nanoTime() >= end) {
      if (running.decrementAndGet() == 0) done.complete(null);
      return;
    }
    long start = System.nanoTime();
    send(client, auth, body).onComplete(ar -> {
      if (ar.succeeded() && ar.result() == okStatus) {
        lat.add(System.nanoTime() - start);
        ok.addAndGet(perRequest);
      } else {
        errors.incrementAndGet();
      }
      loop(client, auth, body, perRequest, end, lat, ok, errors, running, done);
    });
  }

  /** Requests at a fixed rate, latency measured from when each was due (no coordinated omission). */
  LoadResult fixedRate(String name, int connections, double rate, double seconds, IntFunction<String[]> request) {
    HttpClient client = vertx.createHttpClient(new HttpClientOptions().setKeepAlive(true),
        new PoolOptions().setHttp1MaxSize(connections).setMaxWaitQueueSize(connections * 64));
    Latencies lat = new Latencies();
    AtomicLong ok = new AtomicLong();
    AtomicLong errors = new AtomicLong();
    String[][] reqs = new String[connections][];
    for (int i = 0; i < connections; i++) reqs[i] = request.apply(i);
    long t0 = System.nanoTime();
    long total = (long) (rate * seconds);
    AtomicLong issued = new AtomicLong();
    AtomicLong completed = new AtomicLong();
    CompletableFuture<Void> done = new CompletableFuture<>();
    long timer = vertx.setPeriodic(1, id -> {
      long due = (long) ((System.nanoTime() - t0) / 1e9 * rate);
      while (issued.get() < Math.min(due, total)) {
        long k = issued.getAndIncrement();
        long dueAt = t0 + (long) (k / rate * 1e9);
        String[] ab = reqs[(int) (k % connections)];
        send(client, ab[0], Buffer.buffer(ab[1])).onComplete(ar -> {
          if (ar.succeeded() && ar.result() == okStatus) {
            lat.add(System.nanoTime() - dueAt);
            ok.incrementAndGet();
          } else {
            errors.incrementAndGet();
          }
          if (completed.incrementAndGet() == total) done.complete(null);
        });
      }
    });
    done.orTimeout((long) (seconds * 3 + 30), java.util.concurrent.TimeUnit.SECONDS).exceptionally(t -> null).join();
    vertx.cancelTimer(timer);
    double elapsed = (System.nanoTime() - t0) / 1e9;
    client.close();
    return new LoadResult(name, String.format("c=%d %,.0f req/s", connections, rate), ok.get(), errors.get(), elapsed, lat);
  }

  private Future<Integer> send(HttpClient client, String auth, Buffer body) {
    return client.request(new RequestOptions().setMethod(HttpMethod.POST).setHost(host).setPort(port)
            .setURI(uri).putHeader("Authorization", auth).putHeader("Content-Type", "application/json"))
        .compose(req -> req.send(body))
        .compose(resp -> resp.body().map(b -> resp.statusCode()));
  }
}
