package io.codex.geo;

/**
 * One geocoding result, normalised whatever the provider. Becomes a GeoJSON Point Feature whose
 * properties are {@code label, name, country, countryCode, region, confidence, provider, placeId}
 * (DESIGN.md, Geo). {@code bbox} ({@code [w, s, e, n]}) is optional (null when unknown).
 *
 * @param confidence 0–1: how well the result matches the query
 * @param provider   {@code offline}, {@code mapbox} or {@code google}
 */
public record GeoPlace(double lon, double lat, String label, String name, String country, String countryCode,
    String region, double confidence, String provider, String placeId, double[] bbox) {
}
