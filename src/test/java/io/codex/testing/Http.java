package io.codex.testing;

import io.vertx.core.json.JsonObject;
import java.io.IOException;
import java.net.URI;
import java.net.http.HttpClient;
import java.net.http.HttpRequest;
import java.net.http.HttpResponse;
import java.nio.charset.StandardCharsets;
import java.time.Duration;
import java.util.Base64;

/** A plain JDK HTTP client for tests: the platform is called the way any user would call it. */
public final class Http {
  private static final HttpClient CLIENT = HttpClient.newBuilder().connectTimeout(Duration.ofSeconds(5)).build();

  private Http() {}

  public record Response(int status, String body, java.net.http.HttpHeaders headers) {
    public JsonObject json() {
      return new JsonObject(body);
    }

    public String header(String name) {
      return headers.firstValue(name).orElse(null);
    }
  }

  public static Response send(String method, String url, String authorization, String contentType, String body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30));
    if (authorization != null) b.header("Authorization", authorization);
    if (contentType != null) b.header("Content-Type", contentType);
    b.method(method, body == null ? HttpRequest.BodyPublishers.noBody()
        : HttpRequest.BodyPublishers.ofString(body, StandardCharsets.UTF_8));
    return exchange(b.build());
  }

  /** A body sent as these bytes, with this Content-Encoding (the client does not encode it itself). */
  public static Response sendEncoded(String url, String authorization, String contentType, String contentEncoding, byte[] body) {
    HttpRequest.Builder b = HttpRequest.newBuilder(URI.create(url)).timeout(Duration.ofSeconds(30))
        .header("Content-Type", contentType).header("Content-Encoding", contentEncoding)
        .POST(HttpRequest.BodyPublishers.ofByteArray(body));
    if (authorization != null) b.header("Authorization", authorization);
    return exchange(b.build());
  }

  /** Sends the request and reads the whole answer; an I/O failure (e.g. a closed connection) is an IllegalStateException. */
  private static Response exchange(HttpRequest request) {
    try {
      HttpResponse<String> r = CLIENT.send(request, HttpResponse.BodyHandlers.ofString());
      return new Response(r.statusCode(), r.body(), r.headers());
    } catch (IOException e) {
      throw new IllegalStateException(request.method() + " " + request.uri() + ": " + e, e);
    } catch (InterruptedException e) {
      Thread.currentThread().interrupt();
      throw new IllegalStateException(e);
    }
  }

  public static Response get(String url, String authorization) {
    return send("GET", url, authorization, null, null);
  }

  public static Response postJson(String url, String authorization, JsonObject body) {
    return send("POST", url, authorization, "application/json", body.encode());
  }

  public static Response delete(String url, String authorization) {
    return send("DELETE", url, authorization, null, null);
  }

  public static String bearer(String token) {
    return "Bearer " + token;
  }

  public static String basic(String user, String secret) {
    return "Basic " + Base64.getEncoder().encodeToString((user + ":" + secret).getBytes(StandardCharsets.UTF_8));
  }
}
