/**
 * JSON as the project reads it back (synthesized stacks, OpenSearch responses, plan files): one
 * definition, shared by modules/, scripts/ and the tests.
 */

/** Any JSON value, as `JSON.parse` returns it. */
export type JsonValue = null | boolean | number | string | JsonValue[] | { [key: string]: JsonValue };

/** A JSON object whose values are not looked at yet. */
export type JsonObject = Record<string, unknown>;

/** True for a plain object: not null, not an array. */
export function isObject(v: unknown): v is JsonObject {
  return typeof v === "object" && v !== null && !Array.isArray(v);
}
