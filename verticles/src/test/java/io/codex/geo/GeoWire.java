package io.codex.geo;

/**
 * Answers in the providers' documented wire formats: the Mapbox Geocoding API v5
 * ({@code GET /geocoding/v5/mapbox.places/{query}.json}: a GeoJSON FeatureCollection of Carmen
 * features with {@code place_name}, {@code text}, {@code relevance}, {@code center}, {@code bbox},
 * {@code context}; errors as {@code {"message": …}}), and the Google Geocoding API
 * ({@code GET /maps/api/geocode/json}: {@code {"results":[…],"status":…}}, errors as a status with
 * {@code error_message}, usually with HTTP 200).
 */
final class GeoWire {
  private GeoWire() {}

  static final String MAPBOX_PARIS = """
      {
        "type": "FeatureCollection",
        "query": ["paris"],
        "features": [
          {
            "id": "place.8879623532944590",
            "type": "Feature",
            "place_type": ["place"],
            "relevance": 1,
            "properties": {"wikidata": "Q90"},
            "text": "Paris",
            "place_name": "Paris, Paris, France",
            "bbox": [2.224122, 48.815575, 2.469703, 48.902156],
            "center": [2.35183, 48.85658],
            "geometry": {"type": "Point", "coordinates": [2.35183, 48.85658]},
            "context": [
              {"id": "region.13200", "short_code": "FR-75", "wikidata": "Q90", "text": "Paris"},
              {"id": "country.8781", "short_code": "fr", "wikidata": "Q142", "text": "France"}
            ]
          },
          {
            "id": "place.11829658624433150",
            "type": "Feature",
            "place_type": ["place"],
            "relevance": 0.94,
            "properties": {"wikidata": "Q830149"},
            "text": "Paris",
            "place_name": "Paris, Texas, United States",
            "bbox": [-95.627286, 33.6186, -95.470047, 33.7405],
            "center": [-95.5555, 33.6609],
            "geometry": {"type": "Point", "coordinates": [-95.5555, 33.6609]},
            "context": [
              {"id": "district.4242", "wikidata": "Q111742", "text": "Lamar County"},
              {"id": "region.19352", "short_code": "US-TX", "wikidata": "Q1439", "text": "Texas"},
              {"id": "country.19678805456372290", "short_code": "us", "wikidata": "Q30", "text": "United States"}
            ]
          }
        ],
        "attribution": "NOTICE: © 2021 Mapbox and its suppliers. All rights reserved. Use of this data is subject to the Mapbox Terms of Service (https://www.mapbox.com/about/maps/). This response and the information it contains may not be retained. POI(s) provided by Foursquare."
      }
      """;

  /** Reverse at a point in Lyon, limit 1: the most specific feature (an address). */
  static final String MAPBOX_REVERSE_LYON = """
      {
        "type": "FeatureCollection",
        "query": [4.8357, 45.764],
        "features": [
          {
            "id": "address.5262316318932910",
            "type": "Feature",
            "place_type": ["address"],
            "relevance": 1,
            "properties": {"accuracy": "rooftop"},
            "text": "Place Bellecour",
            "place_name": "10 Place Bellecour, 69002 Lyon, France",
            "center": [4.83571, 45.75797],
            "geometry": {"type": "Point", "coordinates": [4.83571, 45.75797]},
            "address": "10",
            "context": [
              {"id": "postcode.9305", "text": "69002"},
              {"id": "place.9397217726508", "wikidata": "Q456", "text": "Lyon"},
              {"id": "region.16092", "short_code": "FR-69", "wikidata": "Q46130", "text": "Rhône"},
              {"id": "country.8781", "short_code": "fr", "wikidata": "Q142", "text": "France"}
            ]
          }
        ],
        "attribution": "NOTICE: © 2021 Mapbox and its suppliers. All rights reserved."
      }
      """;

  /** A country as a result: its short code is in its own properties. */
  static final String MAPBOX_COUNTRY = """
      {"type": "FeatureCollection", "query": ["france"], "features": [
        {"id": "country.8781", "type": "Feature", "place_type": ["country"], "relevance": 1,
         "properties": {"wikidata": "Q142", "short_code": "fr"}, "text": "France", "place_name": "France",
         "bbox": [-5.225, 41.333, 9.662, 51.2], "center": [2.35, 48.85],
         "geometry": {"type": "Point", "coordinates": [2.35, 48.85]}}],
       "attribution": "NOTICE: © 2021 Mapbox and its suppliers."}
      """;

  static final String MAPBOX_EMPTY = """
      {"type": "FeatureCollection", "query": ["xqzzyv"], "features": [], "attribution": "NOTICE: © 2021 Mapbox and its suppliers."}
      """;

  static final String MAPBOX_INVALID_TOKEN = "{\"message\":\"Not Authorized - Invalid Token\"}";
  static final String MAPBOX_FORBIDDEN = "{\"message\":\"Forbidden\"}";
  static final String MAPBOX_RATE_LIMITED = "{\"message\":\"Too Many Requests\"}";
  static final String MAPBOX_QUERY_TOO_LONG = "{\"message\":\"Query too long - 31/20 tokens\"}";

  static final String GOOGLE_PARIS = """
      {
         "results" : [
            {
               "address_components" : [
                  {"long_name" : "Paris", "short_name" : "Paris", "types" : [ "locality", "political" ]},
                  {"long_name" : "Paris", "short_name" : "Paris", "types" : [ "administrative_area_level_2", "political" ]},
                  {"long_name" : "Île-de-France", "short_name" : "IDF", "types" : [ "administrative_area_level_1", "political" ]},
                  {"long_name" : "France", "short_name" : "FR", "types" : [ "country", "political" ]}
               ],
               "formatted_address" : "Paris, France",
               "geometry" : {
                  "bounds" : {
                     "northeast" : {"lat" : 48.9021449, "lng" : 2.4699208},
                     "southwest" : {"lat" : 48.815573, "lng" : 2.224199}
                  },
                  "location" : {"lat" : 48.856614, "lng" : 2.3522219},
                  "location_type" : "APPROXIMATE",
                  "viewport" : {
                     "northeast" : {"lat" : 48.9021449, "lng" : 2.4699208},
                     "southwest" : {"lat" : 48.815573, "lng" : 2.224199}
                  }
               },
               "place_id" : "ChIJD7fiBh9u5kcRYJSMaMOCCwQ",
               "types" : [ "locality", "political" ]
            },
            {
               "address_components" : [
                  {"long_name" : "Paris", "short_name" : "Paris", "types" : [ "locality", "political" ]},
                  {"long_name" : "Lamar County", "short_name" : "Lamar County", "types" : [ "administrative_area_level_2", "political" ]},
                  {"long_name" : "Texas", "short_name" : "TX", "types" : [ "administrative_area_level_1", "political" ]},
                  {"long_name" : "United States", "short_name" : "US", "types" : [ "country", "political" ]}
               ],
               "formatted_address" : "Paris, TX, USA",
               "geometry" : {
                  "location" : {"lat" : 33.6609389, "lng" : -95.55551299999999},
                  "location_type" : "APPROXIMATE",
                  "viewport" : {
                     "northeast" : {"lat" : 33.7405, "lng" : -95.470047},
                     "southwest" : {"lat" : 33.6186, "lng" : -95.627286}
                  }
               },
               "partial_match" : true,
               "place_id" : "ChIJmysnFgZYSoYRSfPTL2YJuck",
               "types" : [ "locality", "political" ]
            }
         ],
         "status" : "OK"
      }
      """;

  /** Reverse at a point in Lyon: a street address first, then the areas around it. */
  static final String GOOGLE_REVERSE_LYON = """
      {
         "plus_code" : {"compound_code" : "QRQP+5W Lyon, France", "global_code" : "8FQ6QRQP+5W"},
         "results" : [
            {
               "address_components" : [
                  {"long_name" : "10", "short_name" : "10", "types" : [ "street_number" ]},
                  {"long_name" : "Place Bellecour", "short_name" : "Pl. Bellecour", "types" : [ "route" ]},
                  {"long_name" : "Lyon", "short_name" : "Lyon", "types" : [ "locality", "political" ]},
                  {"long_name" : "Rhône", "short_name" : "Rhône", "types" : [ "administrative_area_level_2", "political" ]},
                  {"long_name" : "Auvergne-Rhône-Alpes", "short_name" : "ARA", "types" : [ "administrative_area_level_1", "political" ]},
                  {"long_name" : "France", "short_name" : "FR", "types" : [ "country", "political" ]},
                  {"long_name" : "69002", "short_name" : "69002", "types" : [ "postal_code" ]}
               ],
               "formatted_address" : "10 Pl. Bellecour, 69002 Lyon, France",
               "geometry" : {
                  "location" : {"lat" : 45.7579502, "lng" : 4.8357063},
                  "location_type" : "ROOFTOP",
                  "viewport" : {
                     "northeast" : {"lat" : 45.7592991, "lng" : 4.837055},
                     "southwest" : {"lat" : 45.7566012, "lng" : 4.834357}
                  }
               },
               "place_id" : "ChIJ4c-3Ae_q9EcR3JhVAbU2Ys0",
               "types" : [ "street_address" ]
            },
            {
               "address_components" : [
                  {"long_name" : "Lyon", "short_name" : "Lyon", "types" : [ "locality", "political" ]},
                  {"long_name" : "Auvergne-Rhône-Alpes", "short_name" : "ARA", "types" : [ "administrative_area_level_1", "political" ]},
                  {"long_name" : "France", "short_name" : "FR", "types" : [ "country", "political" ]}
               ],
               "formatted_address" : "Lyon, France",
               "geometry" : {
                  "location" : {"lat" : 45.764043, "lng" : 4.835659},
                  "location_type" : "APPROXIMATE"
               },
               "place_id" : "ChIJl4foalHq9EcR8CG75CqrCAQ",
               "types" : [ "locality", "political" ]
            }
         ],
         "status" : "OK"
      }
      """;

  static final String GOOGLE_ZERO_RESULTS = "{\"results\" : [], \"status\" : \"ZERO_RESULTS\"}";
  static final String GOOGLE_OVER_QUERY_LIMIT = """
      {"error_message" : "You have exceeded your rate-limit for this API.", "results" : [], "status" : "OVER_QUERY_LIMIT"}
      """;
  static final String GOOGLE_REQUEST_DENIED = """
      {"error_message" : "The provided API key is invalid. ", "results" : [], "status" : "REQUEST_DENIED"}
      """;
  static final String GOOGLE_INVALID_REQUEST = """
      {"error_message" : "Invalid request. Missing the 'address', 'components', 'latlng' or 'place_id' parameter.", "results" : [], "status" : "INVALID_REQUEST"}
      """;
  static final String GOOGLE_UNKNOWN_ERROR = "{\"results\" : [], \"status\" : \"UNKNOWN_ERROR\"}";
}
