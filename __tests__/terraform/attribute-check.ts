/**
 * Checks every argument and block name of every `aws_*` resource and data source of a synthesized
 * stack against the provider bindings' typed config (provider-schema.ts): unknown names and
 * missing required ones. This is what escape hatches (`addOverride`, raw `TerraformResource`s)
 * bypass; Terraform itself only reports these with the provider's schema, which we cannot
 * download.
 */
import { META_ARGUMENTS, schemaOf, type BlockSchema } from "./provider-schema";

export type TfJson = Record<string, any>;

function isToken(v: unknown): boolean {
  return typeof v === "string" && v.includes("${");
}

function checkBlock(where: string, value: unknown, schema: BlockSchema, top: boolean, out: string[]): void {
  if (value === null || value === undefined || isToken(value)) return;
  const items = Array.isArray(value) ? value : [value];
  items.forEach((item, i) => {
    if (item === null || isToken(item)) return;
    const at = Array.isArray(value) ? `${where}[${i}]` : where;
    if (typeof item !== "object") {
      out.push(`${at}: expected a block, found ${JSON.stringify(item)}`);
      return;
    }
    for (const [key, v] of Object.entries(item as Record<string, unknown>)) {
      if (top && META_ARGUMENTS.has(key)) continue;
      if (key === "dynamic") continue; // cdktf iterators; their content is a template
      if (!schema.fields.has(key)) {
        out.push(`${at}: unknown attribute "${key}"`);
        continue;
      }
      const nested = schema.fields.get(key);
      if (nested) checkBlock(`${at}.${key}`, v, nested, false, out);
    }
    for (const key of schema.required) {
      const v = (item as Record<string, unknown>)[key];
      if (v === undefined || v === null) out.push(`${at}: missing required attribute "${key}"`);
    }
  });
}

/** Problems of one stack, each `<type>.<name>...: <what>`. */
export function checkAttributes(tf: TfJson): string[] {
  const out: string[] = [];
  for (const [section, kind] of [
    ["resource", "resource"],
    ["data", "data"],
  ] as const) {
    for (const [type, byName] of Object.entries((tf[section] ?? {}) as Record<string, Record<string, unknown>>)) {
      if (!type.startsWith("aws_")) continue;
      const schema = schemaOf(type, kind);
      if (schema instanceof Error) {
        out.push(`${kind === "data" ? "data." : ""}${type}: ${schema.message}`);
        continue;
      }
      for (const [name, config] of Object.entries(byName)) {
        checkBlock(`${kind === "data" ? "data." : ""}${type}.${name}`, config, schema, true, out);
      }
    }
  }
  return out;
}
