/**
 * Dashboards saved objects files (NDJSON, as Dashboards' "Export" writes them) that an environment
 * lists under `opensearch.dashboards_saved_objects`, read and checked by the config layer so the
 * bootstrap gets them in its plan and constructs never read files.
 *
 * The rules are OpenSearch Dashboards' own import rules (src/core/server/saved_objects/routes/
 * import.ts and utils.ts): the file name must end in `.ndjson`, empty lines are skipped, the
 * export's summary line (`{"exportedCount":…}`) is not an object, and the default limits are
 * 10000 objects (savedObjects.maxImportExportSize) and 26214400 bytes (maxImportPayloadBytes).
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { isObject } from "../json";

/** Dashboards' default savedObjects.maxImportPayloadBytes. */
export const SAVED_OBJECTS_MAX_BYTES = 26_214_400;
/** Dashboards' default savedObjects.maxImportExportSize. */
export const SAVED_OBJECTS_MAX_COUNT = 10_000;

/** One file's objects, ready for the import API. */
export interface SavedObjectsFile {
  /** Path as the YAML gives it, relative to configs/. */
  readonly file: string;
  /** The object lines, one JSON object per line (summary and empty lines dropped). */
  readonly ndjson: string;
  /** What it holds, by type and id (for --dry-run and the plan's readers). */
  readonly objects: readonly { readonly type: string; readonly id: string }[];
}

export interface SavedObjectsProblem {
  readonly expected: string;
  readonly found: string;
}

/** Reads `configs/<rel>`; problems say what is wrong with it, in the loader's expected/found form. */
export function readSavedObjectsFile(rootDir: string, rel: string): { file?: SavedObjectsFile; problems: SavedObjectsProblem[] } {
  const problems: SavedObjectsProblem[] = [];
  const normalized = path.posix.normalize(rel);
  if (path.isAbsolute(rel) || normalized.startsWith("../") || normalized === "..") {
    return { problems: [{ expected: "a path inside configs/ (relative, no ..)", found: `"${rel}"` }] };
  }
  if (path.extname(rel).toLowerCase() !== ".ndjson") {
    return { problems: [{ expected: "a .ndjson file (Dashboards refuses other extensions)", found: `"${rel}"` }] };
  }
  const abs = path.join(rootDir, "configs", normalized);
  if (!existsSync(abs) || !statSync(abs).isFile()) return { problems: [{ expected: `an NDJSON file at configs/${normalized}`, found: "no such file" }] };
  const size = statSync(abs).size;
  if (size > SAVED_OBJECTS_MAX_BYTES) {
    return { problems: [{ expected: `a file of at most ${SAVED_OBJECTS_MAX_BYTES} bytes (Dashboards' import limit)`, found: `${size} bytes` }] };
  }

  const lines: string[] = [];
  const objects: { type: string; id: string }[] = [];
  const seen = new Map<string, number>();
  readFileSync(abs, "utf8")
    .split(/\r?\n/)
    .forEach((raw, i) => {
      const text = raw.trim();
      if (text === "") return;
      const where = `configs/${normalized}:${i + 1}`;
      let value: unknown;
      try {
        value = JSON.parse(text);
      } catch {
        problems.push({ expected: "one JSON object per line", found: `${where}: not JSON` });
        return;
      }
      if (isObject(value) && "exportedCount" in value) return; // the export's summary line
      if (!isObject(value) || typeof value.type !== "string" || typeof value.id !== "string" || !isObject(value.attributes)) {
        problems.push({ expected: "a saved object per line (JSON with string type and id, and an attributes object)", found: `${where}: ${text.slice(0, 60)}` });
        return;
      }
      const key = `${value.type}/${value.id}`;
      if (seen.has(key)) {
        problems.push({ expected: "each saved object once", found: `${where}: ${key}, also on line ${seen.get(key)}` });
        return;
      }
      seen.set(key, i + 1);
      objects.push({ type: value.type, id: value.id });
      lines.push(JSON.stringify(value));
    });
  if (objects.length === 0 && problems.length === 0) problems.push({ expected: "at least one saved object", found: `configs/${normalized}: none` });
  if (objects.length > SAVED_OBJECTS_MAX_COUNT) {
    problems.push({ expected: `at most ${SAVED_OBJECTS_MAX_COUNT} objects per file (Dashboards' import limit)`, found: `${objects.length}` });
  }
  if (problems.length > 0) return { problems };
  return { file: { file: rel, ndjson: `${lines.join("\n")}\n`, objects }, problems };
}
