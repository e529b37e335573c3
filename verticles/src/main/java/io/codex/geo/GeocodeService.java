package io.codex.geo;

import com.github.benmanes.caffeine.cache.Cache;
import com.github.benmanes.caffeine.cache.Caffeine;
import com.github.benmanes.caffeine.cache.Ticker;
import io.vertx.circuitbreaker.CircuitBreaker;
import io.vertx.circuitbreaker.CircuitBreakerOptions;
import io.vertx.circuitbreaker.CircuitBreakerState;
import io.vertx.circuitbreaker.OpenCircuitException;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;
import io.vertx.core.shareddata.LocalMap;
import io.vertx.core.shareddata.Shareable;
import java.text.Normalizer;
import java.util.ArrayList;
import java.util.List;
import java.util.Locale;
import java.util.concurrent.atomic.AtomicBoolean;
import java.util.concurrent.atomic.AtomicInteger;
import java.util.function.Function;
import org.slf4j.Logger;
import org.slf4j.LoggerFactory;

/**
 * Geocoding for one node: the provider chain of {@code geo.providers} behind a cache and a
 * per-caller rate limit. Each remote provider has its own circuit breaker and in-flight bound;
 * the chain moves to the next provider on a failure, a timeout, an open circuit, a full in-flight
 * bound, or no results, and answers with the first provider that found something.
 *
 * <p>One instance per node ({@link #acquire}), shared by the HTTP verticle instances: the cache,
 * the callers' buckets and the providers' health are facts about the node, not about one event
 * loop (per-instance copies would multiply the rate limit by the instance count and let one
 * instance keep calling a provider another has found down), and the SDK clients with their
 * thread pools and connection pools are made once. Everything it holds is thread-safe; every
 * future it returns completes on the caller's context.
 */
public final class GeocodeService implements Shareable {
  private static final Logger log = LoggerFactory.getLogger(GeocodeService.class);
  private static final String MAP = "codex.geo";
  private static final java.util.regex.Pattern SPACES = java.util.regex.Pattern.compile("\\s+");

  /** What the chain answered: the places (possibly none), who found them, and whether from the cache. */
  public record Answer(List<GeoPlace> places, String provider, boolean cached) {}

  /** Why a provider gave no answer, for the 503 the caller gets when none did. */
  public record Failure(String provider, String reason) {}

  /** No provider answered and at least one failed: 503 + Retry-After. */
  public static final class Unavailable extends RuntimeException {
    private final List<Failure> failures;
    private final int retryAfterSeconds;

    Unavailable(List<Failure> failures, int retryAfterSeconds) {
      super("no geocoding provider could answer", null, false, false);
      this.failures = List.copyOf(failures);
      this.retryAfterSeconds = retryAfterSeconds;
    }

    public List<Failure> failures() {
      return failures;
    }

    public int retryAfterSeconds() {
      return retryAfterSeconds;
    }
  }

  /** A provider skipped because {@code geo.maxInflight} calls to it are outstanding on this node. */
  static final class Busy extends RuntimeException {
    Busy(String provider) {
      super(provider + ": " + "too many calls in flight", null, false, false);
    }
  }

  private final GeocodeConfig cfg;
  private final List<Link> chain = new ArrayList<>();
  private final Cache<String, Answer> cache;
  private final CallerRateLimit rateLimit;
  private final GeocodeMetrics metrics;
  private int refs;
  private boolean closed;

  GeocodeService(Vertx vertx, GeocodeConfig cfg, List<GeocodeProvider> providers, Ticker ticker) {
    this.cfg = cfg;
    this.metrics = new GeocodeMetrics(io.codex.api.NodeMetrics.registry(vertx));
    for (GeocodeProvider p : providers) chain.add(new Link(vertx, p));
    // bounded by places, not answers: an answer may hold 1 or 50 of them
    this.cache = cfg.cache().maxPlaces() == 0 || cfg.cache().ttl().isZero() ? null : Caffeine.newBuilder()
        .maximumWeight(cfg.cache().maxPlaces())
        .<String, Answer>weigher((k, a) -> Math.max(1, a.places().size()))
        .expireAfterWrite(cfg.cache().ttl())
        .ticker(ticker)
        .build();
    if (cache != null) metrics.cacheSize(cache::estimatedSize);
    this.rateLimit = cfg.rateLimit().enabled()
        ? new CallerRateLimit(cfg.rateLimit().perSecond(), cfg.rateLimit().burst(), ticker) : null;
  }

  /**
   * The node's service, made on first use from the configuration (blocking: it may load the
   * gazetteer and build the SDK clients, so call it off the event loop); each caller
   * {@link #release}s it when it stops, and the last one closes it.
   */
  public static GeocodeService acquire(Vertx vertx, GeocodeConfig cfg) {
    synchronized (GeocodeService.class) {
      LocalMap<String, Object> shared = vertx.sharedData().getLocalMap(MAP);
      GeocodeService s = (GeocodeService) shared.get("service");
      if (s == null) {
        s = new GeocodeService(vertx, cfg, providers(cfg), Ticker.systemTicker());
        shared.put("service", s);
        log.info("geocoding ready [providers: {}, cacheTtl: {}, rateLimit: {}/s burst {}]", cfg.providers(),
            cfg.cache().ttl(), cfg.rateLimit().perSecond(), cfg.rateLimit().burst());
      }
      s.refs++;
      return s;
    }
  }

  public void release(Vertx vertx) {
    synchronized (GeocodeService.class) {
      if (--refs > 0 || closed) return;
      vertx.sharedData().getLocalMap(MAP).remove("service", this);
      close();
    }
  }

  private static List<GeocodeProvider> providers(GeocodeConfig cfg) {
    List<GeocodeProvider> out = new ArrayList<>();
    for (String name : cfg.providers()) {
      out.add(switch (name) {
        case OfflineGeocoder.NAME -> new OfflineGeocoder(Gazetteer.bundled());
        case MapboxGeocoder.NAME -> new MapboxGeocoder(cfg.mapbox(), cfg.timeout(), cfg.maxInflight());
        case GoogleGeocoder.NAME -> new GoogleGeocoder(cfg.google(), cfg.timeout());
        default -> throw new IllegalArgumentException("unknown geocoding provider " + name);
      });
    }
    return out;
  }

  /**
   * Takes one request from {@code caller}'s bucket: 0 when it may go on, else the seconds until it
   * may try again (its Retry-After).
   */
  public long admit(String caller) {
    if (rateLimit == null) return 0;
    long wait = rateLimit.acquire(caller);
    if (wait > 0) metrics.rateLimited();
    return wait;
  }

  public Future<Answer> forward(ForwardQuery q) {
    return lookup("forward", forwardKey(q), p -> p.forward(q));
  }

  public Future<Answer> reverse(ReverseQuery q) {
    return lookup("reverse", reverseKey(q), p -> p.reverse(q));
  }

  public List<String> providers() {
    return chain.stream().map(l -> l.name).toList();
  }

  private Future<Answer> lookup(String kind, String key, Function<GeocodeProvider, Future<List<GeoPlace>>> call) {
    if (cache != null) {
      Answer hit = cache.getIfPresent(key);
      metrics.cache(hit != null);
      if (hit != null) return Future.succeededFuture(new Answer(hit.places(), hit.provider(), true));
    }
    Promise<Answer> result = Promise.promise();
    attempt(0, kind, key, call, new ArrayList<>(), result);
    return result.future();
  }

  private void attempt(int i, String kind, String key, Function<GeocodeProvider, Future<List<GeoPlace>>> call,
      List<Failure> failures, Promise<Answer> result) {
    if (i == chain.size()) {
      if (failures.isEmpty()) {
        // every provider answered, none found anything: a true "no results", worth caching
        Answer none = new Answer(List.of(), null, false);
        if (cache != null) cache.put(key, none);
        result.complete(none);
      } else {
        result.fail(new Unavailable(failures, retryAfter(failures)));
      }
      return;
    }
    Link link = chain.get(i);
    link.call(kind, call).onComplete(ar -> {
      if (ar.succeeded() && !ar.result().isEmpty()) {
        Answer a = new Answer(List.copyOf(ar.result()), link.name, false);
        if (cache != null) cache.put(key, a);
        result.complete(a);
        return;
      }
      if (ar.failed()) failures.add(new Failure(link.name, reason(ar.cause())));
      attempt(i + 1, kind, key, call, failures, result);
    });
  }

  /** The soonest a retry may find a provider back: the time left on an open circuit, else a second. */
  private int retryAfter(List<Failure> failures) {
    long soonest = Long.MAX_VALUE;
    for (Failure f : failures) {
      Link l = chain.stream().filter(c -> c.name.equals(f.provider())).findFirst().orElseThrow();
      long wait = 1;
      if ("open".equals(f.reason()) && l.openedAt > 0) {
        wait = Math.max(1, (l.openedAt + cfg.breaker().resetTimeout().toMillis() - System.currentTimeMillis() + 999) / 1000);
      }
      soonest = Math.min(soonest, wait);
    }
    return (int) Math.min(soonest, Integer.MAX_VALUE);
  }

  static String reason(Throwable t) {
    if (t instanceof GeocodeException g) return g.kind().name().toLowerCase(Locale.ROOT);
    if (t instanceof OpenCircuitException) return "open";
    if (t instanceof io.vertx.circuitbreaker.TimeoutException) return "timeout";
    if (t instanceof Busy) return "busy";
    return "unavailable";
  }

  /** The cache key of a forward query: its text case-, width- and space-folded, and every option. */
  static String forwardKey(ForwardQuery q) {
    StringBuilder b = new StringBuilder("f|").append(normalise(q.q())).append('|').append(q.limit()).append('|');
    if (q.lang() != null) b.append(q.lang().toLowerCase(Locale.ROOT));
    b.append('|').append(String.join(",", q.countries().stream().sorted().toList())).append('|');
    // a bias, not a filter: points within ~100 m share answers
    if (q.proximity() != null) b.append(String.format(Locale.ROOT, "%.3f,%.3f", q.proximity()[0], q.proximity()[1]));
    b.append('|');
    if (q.bbox() != null) {
      b.append(String.format(Locale.ROOT, "%.5f,%.5f,%.5f,%.5f", q.bbox()[0], q.bbox()[1], q.bbox()[2], q.bbox()[3]));
    }
    return b.toString();
  }

  /** The cache key of a reverse query: the point to ~1 m, the limit and language. */
  static String reverseKey(ReverseQuery q) {
    return String.format(Locale.ROOT, "r|%.5f,%.5f|%d|%s", q.lat(), q.lon(), q.limit(),
        q.lang() == null ? "" : q.lang().toLowerCase(Locale.ROOT));
  }

  static String normalise(String text) {
    String s = Normalizer.normalize(text, Normalizer.Form.NFKC).toLowerCase(Locale.ROOT).trim();
    return SPACES.matcher(s).replaceAll(" ");
  }

  /** Places held in the cache now (after pending evictions). */
  long cachedPlaces() {
    if (cache == null) return 0;
    cache.cleanUp();
    return cache.policy().eviction().map(e -> e.weightedSize().orElse(0)).orElse(cache.estimatedSize());
  }

  void close() {
    closed = true;
    for (Link l : chain) l.close();
    metrics.close();
    if (cache != null) cache.invalidateAll();
  }

  /** One provider of the chain with what guards it: a circuit breaker and an in-flight bound (remote ones). */
  private final class Link {
    final String name;
    final GeocodeProvider provider;
    final CircuitBreaker breaker;
    final AtomicInteger inflight = new AtomicInteger();
    volatile long openedAt;

    Link(Vertx vertx, GeocodeProvider provider) {
      this.name = provider.name();
      this.provider = provider;
      if (provider instanceof OfflineGeocoder) {
        // in-process and synchronous: nothing to time out, nothing to protect
        this.breaker = null;
      } else {
        this.breaker = CircuitBreaker.create("codex.geocode." + name, vertx, new CircuitBreakerOptions()
            .setMaxFailures(cfg.breaker().maxFailures())
            .setFailuresRollingWindow(cfg.breaker().failureWindow().toMillis())
            .setResetTimeout(cfg.breaker().resetTimeout().toMillis())
            .setTimeout(cfg.timeout().toMillis())
            .setMaxRetries(0));
        breaker.openHandler(v -> {
          openedAt = System.currentTimeMillis();
          log.warn("geocoding provider circuit open [provider: {}, for: {}]", name, cfg.breaker().resetTimeout());
        });
        breaker.halfOpenHandler(v -> log.info("geocoding provider circuit half-open, trying one call [provider: {}]", name));
        breaker.closeHandler(v -> {
          openedAt = 0;
          log.info("geocoding provider circuit closed [provider: {}]", name);
        });
        metrics.breakerState(name, () -> switch (breaker.state()) {
          case CLOSED -> 0;
          case HALF_OPEN -> 1;
          case OPEN -> 2;
        });
        metrics.inflight(name, inflight::get);
      }
    }

    Future<List<GeoPlace>> call(String kind, Function<GeocodeProvider, Future<List<GeoPlace>>> fn) {
      long t0 = System.nanoTime();
      if (breaker == null) {
        return invoke(fn).andThen(ar -> metrics.call(name, kind, outcome(ar.succeeded(), ar.result(), ar.cause()), System.nanoTime() - t0));
      }
      if (breaker.state() == CircuitBreakerState.OPEN) {
        metrics.call(name, kind, "open", -1);
        return Future.failedFuture(OpenCircuitException.INSTANCE);
      }
      if (!tryAcquire()) {
        metrics.call(name, kind, "busy", -1);
        return Future.failedFuture(new Busy(name));
      }
      AtomicBoolean ran = new AtomicBoolean();
      return breaker.<List<GeoPlace>>execute(promise -> {
        ran.set(true);
        // the slot is held until the provider itself answers, even when the breaker gave up first
        invoke(fn).onComplete(ar -> inflight.decrementAndGet()).onComplete(promise);
      }).andThen(ar -> {
        if (!ran.get()) inflight.decrementAndGet();
        String outcome = outcome(ar.succeeded(), ar.result(), ar.cause());
        metrics.call(name, kind, outcome, ran.get() ? System.nanoTime() - t0 : -1);
        if (ar.failed() && !(ar.cause() instanceof OpenCircuitException)) {
          log.debug("geocoding provider failed [provider: {}, outcome: {}, reason: {}]", name, outcome, ar.cause().getMessage());
        }
      });
    }

    private Future<List<GeoPlace>> invoke(Function<GeocodeProvider, Future<List<GeoPlace>>> fn) {
      try {
        Future<List<GeoPlace>> f = fn.apply(provider);
        return f == null ? Future.failedFuture(new IllegalStateException(name + " returned no future")) : f;
      } catch (RuntimeException e) {
        log.warn("geocoding provider threw [provider: {}]", name, e);
        return Future.failedFuture(e);
      }
    }

    private boolean tryAcquire() {
      while (true) {
        int n = inflight.get();
        if (n >= cfg.maxInflight()) return false;
        if (inflight.compareAndSet(n, n + 1)) return true;
      }
    }

    private String outcome(boolean ok, List<GeoPlace> places, Throwable cause) {
      if (ok) return places == null || places.isEmpty() ? "empty" : "ok";
      return reason(cause);
    }

    void close() {
      if (breaker != null) breaker.close();
      if (provider instanceof MapboxGeocoder m) m.close();
      if (provider instanceof GoogleGeocoder g) g.close();
    }
  }
}
