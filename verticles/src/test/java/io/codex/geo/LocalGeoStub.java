package io.codex.geo;

import com.sun.net.httpserver.HttpServer;
import java.io.IOException;
import java.io.OutputStream;
import java.net.InetSocketAddress;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.LinkedHashMap;
import java.util.List;
import java.util.Map;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.function.Function;

/**
 * A local HTTP server standing in for Mapbox's or Google's geocoding endpoint: it answers what the
 * test scripts (the providers' documented wire formats, see {@link GeoWire}) and records every
 * request it receives, so that a test can tell whether a call reached "the provider".
 */
final class LocalGeoStub implements AutoCloseable {
  /** One request as received: its path (decoded) and query parameters. */
  record Request(String path, Map<String, String> query) {}

  /** What to answer: a status, a JSON body, and an optional delay before answering. */
  record Reply(int status, String body, long delayMs) {
    static Reply ok(String body) {
      return new Reply(200, body, 0);
    }

    static Reply status(int status, String body) {
      return new Reply(status, body, 0);
    }
  }

  private final HttpServer server;
  private final ExecutorService pool = Executors.newCachedThreadPool();
  final List<Request> requests = new CopyOnWriteArrayList<>();
  volatile Function<Request, Reply> responder;

  private LocalGeoStub(Function<Request, Reply> responder) throws IOException {
    this.responder = responder;
    server = HttpServer.create(new InetSocketAddress("127.0.0.1", 0), 0);
    server.setExecutor(pool);
    server.createContext("/", exchange -> {
      try (exchange) {
        Map<String, String> query = new LinkedHashMap<>();
        String raw = exchange.getRequestURI().getRawQuery();
        if (raw != null) {
          for (String kv : raw.split("&")) {
            int eq = kv.indexOf('=');
            String k = URLDecoder.decode(eq < 0 ? kv : kv.substring(0, eq), StandardCharsets.UTF_8);
            query.put(k, eq < 0 ? "" : URLDecoder.decode(kv.substring(eq + 1), StandardCharsets.UTF_8));
          }
        }
        Request req = new Request(exchange.getRequestURI().getPath(), query);
        requests.add(req);
        Reply reply = this.responder.apply(req);
        if (reply.delayMs() > 0) {
          try {
            Thread.sleep(reply.delayMs());
          } catch (InterruptedException e) {
            Thread.currentThread().interrupt();
          }
        }
        byte[] body = reply.body().getBytes(StandardCharsets.UTF_8);
        exchange.getResponseHeaders().add("Content-Type", "application/json; charset=utf-8");
        exchange.sendResponseHeaders(reply.status(), body.length == 0 ? -1 : body.length);
        if (body.length > 0) {
          try (OutputStream out = exchange.getResponseBody()) {
            out.write(body);
          }
        }
      } catch (IOException e) {
        // the client went away (e.g. it timed out first)
      }
    });
    server.start();
  }

  static LocalGeoStub start(Function<Request, Reply> responder) throws IOException {
    return new LocalGeoStub(responder);
  }

  String baseUrl() {
    return "http://127.0.0.1:" + server.getAddress().getPort();
  }

  int count() {
    return requests.size();
  }

  Request last() {
    return requests.get(requests.size() - 1);
  }

  @Override
  public void close() {
    server.stop(0);
    pool.shutdownNow();
  }
}
