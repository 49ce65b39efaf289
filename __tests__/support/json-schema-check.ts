/**
 * A small JSON Schema (draft-07 subset) validator for tests: exactly the keywords our generated
 * schemas use. An unknown keyword throws, so a schema that grows a keyword this file does not
 * understand fails loudly instead of validating nothing. (ajv would do this properly; it is not a
 * dependency.)
 */
type Schema = Record<string, unknown> | boolean;

const ANNOTATIONS = new Set(["$schema", "title", "description", "default", "definitions", "examples"]);

function typeOf(v: unknown): string {
  if (v === null) return "null";
  if (Array.isArray(v)) return "array";
  if (typeof v === "number") return Number.isInteger(v) ? "integer" : "number";
  return typeof v;
}

function typeMatches(expected: string, v: unknown): boolean {
  const t = typeOf(v);
  return t === expected || (expected === "number" && t === "integer");
}

/** Returns the errors (JSON pointer + message); empty when `value` is valid. */
export function validateJsonSchema(root: Record<string, unknown>, value: unknown): string[] {
  const resolve = (ref: string): Schema => {
    const m = /^#\/definitions\/(.+)$/.exec(ref);
    const defs = root.definitions as Record<string, Schema> | undefined;
    if (!m || !defs?.[m[1]]) throw new Error(`unsupported or dangling $ref ${ref}`);
    return defs[m[1]];
  };
  const check = (schema: Schema, v: unknown, at: string, errors: string[]): void => {
    if (schema === true) return;
    if (schema === false) {
      errors.push(`${at}: not allowed`);
      return;
    }
    for (const [key, rule] of Object.entries(schema)) {
      if (ANNOTATIONS.has(key)) continue;
      switch (key) {
        case "$ref":
          check(resolve(rule as string), v, at, errors);
          break;
        case "type": {
          const types = Array.isArray(rule) ? (rule as string[]) : [rule as string];
          if (!types.some((t) => typeMatches(t, v))) errors.push(`${at}: expected ${types.join("|")}, got ${typeOf(v)}`);
          break;
        }
        case "enum":
          if (!(rule as unknown[]).some((e) => e === v)) errors.push(`${at}: not one of ${JSON.stringify(rule)}`);
          break;
        case "const":
          if (rule !== v) errors.push(`${at}: expected ${JSON.stringify(rule)}`);
          break;
        case "pattern":
          if (typeof v === "string" && !new RegExp(rule as string, "u").test(v)) errors.push(`${at}: does not match ${rule}`);
          break;
        case "minLength":
          if (typeof v === "string" && [...v].length < (rule as number)) errors.push(`${at}: shorter than ${rule}`);
          break;
        case "maxLength":
          if (typeof v === "string" && [...v].length > (rule as number)) errors.push(`${at}: longer than ${rule}`);
          break;
        case "minimum":
          if (typeof v === "number" && v < (rule as number)) errors.push(`${at}: below ${rule}`);
          break;
        case "maximum":
          if (typeof v === "number" && v > (rule as number)) errors.push(`${at}: above ${rule}`);
          break;
        case "exclusiveMinimum":
          if (typeof v === "number" && v <= (rule as number)) errors.push(`${at}: not above ${rule}`);
          break;
        case "minItems":
          if (Array.isArray(v) && v.length < (rule as number)) errors.push(`${at}: fewer than ${rule} items`);
          break;
        case "items":
          if (Array.isArray(v)) v.forEach((item, i) => check(rule as Schema, item, `${at}/${i}`, errors));
          break;
        case "required":
          if (typeOf(v) === "object") {
            for (const k of rule as string[]) if (!(k in (v as object))) errors.push(`${at}: missing ${k}`);
          }
          break;
        case "properties":
          if (typeOf(v) === "object") {
            for (const [k, s] of Object.entries(rule as Record<string, Schema>)) {
              if (k in (v as object)) check(s, (v as Record<string, unknown>)[k], `${at}/${k}`, errors);
            }
          }
          break;
        case "additionalProperties":
          if (typeOf(v) === "object") {
            const known = Object.keys((schema.properties as object | undefined) ?? {});
            for (const [k, item] of Object.entries(v as Record<string, unknown>)) {
              if (known.includes(k)) continue;
              if (rule === false) errors.push(`${at}: unknown key ${k}`);
              else check(rule as Schema, item, `${at}/${k}`, errors);
            }
          }
          break;
        case "propertyNames":
          if (typeOf(v) === "object") for (const k of Object.keys(v as object)) check(rule as Schema, k, `${at}/${k} (name)`, errors);
          break;
        case "allOf":
          for (const s of rule as Schema[]) check(s, v, at, errors);
          break;
        case "anyOf":
        case "oneOf": {
          const passing = (rule as Schema[]).filter((s) => {
            const own: string[] = [];
            check(s, v, at, own);
            return own.length === 0;
          }).length;
          if (key === "anyOf" ? passing === 0 : passing !== 1) errors.push(`${at}: ${passing} of the ${key} alternatives match`);
          break;
        }
        default:
          throw new Error(`json-schema-check does not understand the keyword "${key}" (at ${at})`);
      }
    }
  };
  const errors: string[] = [];
  check(root, value, "", errors);
  return errors;
}
