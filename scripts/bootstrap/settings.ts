/**
 * Comparing an index's live settings with the settings the plan wants.
 *
 * OpenSearch returns settings as strings (`"number_of_shards": "1"`), nested under `index`, with
 * values it adds itself (`uuid`, `creation_date`, `provided_name`, `version.created`). Only the keys
 * the plan sets are compared; the plan's numbers and booleans are compared as the strings
 * OpenSearch returns. Static settings (shards, analysis, ...) cannot change on an open index: a
 * difference needs a new index and a reindex, which this tool never does on its own.
 */
import { isObject, type JsonObject } from "../../modules/json";

/** Keys under `index.` that are static (fixed at creation), as prefixes of the dotted key. */
const STATIC = ["number_of_shards", "number_of_routing_shards", "routing_partition_size", "codec", "analysis", "sort", "store", "knn", "soft_deletes", "shard"];

export interface SettingChange {
  /** Dotted key below `index`, e.g. `number_of_replicas`, `analysis.analyzer.x.type`. */
  readonly key: string;
  readonly existing: string;
  readonly wanted: string;
}

export interface SettingsDiff {
  readonly static: SettingChange[];
  readonly dynamic: SettingChange[];
  /** `PUT /<index>/_settings` body for the dynamic changes, or undefined when none. */
  readonly update: { index: JsonObject } | undefined;
}

/** `{a: {b: 1}}` -> `{"a.b": "1"}`; arrays become comma-joined strings, as OpenSearch prints them. */
function flatten(v: unknown, prefix: string, out: Record<string, string>): Record<string, string> {
  if (isObject(v)) {
    for (const [k, x] of Object.entries(v)) flatten(x, prefix ? `${prefix}.${k}` : k, out);
  } else if (Array.isArray(v)) {
    out[prefix] = v.map(String).join(",");
  } else if (v !== undefined && v !== null) {
    out[prefix] = String(v);
  }
  return out;
}

/** Settings may be given as `{index: {...}}` or flat `{"index.x": ...}` / `{x: ...}`: normalise to keys below `index`. */
function belowIndex(settings: JsonObject | undefined): Record<string, string> {
  const flat = flatten(settings ?? {}, "", {});
  const out: Record<string, string> = {};
  for (const [k, v] of Object.entries(flat)) out[k.startsWith("index.") ? k.slice("index.".length) : k] = v;
  return out;
}

export function isStaticSetting(key: string): boolean {
  return STATIC.some((p) => key === p || key.startsWith(`${p}.`));
}

export function diffSettings(live: JsonObject, wanted: JsonObject | undefined): SettingsDiff {
  const have = belowIndex(live);
  const want = belowIndex(wanted);
  const stat: SettingChange[] = [];
  const dyn: SettingChange[] = [];
  const update: JsonObject = {};
  for (const key of Object.keys(want).sort()) {
    const existing = have[key];
    if (existing === want[key]) continue;
    const change = { key, existing: existing ?? "(unset)", wanted: want[key]! };
    if (isStaticSetting(key)) stat.push(change);
    else {
      dyn.push(change);
      update[key] = want[key];
    }
  }
  return { static: stat, dynamic: dyn, update: dyn.length ? { index: update } : undefined };
}
