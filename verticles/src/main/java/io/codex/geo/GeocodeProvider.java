package io.codex.geo;

import io.vertx.core.Future;
import java.util.List;

/**
 * One geocoder in the provider chain. Futures complete on the caller's Vert.x context; an
 * implementation never blocks an event loop (blocking SDK calls run elsewhere and hop back).
 * An empty list means "no results" (the chain then tries the next provider); a failure with a
 * {@link GeocodeException} says why the provider could not answer.
 */
public interface GeocodeProvider {

  /** {@code offline}, {@code mapbox} or {@code google}: the {@code provider} property of its results. */
  String name();

  Future<List<GeoPlace>> forward(ForwardQuery query);

  Future<List<GeoPlace>> reverse(ReverseQuery query);
}
