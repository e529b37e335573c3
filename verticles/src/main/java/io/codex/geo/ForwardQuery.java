package io.codex.geo;

import java.util.List;

/**
 * A validated forward-geocoding request ({@code GET /api/v1/geocode}).
 *
 * @param q         the text, 1–500 characters, trimmed
 * @param limit     1–{@value #MAX_LIMIT} results
 * @param lang      preferred language (BCP 47) or null
 * @param countries ISO 3166-1 alpha-2 codes, upper case; empty = anywhere
 * @param proximity {@code [lon, lat]} to bias results towards, or null
 * @param bbox      {@code [w, s, e, n]} results must fall in, or null
 */
public record ForwardQuery(String q, int limit, String lang, List<String> countries, double[] proximity, double[] bbox) {
  public static final int MAX_LIMIT = 50;
  public static final int MAX_QUERY_CHARS = 500;
}
