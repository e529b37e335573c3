package io.codex.geo;

/**
 * A validated reverse-geocoding request ({@code GET /api/v1/geocode/reverse}): the places nearest
 * to a point, nearest first.
 *
 * @param limit 1–{@value ForwardQuery#MAX_LIMIT} results
 * @param lang  preferred language (BCP 47) or null
 */
public record ReverseQuery(double lat, double lon, int limit, String lang) {
}
