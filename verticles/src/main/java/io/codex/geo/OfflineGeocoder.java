package io.codex.geo;

import io.vertx.core.Future;
import java.util.List;

/**
 * The offline provider ({@code offline}): the bundled GeoNames gazetteer, no key, no network.
 * Its searches take microseconds and do not block, so it answers on the caller's thread; the
 * gazetteer itself must be loaded beforehand, off the event loop ({@link Gazetteer#bundled()}).
 */
public final class OfflineGeocoder implements GeocodeProvider {
  public static final String NAME = "offline";

  private final Gazetteer gazetteer;

  public OfflineGeocoder(Gazetteer gazetteer) {
    this.gazetteer = gazetteer;
  }

  @Override
  public String name() {
    return NAME;
  }

  @Override
  public Future<List<GeoPlace>> forward(ForwardQuery query) {
    return Future.succeededFuture(gazetteer.forward(query));
  }

  @Override
  public Future<List<GeoPlace>> reverse(ReverseQuery query) {
    return Future.succeededFuture(gazetteer.reverse(query));
  }
}
