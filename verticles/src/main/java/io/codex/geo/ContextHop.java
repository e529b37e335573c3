package io.codex.geo;

import io.vertx.core.Context;
import io.vertx.core.Future;
import io.vertx.core.Promise;
import io.vertx.core.Vertx;

/**
 * The way back from an SDK's own threads (OkHttp's dispatcher) to the Vert.x context that made
 * the call: the SDK callback completes the hop, the future's listeners then run on that context
 * (an event loop), never on the SDK's thread. Created on the calling context; without one (a
 * plain thread, e.g. a benchmark or a test) the future completes on the SDK's thread.
 */
final class ContextHop<T> {
  private final Context context = Vertx.currentContext();
  private final Promise<T> promise = Promise.promise();

  void complete(T value) {
    if (context == null) {
      promise.tryComplete(value);
    } else {
      context.runOnContext(v -> promise.tryComplete(value));
    }
  }

  void fail(Throwable t) {
    if (context == null) {
      promise.tryFail(t);
    } else {
      context.runOnContext(v -> promise.tryFail(t));
    }
  }

  Future<T> future() {
    return promise.future();
  }
}
