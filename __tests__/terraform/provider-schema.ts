/**
 * The schema of a resource or data source type as @cdktf/provider-aws's generated bindings (or,
 * for types the bindings lack, modules/custom-resources.ts) declare it: which argument and block
 * names exist, which are required, and which attributes can be referenced.
 *
 * Read from the generated code itself, which is regular enough to parse:
 * - `lib/<type>/index.js`: `<Class>.tfResourceType = "aws_x"`; the class's
 *   `synthesizeAttributes()` returns `snake_key: <converter>(this._camelKey)`, and each nested block
 *   has `function <fn>ToTerraform(struct) { return { snake_key: <converter>(struct.camelKey) } }`;
 *   a converter naming another `<fn>ToTerraform` is a nested block;
 * - `lib/<type>/index.d.ts`: `export interface <Class>Config` / `<Fn>` with `readonly camelKey:`
 *   (required) or `readonly camelKey?:` (optional);
 * - the class's getters call `this.get<Kind>Attribute('name')` or build output references
 *   `(this, "name")`: every attribute an expression may reference, with its kind.
 */
import { existsSync, readFileSync } from "node:fs";
import * as path from "node:path";
import { CUSTOM_RESOURCE_SCHEMAS } from "../../modules/custom-resources";

const LIB = path.dirname(path.dirname(require.resolve("@cdktf/provider-aws/lib/provider")));
/** Version of the bindings read (package.json), for messages. */
export const BINDINGS_VERSION: string = (
  JSON.parse(readFileSync(path.join(LIB, "..", "package.json"), "utf8")) as { version: string }
).version;

export interface BlockSchema {
  /** Argument or block name -> its schema (a nested BlockSchema for blocks, null for plain values). */
  readonly fields: ReadonlyMap<string, BlockSchema | null>;
  readonly required: ReadonlySet<string>;
}

/** Kind of a referenceable attribute, from the getter that reads it. */
export type AttributeKind = "string" | "number" | "bool" | "list" | "map" | "block" | "any";

export interface TypeSchema extends BlockSchema {
  readonly type: string;
  readonly kind: "resource" | "data";
  /** Where the schema was read from. */
  readonly source: string;
  /** Every attribute an expression may reference (arguments and computed attributes). */
  readonly attributes: ReadonlyMap<string, AttributeKind>;
}

/** Meta-arguments Terraform accepts on every resource / data source. */
export const META_ARGUMENTS = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//"]);

const cache = new Map<string, TypeSchema | undefined>();

/** `aws_msk_cluster` -> `msk-cluster`; data sources get a `data-` prefix. */
function moduleDir(type: string, kind: "resource" | "data"): string {
  return (kind === "data" ? `data-${type}` : type.replace(/^aws_/, "")).replace(/_/g, "-");
}

function body(source: string, openAt: number): string {
  let depth = 0;
  for (let i = source.indexOf("{", openAt); i < source.length; i++) {
    if (source[i] === "{") depth++;
    else if (source[i] === "}" && --depth === 0) return source.slice(openAt, i + 1);
  }
  throw new Error("unbalanced braces in generated binding");
}

/** `snake_key: conv(struct.camelKey)` lines of a converter's `return { ... }`. */
function returnedFields(fnBody: string, holder: "struct" | "this"): { key: string; camel: string; nested?: string }[] {
  const ret = fnBody.slice(fnBody.indexOf("return {"));
  const out: { key: string; camel: string; nested?: string }[] = [];
  const line = holder === "struct" ? /^\s+([a-z0-9_]+): (.*)\(struct\.(\w+)\),?$/gm : /^\s+([a-z0-9_]+): (.*)\(this\._(\w+)(?:\.internalValue)?\),?$/gm;
  for (const m of ret.slice(0, body(ret, 0).length).matchAll(line)) {
    const nested = /(?:^|[(\s])([a-z]\w*ToTerraform)\b/.exec(m[2].replace(/cdktf\.\w+ToTerraform/g, ""));
    out.push({ key: m[1], camel: m[3], nested: nested?.[1] });
  }
  return out;
}

function requiredOf(dts: string, iface: string): Set<string> {
  const at = dts.search(new RegExp(`export interface ${iface}(?: extends [\\w.]+)? \\{`));
  if (at < 0) return new Set();
  const text = body(dts, at);
  return new Set([...text.matchAll(/^\s+readonly (\w+): /gm)].map((m) => m[1]));
}

function parseBinding(type: string, kind: "resource" | "data"): TypeSchema | undefined {
  const dir = path.join(LIB, moduleDir(type, kind));
  const jsFile = path.join(dir, "index.js");
  if (!existsSync(jsFile)) return undefined;
  const js = readFileSync(jsFile, "utf8");
  const dts = readFileSync(path.join(dir, "index.d.ts"), "utf8");
  const cls = new RegExp(`\\n(\\w+)\\.tfResourceType = "${type}";`).exec(js)?.[1];
  if (!cls) return undefined;
  const base = kind === "data" ? "TerraformDataSource" : "TerraformResource";
  const classAt = js.indexOf(`class ${cls} extends cdktf.${base}`);
  if (classAt < 0) return undefined;
  const classBody = body(js, classAt);

  const functions = new Map<string, BlockSchema>();
  const block = (fn: string): BlockSchema => {
    const known = functions.get(fn);
    if (known) return known;
    const at = js.indexOf(`function ${fn}(struct) {`);
    if (at < 0) throw new Error(`${jsFile}: no converter ${fn}`);
    const fields = new Map<string, BlockSchema | null>();
    const required = new Set<string>();
    const schema: BlockSchema = { fields, required };
    functions.set(fn, schema); // before recursing: blocks may nest themselves
    const iface = fn.replace(/ToTerraform$/, "").replace(/^./, (c) => c.toUpperCase());
    const req = requiredOf(dts, iface);
    for (const f of returnedFields(body(js, at), "struct")) {
      fields.set(f.key, f.nested ? block(f.nested) : null);
      if (req.has(f.camel)) required.add(f.key);
    }
    return schema;
  };

  const synthAt = classBody.indexOf("synthesizeAttributes() {");
  const fields = new Map<string, BlockSchema | null>();
  const required = new Set<string>();
  const req = requiredOf(dts, `${cls}Config`);
  for (const f of returnedFields(body(classBody, synthAt), "this")) {
    fields.set(f.key, f.nested ? block(f.nested) : null);
    if (req.has(f.camel)) required.add(f.key);
  }

  const attributes = new Map<string, AttributeKind>();
  for (const key of fields.keys()) attributes.set(key, fields.get(key) ? "block" : "any");
  const KIND: Record<string, AttributeKind> = {
    String: "string",
    Number: "number",
    Boolean: "bool",
    List: "list",
    NumberList: "list",
    StringMap: "map",
    NumberMap: "map",
    BooleanMap: "map",
    Any: "any",
  };
  for (const m of classBody.matchAll(/this\.get(\w*?)Attribute\('([a-z0-9_]+)'\)/g)) attributes.set(m[2], KIND[m[1]] ?? "any");
  for (const m of classBody.matchAll(/\(this, "([a-z0-9_]+)"(?:, (?:true|false))?\)/g)) if (!attributes.has(m[1])) attributes.set(m[1], "block");
  for (const m of classBody.matchAll(/interpolationForAttribute\('([a-z0-9_]+)'\)/g)) if (!attributes.has(m[1])) attributes.set(m[1], "any");
  return { type, kind, source: `@cdktf/provider-aws ${BINDINGS_VERSION} lib/${moduleDir(type, kind)}`, fields, required, attributes };
}

function fromCustom(type: string): TypeSchema | undefined {
  const custom = CUSTOM_RESOURCE_SCHEMAS.find((s) => s.resourceType === type);
  if (!custom) return undefined;
  const fields = new Map<string, null>();
  const required = new Set<string>();
  const attributes = new Map<string, AttributeKind>();
  for (const [name, a] of Object.entries(custom.attributes)) {
    const kind: AttributeKind = a.type === "number" ? "number" : a.type === "bool" ? "bool" : a.type.startsWith("map") ? "map" : a.type === "string" ? "string" : "list";
    attributes.set(name, kind);
    // Settable unless computed only.
    if (!a.computed || a.optional || a.required) fields.set(name, null);
    if (a.required) required.add(name);
  }
  return { type, kind: "resource", source: `modules/custom-resources.ts (${custom.source})`, fields, required, attributes };
}

/**
 * The schema of `type`, or an Error naming both places looked in when neither has it: a type we
 * emit must be in the bindings or registered as a custom resource.
 */
export function schemaOf(type: string, kind: "resource" | "data"): TypeSchema | Error {
  const key = `${kind}:${type}`;
  if (!cache.has(key)) cache.set(key, parseBinding(type, kind) ?? (kind === "resource" ? fromCustom(type) : undefined));
  return (
    cache.get(key) ??
    new Error(
      `${kind === "data" ? "data source" : "resource type"} ${type} is neither in @cdktf/provider-aws ${BINDINGS_VERSION} ` +
        `(lib/${moduleDir(type, kind)}) nor in modules/custom-resources.ts (CUSTOM_RESOURCE_SCHEMAS)`,
    )
  );
}
