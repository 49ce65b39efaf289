/**
 * Closed sets of values OpenSearch accepts, shared by the topic schema and the IndexBootstrap
 * construct (constructs import them from here, not from the zod schema module).
 */

/** Field types an index mapping may declare (OpenSearch 2.x). */
export const MAPPING_TYPES = [
  "text", "keyword", "match_only_text", "wildcard", "constant_keyword",
  "long", "integer", "short", "byte", "double", "float", "half_float", "scaled_float", "unsigned_long",
  "boolean", "date", "date_nanos", "ip", "binary",
  "object", "nested", "flat_object",
  "geo_point", "geo_shape",
  "integer_range", "long_range", "float_range", "double_range", "date_range", "ip_range",
  "knn_vector",
] as const;

export type MappingType = (typeof MAPPING_TYPES)[number];
