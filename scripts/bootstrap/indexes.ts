/**
 * Creating indexes, updating dynamic settings, adding new fields and aliases. Never deletes, never
 * reindexes: a static setting or a field type that differs stops that index, changing nothing.
 */
import { errorReason, type Requester } from "./client";
import { describeConflict, diffProperties } from "./mappings";
import { diffSettings } from "./settings";
import type { PlanIndex } from "../../modules/search/bootstrap-plan";
import { isObject, type JsonObject } from "../../modules/json";

export interface IndexOutcome {
  readonly ok: boolean;
  /** The one summary line for this index. */
  readonly line: string;
  /** Dry run: one line per action it would take. */
  readonly actions: string[];
}

const seg = encodeURIComponent;

/** GET /<index>: the index's own entry, or undefined when it does not exist. */
async function getIndex(os: Requester, name: string): Promise<JsonObject | undefined> {
  const res = await os.request("GET", `/${seg(name)}`, undefined, { accept: [404] });
  if (res.status === 404) return undefined;
  const json = isObject(res.json) ? res.json : {};
  // The key is the concrete index name (it differs if `name` is an alias of another index).
  const entry = json[name] ?? Object.values(json)[0];
  return isObject(entry) ? entry : {};
}

export async function ensureIndex(os: Requester, index: PlanIndex, dryRun: boolean): Promise<IndexOutcome> {
  const name = index.name;
  const actions: string[] = [];
  let live = await getIndex(os, name);

  if (!live) {
    if (dryRun) {
      actions.push(`${name}: would create index (PUT /${name})`);
      return { ok: true, line: `${name}: would be created`, actions };
    }
    const res = await os.request("PUT", `/${seg(name)}`, index.body, { accept: [400] });
    if (res.status !== 400) return { ok: true, line: `${name}: created`, actions };
    // resource_already_exists_exception: created meanwhile (or by a retried PUT); compare as usual.
    const reason = errorReason(res.json);
    if (!/resource_already_exists_exception/.test(reason)) {
      return { ok: false, line: `${name}: FAILED — create index returned HTTP 400: ${reason.slice(0, 300)}`, actions };
    }
    live = (await getIndex(os, name)) ?? {};
  }

  // Settings: static ones that differ stop here (before anything changes); dynamic ones are updated.
  const settings = diffSettings(isObject(live.settings) ? live.settings : {}, index.body.settings);
  if (settings.static.length) {
    const what = settings.static.map((c) => `${name}, ${c.key}, ${c.existing} → ${c.wanted} (needs a reindex)`).join("; ");
    return { ok: false, line: `${name}: FAILED — ${what}; nothing changed`, actions };
  }

  const mappingRes = await os.request("GET", `/${seg(name)}/_mapping`);
  const mappingJson = isObject(mappingRes.json) ? mappingRes.json : {};
  const entry = mappingJson[name] ?? Object.values(mappingJson)[0];
  const liveMappings = isObject(entry) && isObject(entry.mappings) ? entry.mappings : {};
  const liveProps = isObject(liveMappings.properties) ? liveMappings.properties : {};
  const wantedProps = index.body.mappings?.properties;

  const diff = diffProperties(liveProps, wantedProps);
  if (diff.conflicts.length) {
    const what = diff.conflicts.map(describeConflict).join("; ");
    return {
      ok: false,
      line: `${name}: FAILED — ${what} (existing index not changed; reindex by hand)`,
      actions,
    };
  }

  const liveAliases = isObject(live.aliases) ? live.aliases : {};
  const wantedAliases = index.body.aliases ?? {};
  const missingAliases = Object.keys(wantedAliases).filter((a) => !(a in liveAliases));

  const done: string[] = [];
  if (settings.update) {
    const what = settings.dynamic.map((c) => `${c.key} ${c.existing} → ${c.wanted}`).join(", ");
    if (dryRun) actions.push(`${name}: would update settings ${what} (PUT /${name}/_settings)`);
    else {
      await os.request("PUT", `/${seg(name)}/_settings`, settings.update);
      done.push(`updated settings ${what}`);
    }
  }
  if (diff.addBody) {
    if (dryRun) actions.push(`${name}: would add fields ${diff.added.join(", ")} (PUT /${name}/_mapping)`);
    else {
      await os.request("PUT", `/${seg(name)}/_mapping`, diff.addBody);
      done.push(`added fields ${diff.added.join(", ")}`);
    }
  }
  if (missingAliases.length) {
    if (dryRun) actions.push(`${name}: would add aliases ${missingAliases.join(", ")} (POST /_aliases)`);
    else {
      await os.request("POST", "/_aliases", {
        actions: missingAliases.map((alias) => ({ add: { index: name, alias, ...(wantedAliases[alias] ?? {}) } })),
      });
      done.push(`added aliases ${missingAliases.join(", ")}`);
    }
  }
  if (dryRun) {
    return { ok: true, line: actions.length ? `${name}: would change` : `${name}: up to date`, actions };
  }
  return { ok: true, line: `${name}: ${done.length ? done.join(", ") : "up to date"}`, actions };
}
