/**
 * Dashboards saved objects: each file of the plan is imported into the Global tenant with
 * Dashboards' import API, `overwrite=true`, only when some object is missing or differs, so a re-run
 * after any interruption converges and an unchanged file changes nothing.
 *
 * On Amazon OpenSearch Service, Dashboards' API is under `/_dashboards` on the domain endpoint;
 * like every Dashboards write it needs the `osd-xsrf` header, and `securitytenant: global` picks
 * the tenant with fine-grained access control. The API (src/core/server/saved_objects/routes/ of
 * OpenSearch Dashboards): POST `_bulk_get` with `[{type,id}]` answers each object or its error;
 * POST `_import` takes a multipart form whose `file` part is named `*.ndjson`.
 */
import { isDeepStrictEqual } from "node:util";
import * as path from "node:path";
import type { PlanSavedObjects } from "../../modules/search/bootstrap-plan";
import { isObject } from "../../modules/json";
import type { Requester } from "./client";

export const SAVED_OBJECTS_API = "/_dashboards/api/saved_objects";
/** Dashboards refuses writes without it; the tenant header puts the objects where every role reads them. */
const DASHBOARDS_HEADERS = { "osd-xsrf": "true", securitytenant: "global" } as const;

export interface SavedObjectsOutcome {
  readonly ok: boolean;
  readonly line: string;
  readonly actions: readonly string[];
}

interface FileObject {
  readonly type: string;
  readonly id: string;
  readonly attributes: unknown;
  readonly references: unknown;
}

function objectsOf(entry: PlanSavedObjects): FileObject[] {
  return entry.ndjson
    .split("\n")
    .filter((l) => l.trim() !== "")
    .map((l) => {
      const o = JSON.parse(l) as Record<string, unknown>;
      return { type: String(o.type), id: String(o.id), attributes: o.attributes, references: o.references ?? [] };
    });
}

/** Which of the file's objects are missing from Dashboards, and which differ from the file. */
async function compare(os: Requester, objects: readonly FileObject[]): Promise<{ missing: string[]; changed: string[] }> {
  const res = await os.request("POST", `${SAVED_OBJECTS_API}/_bulk_get`, objects.map((o) => ({ type: o.type, id: o.id })), { headers: DASHBOARDS_HEADERS });
  const found = isObject(res.json) && Array.isArray(res.json.saved_objects) ? (res.json.saved_objects as unknown[]) : [];
  const missing: string[] = [];
  const changed: string[] = [];
  objects.forEach((o, i) => {
    const key = `${o.type}/${o.id}`;
    const current = found[i];
    if (!isObject(current) || current.error !== undefined) {
      missing.push(key);
    } else if (!isDeepStrictEqual(current.attributes, o.attributes) || !isDeepStrictEqual(current.references ?? [], o.references)) {
      changed.push(key);
    }
  });
  return { missing, changed };
}

/** The multipart form Dashboards' import expects: one part `file`, named `<name>.ndjson`. */
export function importForm(fileName: string, ndjson: string, boundary: string): string {
  return [
    `--${boundary}`,
    `Content-Disposition: form-data; name="file"; filename="${fileName.replace(/"/g, "")}"`,
    "Content-Type: application/ndjson",
    "",
    ndjson,
    `--${boundary}--`,
    "",
  ].join("\r\n");
}

export async function ensureSavedObjects(
  os: Requester,
  entry: PlanSavedObjects,
  opts: { readonly dryRun: boolean; readonly boundary?: string },
): Promise<SavedObjectsOutcome> {
  const label = `dashboards objects ${entry.file}`;
  const objects = objectsOf(entry);
  const { missing, changed } = await compare(os, objects);
  if (missing.length === 0 && changed.length === 0) return { ok: true, line: `${label}: up to date (${objects.length})`, actions: [] };
  const what = [missing.length ? `${missing.length} new` : "", changed.length ? `${changed.length} changed (${changed.slice(0, 3).join(", ")})` : ""].filter(Boolean).join(", ");
  if (opts.dryRun) return { ok: true, line: `${label}: would import (${what})`, actions: [`would import ${entry.file}: ${what}`] };

  const boundary = opts.boundary ?? `----pipeline-bootstrap-${Date.now().toString(16)}`;
  const res = await os.request("POST", `${SAVED_OBJECTS_API}/_import?overwrite=true`, importForm(path.posix.basename(entry.file), entry.ndjson, boundary), {
    headers: { ...DASHBOARDS_HEADERS, "content-type": `multipart/form-data; boundary=${boundary}` },
  });
  const body = isObject(res.json) ? res.json : {};
  if (body.success !== true) {
    const errors = Array.isArray(body.errors) ? body.errors : [];
    const first = errors
      .slice(0, 3)
      .map((e) => (isObject(e) ? `${String(e.type)}/${String(e.id)}: ${isObject(e.error) ? String(e.error.type) : "error"}` : String(e)))
      .join("; ");
    return { ok: false, line: `${label}: FAILED — import not successful (${errors.length} error(s)${first ? `: ${first}` : ""})`, actions: [] };
  }
  return { ok: true, line: `${label}: imported ${String(body.successCount ?? objects.length)} (${what})`, actions: [] };
}
