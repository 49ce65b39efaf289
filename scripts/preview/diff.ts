/**
 * Pure diff of two synthesized stacks (cdk.tf.json objects): which resources are added, removed or
 * changed, by component (from each resource's construct path), with the attributes that change
 * (secrets masked) and whether Terraform will likely replace them.
 */
import { classifyAttribute } from "./force-new";
import type { JsonValue } from "../../modules/json";

export const COMPONENTS = [
  { id: "network", title: "Network", scopes: ["network"] },
  { id: "vpn", title: "VPN", scopes: ["vpn"] },
  { id: "bucket", title: "Artifact bucket", scopes: ["artifacts"] },
  { id: "kafka", title: "Kafka (MSK)", scopes: ["kafka", "topics", "client-host"] },
  { id: "opensearch", title: "OpenSearch", scopes: ["search"] },
  { id: "connectors", title: "Connectors", scopes: ["connectors", "plugins", "connect", "connector-kinds"] },
  { id: "bootstrap", title: "Index bootstrap", scopes: ["index-bootstrap"] },
  { id: "archives", title: "Archives (Firehose to S3)", scopes: ["archives"] },
  { id: "stack", title: "Stack", scopes: [] },
] as const;

export type ComponentId = (typeof COMPONENTS)[number]["id"];

/** A path segment: an object key or a list index. */
export type Segment = string | number;

export interface ResourceRef {
  /** Terraform address, e.g. `aws_msk_cluster.kafka_cluster_4FCB1297`. */
  readonly address: string;
  readonly type: string;
  /** Construct path below the stack, e.g. `kafka/cluster`. */
  readonly path: string;
  readonly component: ComponentId;
  /** Short human name, e.g. `connector ad-tech-sink`, `kafka cluster`. */
  readonly label: string;
}

export interface AttributeChange {
  readonly path: readonly Segment[];
  /** Display text of the old and new value (secrets masked), undefined when absent. */
  readonly before?: string;
  readonly after?: string;
  readonly forcesReplacement: boolean;
  readonly caution?: string;
}

export interface ResourceChange extends ResourceRef {
  readonly attributes: readonly AttributeChange[];
  readonly replace: boolean;
}

export interface StackDiff {
  readonly added: readonly ResourceRef[];
  readonly removed: readonly ResourceRef[];
  readonly changed: readonly ResourceChange[];
  /** Removed + added resources of the same type in the same component: a logical id changed. */
  readonly renamed: readonly { readonly from: ResourceRef; readonly to: ResourceRef }[];
}

function componentOf(scope: string | undefined): ComponentId {
  return COMPONENTS.find((c) => (c.scopes as readonly string[]).includes(scope ?? ""))?.id ?? "stack";
}

function labelOf(type: string, component: ComponentId, rest: readonly string[]): string {
  if (type === "aws_mskconnect_connector") return `connector ${rest[0]}`;
  if (type === "aws_mskconnect_custom_plugin") return `plugin ${rest[0]}`;
  if (type === "aws_msk_topic") return `topic ${rest[0]}`;
  if (type === "aws_kinesis_firehose_delivery_stream") return `archive ${rest[0]}`;
  const prefix = { network: "network", vpn: "vpn", bucket: "bucket", kafka: "kafka", opensearch: "opensearch", connectors: "connectors", bootstrap: "bootstrap", archives: "archive", stack: "stack" }[component];
  return `${prefix} ${rest.join("/")}`;
}

/** Every resource of a synthesized stack, by Terraform address. */
export function resourcesOf(stack: unknown): Map<string, ResourceRef & { readonly config: Record<string, JsonValue> }> {
  const out = new Map<string, ResourceRef & { readonly config: Record<string, JsonValue> }>();
  const resources = ((stack as { resource?: Record<string, Record<string, Record<string, JsonValue>>> } | null)?.resource ?? {});
  for (const [type, byName] of Object.entries(resources)) {
    for (const [name, config] of Object.entries(byName)) {
      const meta = (config["//"] as { metadata?: { path?: string } } | undefined)?.metadata;
      const full = (meta?.path ?? name).split("/");
      const below = full.slice(1);
      const component = componentOf(below.length > 1 ? below[0] : undefined);
      const rest = component === "stack" ? below : below.slice(1);
      out.set(`${type}.${name}`, { address: `${type}.${name}`, type, path: below.join("/"), component, label: labelOf(type, component, rest), config });
    }
  }
  return out;
}

/** Keys whose values are secrets: password, secret, token... (but not an ARN, id or name of one). */
const SECRET_KEY = /(password|passwd|secret|token|credential|private[._-]?key|api[._-]?key)/i;
const REFERENCE_SUFFIX = /(_arn|_arns|_id|_ids|_name|\.arn|\.name)$/i;

export function isSecretKey(key: string): boolean {
  return SECRET_KEY.test(key) && !REFERENCE_SUFFIX.test(key);
}

export const MASK = "(sensitive)";

/** Flattens to leaf values; JSON documents inside strings (policies) are expanded too. */
function leaves(value: JsonValue, path: Segment[], sensitive: boolean, out: Map<string, { path: Segment[]; value: JsonValue; sensitive: boolean }>): void {
  const last = path[path.length - 1];
  const isSensitive = sensitive || (typeof last === "string" && (isSecretKey(last) || /sensitive/i.test(last)));
  if (typeof value === "string" && /^\s*[[{]/.test(value)) {
    try {
      const parsed = JSON.parse(value) as JsonValue;
      if (parsed !== null && typeof parsed === "object") {
        leaves(parsed, [...path, "(json)"], isSensitive, out);
        return;
      }
    } catch {
      // not JSON: a plain string
    }
  }
  if (Array.isArray(value)) {
    if (value.length === 0) out.set(JSON.stringify(path), { path, value: [], sensitive: isSensitive });
    value.forEach((v, i) => leaves(v, [...path, i], isSensitive, out));
    return;
  }
  if (value !== null && typeof value === "object") {
    const entries = Object.entries(value).filter(([k]) => k !== "//");
    if (entries.length === 0) out.set(JSON.stringify(path), { path, value: {}, sensitive: isSensitive });
    const marked = isSensitive || value.sensitive === true;
    for (const [k, v] of entries) leaves(v, [...path, k], marked, out);
    return;
  }
  out.set(JSON.stringify(path), { path, value, sensitive: isSensitive });
}

const MAX_VALUE = 120;

function display(value: JsonValue, sensitive: boolean): string {
  if (sensitive) return MASK;
  const text = JSON.stringify(value);
  return text.length > MAX_VALUE ? `${text.slice(0, MAX_VALUE - 1)}…` : text;
}

/** For multi-line strings (scripts, user data): the first line that differs, on both sides. */
function displayPair(before: JsonValue | undefined, after: JsonValue | undefined, sensitive: boolean): [string | undefined, string | undefined] {
  const show = (v: JsonValue | undefined) => (v === undefined ? undefined : display(v, sensitive));
  if (sensitive || typeof before !== "string" || typeof after !== "string" || !(before.includes("\n") || after.includes("\n"))) {
    return [show(before), show(after)];
  }
  const a = before.split("\n");
  const b = after.split("\n");
  let i = 0;
  while (i < a.length && i < b.length && a[i] === b[i]) i++;
  const line = (l: string | undefined) => (l === undefined ? "(end)" : display(l, false));
  return [`line ${i + 1}: ${line(a[i])}`, line(b[i])];
}

/** `a.b[0]["x.y"]`: list indexes and keys that are not identifiers in brackets. */
export function formatPath(path: readonly Segment[]): string {
  return path
    .map((s, i) => (typeof s === "number" ? `[${s}]` : /^[A-Za-z_][\w-]*$/.test(s) || s === "(json)" ? (i === 0 ? s : `.${s}`) : `[${JSON.stringify(s)}]`))
    .join("");
}

/** The attribute path as the replacement table spells it: keys only, up to the first map key. */
function schemaPath(path: readonly Segment[]): string {
  const keys: string[] = [];
  for (const s of path) {
    if (typeof s === "number") continue;
    if (s === "(json)" || !/^[a-z_][a-z0-9_]*$/.test(s)) break;
    keys.push(s);
  }
  return keys.join(".");
}

/**
 * Meta-arguments Terraform plans no change for: a new `depends_on` entry (e.g. a sink waiting for
 * a newly added source connector) only orders the next apply.
 */
const NO_PLAN_CHANGE = new Set(["depends_on"]);

function diffAttributes(type: string, before: Record<string, JsonValue>, after: Record<string, JsonValue>): AttributeChange[] {
  const a = new Map<string, { path: Segment[]; value: JsonValue; sensitive: boolean }>();
  const b = new Map<string, { path: Segment[]; value: JsonValue; sensitive: boolean }>();
  const planned = (c: Record<string, JsonValue>) => Object.fromEntries(Object.entries(c).filter(([k]) => !NO_PLAN_CHANGE.has(k)));
  leaves(planned(before), [], false, a);
  leaves(planned(after), [], false, b);
  const keys = [...new Set([...a.keys(), ...b.keys()])];
  const changes: AttributeChange[] = [];
  for (const key of keys) {
    const x = a.get(key);
    const y = b.get(key);
    if (x && y && JSON.stringify(x.value) === JSON.stringify(y.value)) continue;
    const path = (x ?? y)!.path;
    const top = schemaPath(path);
    const c = classifyAttribute(type, top, topValue(before, path), topValue(after, path));
    const sensitive = (x?.sensitive ?? false) || (y?.sensitive ?? false);
    const [shownBefore, shownAfter] = displayPair(x?.value, y?.value, sensitive);
    changes.push({
      path,
      before: shownBefore,
      after: shownAfter,
      forcesReplacement: c.kind === "replace",
      ...(c.caution ? { caution: c.caution } : {}),
    });
  }
  return changes.sort((p, q) => formatPath(p.path).localeCompare(formatPath(q.path)));
}

/** The value at the schema-level path (for conditional rules such as version downgrades). */
function topValue(config: Record<string, JsonValue>, path: readonly Segment[]): unknown {
  let v: unknown = config;
  for (const s of path) {
    if (s === "(json)") return v;
    if (v === null || typeof v !== "object") return undefined;
    v = (v as Record<string | number, unknown>)[s];
  }
  return v;
}

const byComponentThenLabel = (a: ResourceRef, b: ResourceRef) =>
  COMPONENTS.findIndex((c) => c.id === a.component) - COMPONENTS.findIndex((c) => c.id === b.component) ||
  a.path.localeCompare(b.path) ||
  a.address.localeCompare(b.address);

/**
 * `lifecycle.replace_triggered_by` makes a resource be replaced whenever a resource it names
 * changes (our connectors name their config-hash terraform_data, to work around
 * hashicorp/terraform-provider-aws#47004): mark those resources as replaced too, to a fixpoint.
 */
function propagateReplaceTriggers(
  now: Map<string, ResourceRef & { readonly config: Record<string, JsonValue> }>,
  changed: ResourceChange[],
  strip: (r: ResourceRef & { config: unknown }) => ResourceRef,
): void {
  for (let grew = true; grew; ) {
    grew = false;
    const touched = new Set(changed.map((c) => c.address));
    for (const r of now.values()) {
      const lifecycle = r.config.lifecycle as { replace_triggered_by?: JsonValue } | undefined;
      const triggers = Array.isArray(lifecycle?.replace_triggered_by) ? lifecycle!.replace_triggered_by : [];
      const trigger = triggers
        .map((t) => /^(?:\$\{)?([a-z0-9_]+\.[^.}\s[]+)/.exec(String(t))?.[1])
        .find((address) => address !== undefined && touched.has(address));
      if (!trigger) continue;
      const i = changed.findIndex((c) => c.address === r.address);
      if (i >= 0 && changed[i].replace) continue;
      const attribute: AttributeChange = {
        path: ["lifecycle", "replace_triggered_by"],
        before: undefined,
        after: `${trigger} changed`,
        forcesReplacement: true,
      };
      // Replaced anyway: an "updated in place but may not apply" caution no longer applies.
      const existing = (i >= 0 ? changed[i].attributes : []).map(({ caution: _caution, ...a }) => a);
      const entry: ResourceChange = { ...strip(r), attributes: [...existing, attribute], replace: true };
      if (i >= 0) changed[i] = entry;
      else changed.push(entry);
      grew = true;
    }
  }
}

/** Compares two synthesized stacks (`before` may be undefined: nothing synthesized yet). */
export function diffStacks(before: unknown, after: unknown): StackDiff {
  const a = resourcesOf(before);
  const b = resourcesOf(after);
  const strip = ({ config: _config, ...ref }: ResourceRef & { config: unknown }): ResourceRef => ref;
  const added = [...b.values()].filter((r) => !a.has(r.address)).map(strip).sort(byComponentThenLabel);
  const removed = [...a.values()].filter((r) => !b.has(r.address)).map(strip).sort(byComponentThenLabel);
  const changed: ResourceChange[] = [];
  for (const [address, old] of a) {
    const now = b.get(address);
    if (!now) continue;
    const attributes = diffAttributes(now.type, old.config, now.config);
    if (attributes.length === 0) continue;
    changed.push({ ...strip(now), attributes, replace: attributes.some((x) => x.forcesReplacement) });
  }
  propagateReplaceTriggers(b, changed, strip);
  changed.sort(byComponentThenLabel);

  const renamed: { from: ResourceRef; to: ResourceRef }[] = [];
  const unpaired = [...added];
  for (const from of removed) {
    const i = unpaired.findIndex((to) => to.type === from.type && to.component === from.component);
    if (i >= 0) renamed.push({ from, to: unpaired.splice(i, 1)[0] });
  }
  return { added, removed, changed, renamed };
}
