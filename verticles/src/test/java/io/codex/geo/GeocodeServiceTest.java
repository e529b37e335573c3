package io.codex.geo;

import static org.assertj.core.api.Assertions.assertThat;

import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.json.JsonObject;
import java.util.ArrayList;
import java.util.List;
import java.util.concurrent.CompletableFuture;
import java.util.concurrent.ExecutionException;
import java.util.concurrent.TimeUnit;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.concurrent.atomic.AtomicLong;
import java.util.function.Function;
import java.util.function.Supplier;
import org.junit.jupiter.api.AfterEach;
import org.junit.jupiter.api.Test;

/** The provider chain: fallback, cache, breakers, in-flight bound and rate limit, with scripted providers. */
class GeocodeServiceTest {
  private final Vertx vertx = Vertx.vertx();
  private final AtomicLong nanos = new AtomicLong(1_000_000_000L);
  private final Ticker ticker = nanos::get;
  private GeocodeService service;

  @AfterEach
  void stop() {
    if (service != null) service.close();
    vertx.close();
  }

  /** A provider answering what {@code script} says, counting its calls. */
  static final class Scripted implements GeocodeProvider {
    final String name;
    final AtomicInteger calls = new AtomicInteger();
    volatile Function<String, Future<List<GeoPlace>>> script;

    Scripted(String name, Function<String, Future<List<GeoPlace>>> script) {
      this.name = name;
      this.script = script;
    }

    @Override
    public String name() {
      return name;
    }

    @Override
    public Future<List<GeoPlace>> forward(ForwardQuery q) {
      calls.incrementAndGet();
      return script.apply(q.q());
    }

    @Override
    public Future<List<GeoPlace>> reverse(ReverseQuery q) {
      calls.incrementAndGet();
      return script.apply(q.lat() + "," + q.lon());
    }
  }

  static Future<List<GeoPlace>> found(String provider, String name) {
    return Future.succeededFuture(List.of(new GeoPlace(2.35, 48.85, name + ", France", name, "France", "FR", null, 0.9, provider, provider + ":1", null)));
  }

  static Future<List<GeoPlace>> none() {
    return Future.succeededFuture(List.of());
  }

  static Future<List<GeoPlace>> fails(String provider, GeocodeException.Kind kind) {
    return Future.failedFuture(new GeocodeException(provider, kind, "scripted", null));
  }

  private GeocodeService service(JsonObject geo, GeocodeProvider... providers) {
    JsonObject g = new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 0)).mergeIn(geo, true);
    service = new GeocodeService(vertx, GeocodeConfig.from(new JsonObject().put("geo", g)), List.of(providers), ticker);
    return service;
  }

  /** Runs {@code call} on an event loop, as a route would, and waits for its outcome. */
  private <T> T onLoop(Supplier<Future<T>> call) throws Exception {
    CompletableFuture<T> done = new CompletableFuture<>();
    vertx.runOnContext(v -> call.get().onComplete(ar -> {
      if (ar.succeeded()) done.complete(ar.result());
      else done.completeExceptionally(ar.cause());
    }));
    return done.get(10, TimeUnit.SECONDS);
  }

  private Throwable onLoopFailure(Supplier<Future<?>> call) throws Exception {
    try {
      onLoop(call::get);
    } catch (ExecutionException e) {
      return e.getCause();
    }
    throw new AssertionError("expected a failure");
  }

  private static ForwardQuery q(String text) {
    return new ForwardQuery(text, 5, null, List.of(), null, null);
  }

  @Test
  void fallsBackPastFailuresAndEmptyAnswersToTheFirstProviderThatFindsSomething() throws Exception {
    Scripted a = new Scripted("mapbox", t -> fails("mapbox", GeocodeException.Kind.QUOTA));
    Scripted b = new Scripted("google", t -> none());
    Scripted c = new Scripted("offline", t -> found("offline", "Paris"));
    service(new JsonObject(), a, b, c);
    GeocodeService.Answer answer = onLoop(() -> service.forward(q("Paris")));
    assertThat(answer.provider()).isEqualTo("offline");
    assertThat(answer.places()).extracting(GeoPlace::name).containsExactly("Paris");
    assertThat(answer.cached()).isFalse();
    assertThat(List.of(a.calls.get(), b.calls.get(), c.calls.get())).containsExactly(1, 1, 1);
  }

  @Test
  void stopsAtTheFirstProviderThatFindsSomething() throws Exception {
    Scripted a = new Scripted("mapbox", t -> found("mapbox", "Paris"));
    Scripted b = new Scripted("offline", t -> found("offline", "Paris"));
    service(new JsonObject(), a, b);
    assertThat(onLoop(() -> service.forward(q("Paris"))).provider()).isEqualTo("mapbox");
    assertThat(b.calls.get()).isZero();
  }

  @Test
  void theSecondIdenticalQueryComesFromTheCacheEvenWrittenDifferently() throws Exception {
    Scripted a = new Scripted("mapbox", t -> found("mapbox", "Paris"));
    service(new JsonObject(), a);
    onLoop(() -> service.forward(q("Paris  Texas")));
    GeocodeService.Answer again = onLoop(() -> service.forward(q("  PARIS texas ")));
    assertThat(again.cached()).isTrue();
    assertThat(again.provider()).isEqualTo("mapbox");
    assertThat(a.calls.get()).isEqualTo(1);
    onLoop(() -> service.forward(new ForwardQuery("Paris Texas", 5, null, List.of("US"), null, null)));
    assertThat(a.calls.get()).as("another country filter is another query").isEqualTo(2);
  }

  @Test
  void cachedAnswersExpireAfterTheirTtl() throws Exception {
    Scripted a = new Scripted("mapbox", t -> found("mapbox", "Paris"));
    service(new JsonObject().put("cache", new JsonObject().put("ttl", "10m")), a);
    onLoop(() -> service.forward(q("Paris")));
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(9));
    assertThat(onLoop(() -> service.forward(q("Paris"))).cached()).isTrue();
    nanos.addAndGet(TimeUnit.MINUTES.toNanos(2));
    assertThat(onLoop(() -> service.forward(q("Paris"))).cached()).isFalse();
    assertThat(a.calls.get()).isEqualTo(2);
  }

  @Test
  void theCacheIsBoundedByPlacesNotByAnswers() throws Exception {
    GeoPlace one = found("mapbox", "A").result().get(0);
    Scripted a = new Scripted("mapbox", t -> Future.succeededFuture(List.of(one, one, one, one, one)));
    service(new JsonObject().put("cache", new JsonObject().put("maxPlaces", 12)), a);
    for (int i = 0; i < 10; i++) {
      final int n = i;
      onLoop(() -> service.forward(q("town " + n)));
    }
    assertThat(service.cachedPlaces()).isBetween(5L, 12L);
  }

  @Test
  void noResultsFromEveryProviderIsAnEmptyAnswerAndIsCached() throws Exception {
    Scripted a = new Scripted("mapbox", t -> none());
    Scripted b = new Scripted("offline", t -> none());
    service(new JsonObject(), a, b);
    GeocodeService.Answer answer = onLoop(() -> service.forward(q("xqzzyv")));
    assertThat(answer.places()).isEmpty();
    assertThat(answer.provider()).isNull();
    assertThat(onLoop(() -> service.forward(q("xqzzyv"))).cached()).isTrue();
    assertThat(a.calls.get()).isEqualTo(1);
  }

  @Test
  void nothingFoundWhileAProviderFailedIsUnavailableAndNotCached() throws Exception {
    Scripted a = new Scripted("mapbox", t -> fails("mapbox", GeocodeException.Kind.DENIED));
    Scripted b = new Scripted("offline", t -> none());
    service(new JsonObject(), a, b);
    Throwable t = onLoopFailure(() -> service.forward(q("10 Rue de Rivoli")));
    assertThat(t).isInstanceOfSatisfying(GeocodeService.Unavailable.class, u -> {
      assertThat(u.failures()).containsExactly(new GeocodeService.Failure("mapbox", "denied"));
      assertThat(u.retryAfterSeconds()).isEqualTo(1);
    });
    onLoopFailure(() -> service.forward(q("10 Rue de Rivoli")));
    assertThat(a.calls.get()).isEqualTo(2);
  }

  @Test
  void aProviderThatKeepsFailingIsNoLongerCalledUntilItsCircuitResets() throws Exception {
    Scripted a = new Scripted("mapbox", t -> fails("mapbox", GeocodeException.Kind.UNAVAILABLE));
    Scripted b = new Scripted("offline", t -> found("offline", t));
    service(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 3).put("resetTimeout", "400ms")), a, b);
    for (int i = 0; i < 3; i++) {
      final int n = i;
      assertThat(onLoop(() -> service.forward(q("city " + n))).provider()).isEqualTo("offline");
    }
    assertThat(a.calls.get()).isEqualTo(3);
    for (int i = 3; i < 8; i++) {
      final int n = i;
      assertThat(onLoop(() -> service.forward(q("city " + n))).provider()).isEqualTo("offline");
    }
    assertThat(a.calls.get()).as("open: not called").isEqualTo(3);

    a.script = t -> found("mapbox", t);
    Thread.sleep(600);
    assertThat(onLoop(() -> service.forward(q("city 9"))).provider()).as("the trial call after the reset timeout").isEqualTo("mapbox");
    assertThat(onLoop(() -> service.forward(q("city 10"))).provider()).as("closed again").isEqualTo("mapbox");
    assertThat(a.calls.get()).isEqualTo(5);
  }

  @Test
  void anOpenCircuitTellsTheCallerWhenToRetry() throws Exception {
    Scripted a = new Scripted("mapbox", t -> fails("mapbox", GeocodeException.Kind.QUOTA));
    service(new JsonObject().put("breaker", new JsonObject().put("maxFailures", 1).put("resetTimeout", "20s")), a);
    onLoopFailure(() -> service.forward(q("one")));
    Throwable t = onLoopFailure(() -> service.forward(q("two")));
    assertThat(t).isInstanceOfSatisfying(GeocodeService.Unavailable.class, u -> {
      assertThat(u.failures()).containsExactly(new GeocodeService.Failure("mapbox", "open"));
      assertThat(u.retryAfterSeconds()).isBetween(19, 20);
    });
  }

  @Test
  void aProviderThatDoesNotAnswerInTimeIsSkipped() throws Exception {
    Promise<List<GeoPlace>> never = Promise.promise();
    Scripted a = new Scripted("google", t -> never.future());
    Scripted b = new Scripted("offline", t -> found("offline", "Paris"));
    service(new JsonObject().put("timeout", "200ms"), a, b);
    long t0 = System.nanoTime();
    assertThat(onLoop(() -> service.forward(q("Paris"))).provider()).isEqualTo("offline");
    assertThat((System.nanoTime() - t0) / 1_000_000).isBetween(150L, 2_000L);
  }

  @Test
  void callsInFlightAreBoundedPerProvider() throws Exception {
    List<Promise<List<GeoPlace>>> pending = new java.util.concurrent.CopyOnWriteArrayList<>();
    Scripted a = new Scripted("mapbox", t -> {
      Promise<List<GeoPlace>> p = Promise.promise();
      pending.add(p);
      return p.future();
    });
    Scripted b = new Scripted("offline", t -> found("offline", t));
    service(new JsonObject().put("maxInflight", 2).put("timeout", "60s"), a, b);
    List<CompletableFuture<String>> answers = new ArrayList<>();
    for (int i = 0; i < 3; i++) {
      CompletableFuture<String> f = new CompletableFuture<>();
      final int n = i;
      vertx.runOnContext(v -> service.forward(q("q" + n)).onSuccess(ans -> f.complete(ans.provider())));
      answers.add(f);
    }
    assertThat(answers.get(2).get(5, TimeUnit.SECONDS)).as("the third skips the busy provider").isEqualTo("offline");
    assertThat(a.calls.get()).isEqualTo(2);
    vertx.runOnContext(v -> pending.forEach(p -> p.complete(List.of(new GeoPlace(0, 0, "x", "x", null, null, null, 1, "mapbox", "m", null)))));
    assertThat(answers.get(0).get(5, TimeUnit.SECONDS)).isEqualTo("mapbox");
    a.script = t -> found("mapbox", t);
    assertThat(onLoop(() -> service.forward(q("q3"))).provider()).as("a slot is free again").isEqualTo("mapbox");
  }

  @Test
  void eachCallerHasItsOwnBucket() {
    service(new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 2).put("burst", 3)),
        new Scripted("offline", t -> none()));
    for (int i = 0; i < 3; i++) assertThat(service.admit("alice")).isZero();
    assertThat(service.admit("alice")).as("burst spent: retry in a second").isEqualTo(1);
    assertThat(service.admit("bob")).as("another caller is not affected").isZero();
    nanos.addAndGet(TimeUnit.MILLISECONDS.toNanos(500));
    assertThat(service.admit("alice")).as("one token back after 1/perSecond").isZero();
    assertThat(service.admit("alice")).isEqualTo(1);
  }

  @Test
  void aSlowRateAsksForALongerWait() {
    service(new JsonObject().put("rateLimit", new JsonObject().put("perSecond", 0.1).put("burst", 1)),
        new Scripted("offline", t -> none()));
    assertThat(service.admit("alice")).isZero();
    assertThat(service.admit("alice")).isEqualTo(10);
  }

  @Test
  void reverseQueriesAreCachedByPointToAboutAMetre() throws Exception {
    Scripted a = new Scripted("offline", t -> found("offline", "Lyon"));
    service(new JsonObject(), a);
    onLoop(() -> service.reverse(new ReverseQuery(45.764001, 4.835702, 1, null)));
    assertThat(onLoop(() -> service.reverse(new ReverseQuery(45.764004, 4.835699, 1, null))).cached()).isTrue();
    assertThat(onLoop(() -> service.reverse(new ReverseQuery(45.7641, 4.8357, 1, null))).cached()).isFalse();
  }

  @Test
  void cacheKeysFoldCaseWidthAndSpaces() {
    assertThat(GeocodeService.forwardKey(q(" São  Paulo ")))
        .isEqualTo(GeocodeService.forwardKey(q("SÃO PAULO")))
        .isEqualTo(GeocodeService.forwardKey(q("ｓã\u006fＰaulo".replace("oＰ", "o Ｐ"))));
    assertThat(GeocodeService.forwardKey(q("Sao Paulo"))).as("accents are the provider's business")
        .isNotEqualTo(GeocodeService.forwardKey(q("São Paulo")));
    assertThat(GeocodeService.forwardKey(new ForwardQuery("x", 5, null, List.of("FR", "BE"), null, null)))
        .isEqualTo(GeocodeService.forwardKey(new ForwardQuery("x", 5, null, List.of("BE", "FR"), null, null)));
  }

  @Test
  void aProviderThatThrowsIsAFailureNotACrash() throws Exception {
    Scripted a = new Scripted("mapbox", t -> {
      throw new IllegalStateException("bug");
    });
    Scripted b = new Scripted("offline", t -> found("offline", "Paris"));
    service(new JsonObject(), a, b);
    assertThat(onLoop(() -> service.forward(q("Paris"))).provider()).isEqualTo("offline");
  }
}
