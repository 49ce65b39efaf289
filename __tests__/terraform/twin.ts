/**
 * The provider-free twin of a synthesized stack: every `aws_*` resource and data source becomes a
 * `terraform_data` (Terraform's built-in provider, available offline) whose `input` holds the same
 * expressions, with references rewritten to the twin and the attributes the provider would compute
 * given plausible values (plausible-values.ts). `count`, `for_each`, `depends_on`, `lifecycle`
 * (replace_triggered_by rewritten, ignore_changes re-rooted under `input`) and provisioners (their
 * commands replaced by `true`, the original kept in the environment so its references are still
 * checked) are kept; provider blocks and the backend are dropped.
 *
 * References read the twin's `input` (not `output`, which stays unknown until apply): every value
 * is then known at plan time, so functions and templates are evaluated on the plausible values.
 * `terraform plan` of the twin evaluates every reference, count, dependency, output, variable
 * validation and built-in function call with Terraform itself. A reference to an attribute the
 * bindings do not declare gets no value, so the plan fails on it ("Unsupported attribute").
 */
import { schemaOf } from "./provider-schema";
import { plausibleValue } from "./plausible-values";

export type TfJson = Record<string, any>;

export interface TwinOptions {
  /** Region used in plausible ARNs and endpoints. @default the stack's provider region, else us-east-1 */
  readonly region?: string;
  /**
   * Make the values the provider only knows after apply unknown at plan time, as a real plan
   * does: every computed attribute of a resource, and a data source's computed attributes when its
   * arguments depend on a resource (Terraform then defers reading it). This plan checks that no
   * `count`, `for_each` or other plan-time expression depends on them; the values themselves are
   * still the plausible ones after apply. @default false
   */
  readonly applyTimeUnknowns?: boolean;
}

/** A terraform_data whose `output` is unknown until apply: the source of apply-time unknowns. */
export const APPLY_TIME = "__apply_time";
const UNKNOWN_IF = `terraform_data.${APPLY_TIME}.output == null`;

/**
 * `value`, but unknown until apply (string templates stay templates). The directive comes first:
 * Terraform refines an unknown string by its known prefix, which a provider's unknown never has.
 */
function unknownUntilApply(value: unknown): unknown {
  if (typeof value === "string") return `%{if ${UNKNOWN_IF}}%{endif}${value}`;
  return `\${${UNKNOWN_IF} ? null : jsondecode(${JSON.stringify(JSON.stringify(value))})}`;
}

export interface Twin {
  /** The twin's Terraform JSON (write it as `main.tf.json`). */
  readonly json: TfJson;
  /** Twin resource name -> the original address (`aws_x.name` / `data.aws_x.name`). */
  readonly origin: ReadonlyMap<string, string>;
  /** Problems found while building it (unknown types, references to undeclared attributes). */
  readonly problems: readonly string[];
}

export function twinName(type: string, name: string, data: boolean): string {
  return `${data ? "data__" : ""}${type}__${name}`;
}

const REF = /(?<![\w.-])(data\.)?(aws_[a-z0-9_]+)\.([A-Za-z_][A-Za-z0-9_-]*)(\[[^\]]*\]|\.\*)?(?:\.([a-z_][a-z0-9_]*))?/g;

interface RefSink {
  (twin: string, attr: string | undefined): void;
}

/** Rewrites the references in one bare expression (no `${}` around it). */
function rewriteExpression(expr: string, known: ReadonlySet<string>, sink: RefSink): string {
  return expr.replace(REF, (whole, data: string | undefined, type: string, name: string, index: string | undefined, attr: string | undefined) => {
    const twin = twinName(type, name, Boolean(data));
    if (!known.has(twin)) return whole;
    sink(twin, attr);
    return `terraform_data.${twin}${index ?? ""}.input${attr ? `.${attr}` : ""}`;
  });
}

/** Rewrites references inside every `${...}` / `%{...}` of a Terraform JSON string template. */
function rewriteTemplate(text: string, known: ReadonlySet<string>, sink: RefSink): string {
  let out = "";
  let i = 0;
  while (i < text.length) {
    const c = text[i];
    if ((c === "$" || c === "%") && text[i + 1] === c && text[i + 2] === "{") {
      out += text.slice(i, i + 3); // escaped: $${ / %%{
      i += 3;
      continue;
    }
    if ((c === "$" || c === "%") && text[i + 1] === "{") {
      let depth = 0;
      let quote = false;
      let j = i + 1;
      for (; j < text.length; j++) {
        const d = text[j];
        if (quote) {
          if (d === "\\") j++;
          else if (d === '"') quote = false;
        } else if (d === '"') quote = true;
        else if (d === "{") depth++;
        else if (d === "}" && --depth === 0) break;
      }
      out += `${c}{${rewriteExpression(text.slice(i + 2, j), known, sink)}}`;
      i = j + 1;
      continue;
    }
    out += c;
    i++;
  }
  return out;
}

function mapStrings(value: unknown, f: (s: string) => string): unknown {
  if (typeof value === "string") return f(value);
  if (Array.isArray(value)) return value.map((v) => mapStrings(v, f));
  if (value && typeof value === "object") {
    return Object.fromEntries(Object.entries(value as Record<string, unknown>).map(([k, v]) => [k, mapStrings(v, f)]));
  }
  return value;
}

const META = new Set(["count", "for_each", "depends_on", "lifecycle", "provider", "provisioner", "connection", "//"]);

export function buildTwin(tf: TfJson, options: TwinOptions = {}): Twin {
  const problems: string[] = [];
  const origin = new Map<string, string>();
  const region: string = options.region ?? tf.provider?.aws?.[0]?.region ?? "us-east-1";
  for (const [section, data] of [
    ["resource", false],
    ["data", true],
  ] as const) {
    for (const [type, byName] of Object.entries((tf[section] ?? {}) as Record<string, object>)) {
      if (!type.startsWith("aws_")) continue;
      for (const name of Object.keys(byName)) origin.set(twinName(type, name, data), `${data ? "data." : ""}${type}.${name}`);
    }
  }
  const known = new Set(origin.keys());
  const referenced = new Map<string, Set<string>>();
  const sink: RefSink = (twin, attr) => {
    if (!referenced.has(twin)) referenced.set(twin, new Set());
    if (attr) referenced.get(twin)!.add(attr);
  };
  const rw = <T>(v: T): T => mapStrings(v, (s) => rewriteTemplate(s, known, sink)) as T;
  /** A bare address list entry (depends_on, replace_triggered_by). */
  const rwBare = (s: string): string => (s.includes("${") ? s : rewriteExpression(s, known, sink).replace(/\.input$/, ""));

  const lifecycle = (lc: Record<string, any> | undefined, aws: boolean): Record<string, any> | undefined => {
    if (!lc) return undefined;
    const out: Record<string, any> = { ...lc };
    if (Array.isArray(lc.replace_triggered_by)) out.replace_triggered_by = lc.replace_triggered_by.map((s: string) => rwBare(s));
    if (aws && Array.isArray(lc.ignore_changes)) out.ignore_changes = lc.ignore_changes.map((p: string) => `input.${p}`);
    for (const k of ["precondition", "postcondition"]) {
      if (lc[k]) out[k] = rw(lc[k]).map((c: Record<string, string>) => (aws ? mapStrings(c, (s) => s.replace(/\bself\./g, "self.input.")) : c));
    }
    return out;
  };
  const provisioners = (ps: unknown): unknown => {
    if (!Array.isArray(ps)) return undefined;
    return ps.map((p: Record<string, Record<string, unknown>>) => {
      const [[kind, conf]] = Object.entries(p);
      const original = rw(conf);
      const env: Record<string, unknown> = { ORIGINAL_PROVISIONER: kind };
      if (original.command !== undefined) env.ORIGINAL_COMMAND = original.command;
      if (original.inline !== undefined) env.ORIGINAL_INLINE = JSON.stringify(original.inline);
      return {
        "local-exec": {
          command: "true",
          environment: { ...(original.environment as object | undefined), ...env },
          ...(original.working_dir !== undefined ? { working_dir: original.working_dir } : {}),
          ...(original.when !== undefined ? { when: original.when } : {}),
          ...(original.on_failure !== undefined ? { on_failure: original.on_failure } : {}),
        },
      };
    });
  };
  const metaOf = (config: Record<string, any>, aws: boolean): Record<string, unknown> => {
    const out: Record<string, unknown> = {};
    if (config.count !== undefined) out.count = rw(config.count);
    if (config.for_each !== undefined) out.for_each = rw(config.for_each);
    if (Array.isArray(config.depends_on)) out.depends_on = config.depends_on.map((s: string) => rwBare(s));
    const lc = lifecycle(config.lifecycle, aws);
    if (lc) out.lifecycle = lc;
    const pv = provisioners(config.provisioner);
    if (pv) out.provisioner = pv;
    return out;
  };

  // First pass: rewrite every expression (this also records which attributes are referenced).
  const resources: Record<string, Record<string, unknown>> = {};
  const inputs = new Map<string, { type: string; data: boolean; name: string; config: Record<string, unknown>; meta: Record<string, unknown> }>();
  for (const [section, data] of [
    ["resource", false],
    ["data", true],
  ] as const) {
    for (const [type, byName] of Object.entries((tf[section] ?? {}) as Record<string, Record<string, Record<string, any>>>)) {
      for (const [name, config] of Object.entries(byName)) {
        if (!type.startsWith("aws_")) {
          if (data) {
            problems.push(`data.${type}.${name}: the twin only knows aws_* data sources`);
            continue;
          }
          if (type !== "terraform_data") problems.push(`${type}.${name}: resource of another provider; the twin cannot plan it offline`);
          const body = Object.fromEntries(Object.entries(config).filter(([k]) => !META.has(k) || k === "//"));
          resources[type] ??= {};
          resources[type][name] = { ...rw(body), ...metaOf(config, false) };
          continue;
        }
        const attrs = Object.fromEntries(Object.entries(config).filter(([k]) => !META.has(k)));
        inputs.set(twinName(type, name, data), { type, data, name, config: rw(attrs), meta: metaOf(config, true) });
      }
    }
  }
  const twinJson: TfJson = {};
  for (const key of ["variable", "locals", "output"]) if (tf[key]) twinJson[key] = rw(tf[key]);

  // Data sources Terraform would defer to apply: their arguments reference a resource (any
  // terraform_data but a data twin that is itself read at plan).
  const deferred = new Set<string>();
  if (options.applyTimeUnknowns) {
    for (let changed = true; changed; ) {
      changed = false;
      for (const [twin, { data, config, meta }] of inputs) {
        if (!data || deferred.has(twin)) continue;
        const refs = [...JSON.stringify([config, meta.count ?? null]).matchAll(/terraform_data\.([A-Za-z0-9_-]+)/g)].map((m) => m[1]);
        if (refs.some((r) => !r.startsWith("data__") || deferred.has(r))) {
          deferred.add(twin);
          changed = true;
        }
      }
    }
  }

  // Second pass: give every referenced attribute the config's value or a plausible computed one.
  resources.terraform_data ??= {};
  if (options.applyTimeUnknowns) resources.terraform_data[APPLY_TIME] = { input: "known after apply" };
  for (const [twin, { type, data, name, config, meta }] of inputs) {
    const schema = schemaOf(type, data ? "data" : "resource");
    const input: Record<string, unknown> = { ...config };
    for (const attr of referenced.get(twin) ?? []) {
      if (attr in input) continue;
      if (schema instanceof Error) {
        problems.push(schema.message);
        continue;
      }
      const kind = schema.attributes.get(attr);
      if (!kind) {
        problems.push(`${origin.get(twin)}.${attr}: ${type} has no attribute "${attr}" (${schema.source})`);
        continue; // left out: the plan fails on the reference
      }
      const value = plausibleValue(`${data ? "data." : ""}${type}.${attr}`, kind, { region, name, config: input });
      input[attr] = options.applyTimeUnknowns && (!data || deferred.has(twin)) ? unknownUntilApply(value) : value;
    }
    resources.terraform_data[twin] = { input, ...meta };
  }
  twinJson.resource = resources;
  return { json: twinJson, origin, problems };
}
