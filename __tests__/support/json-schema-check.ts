/**
 * JSON Schema validation for tests, with ajv in strict mode (an unknown keyword or a loose schema
 * is an error, so a generated schema cannot silently validate nothing) and all errors reported.
 * Errors are rendered `<instance path>: <message>`, unknown keys as `unknown key <name>`.
 */
import Ajv, { type ErrorObject } from "ajv";

const ajv = new Ajv({ strict: true, allowUnionTypes: true, allErrors: true });
const compiled = new WeakMap<object, ReturnType<typeof ajv.compile>>();

function render(e: ErrorObject): string {
  if (e.keyword === "additionalProperties") return `${e.instancePath}: unknown key ${(e.params as { additionalProperty: string }).additionalProperty}`;
  return `${e.instancePath}: ${e.message}`;
}

/** Returns the errors; empty when `value` is valid. */
export function validateJsonSchema(schema: Record<string, unknown>, value: unknown): string[] {
  let validate = compiled.get(schema);
  if (!validate) {
    validate = ajv.compile(schema);
    compiled.set(schema, validate);
  }
  return validate(value) ? [] : (validate.errors ?? []).map(render);
}
