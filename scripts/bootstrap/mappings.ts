/**
 * Comparing an index's live mapping with the mapping the plan wants.
 *
 * OpenSearch can add fields to a mapping but cannot change a field's type (or a date's format) in
 * place: that needs a new index and a reindex, which this tool never does on its own.
 */
import { isObject, type JsonObject } from "../../modules/json";

export interface FieldConflict {
  /** Dotted path, e.g. `creative_details.size`. */
  readonly path: string;
  readonly what: "type" | "format";
  readonly existing: string;
  readonly wanted: string;
}

export interface MappingDiff {
  /** Dotted paths of fields in the plan but not in the index. */
  readonly added: string[];
  /** `{ properties: ... }` holding only the new fields (nested under their existing parents). */
  readonly addBody: { properties: JsonObject } | undefined;
  readonly conflicts: FieldConflict[];
}

/** The default format of a `date` field when none is given. */
const DEFAULT_DATE_FORMAT = "strict_date_optional_time||epoch_millis";

/** A field without `type` but with `properties` is an object field. */
function fieldType(def: JsonObject): string {
  return typeof def.type === "string" ? def.type : "object";
}

function dateFormat(def: JsonObject): string {
  return typeof def.format === "string" ? def.format : DEFAULT_DATE_FORMAT;
}

/**
 * Diff `wanted` properties against `existing` properties (both the `properties` object of a mapping).
 * Fields in the index but not in the plan (e.g. added by dynamic mapping) are left alone.
 */
export function diffProperties(existing: JsonObject | undefined, wanted: JsonObject | undefined): MappingDiff {
  const added: string[] = [];
  const conflicts: FieldConflict[] = [];
  const addProps = walk(existing ?? {}, wanted ?? {}, "", added, conflicts);
  return { added, conflicts, addBody: addProps ? { properties: addProps } : undefined };
}

function walk(existing: JsonObject, wanted: JsonObject, prefix: string, added: string[], conflicts: FieldConflict[]): JsonObject | undefined {
  const out: JsonObject = {};
  for (const [name, wantedDef] of Object.entries(wanted)) {
    if (!isObject(wantedDef)) continue;
    const path = prefix ? `${prefix}.${name}` : name;
    const existingDef = existing[name];
    if (!isObject(existingDef)) {
      added.push(path);
      out[name] = wantedDef;
      continue;
    }
    const oldType = fieldType(existingDef);
    const newType = fieldType(wantedDef);
    if (oldType !== newType) {
      conflicts.push({ path, what: "type", existing: oldType, wanted: newType });
      continue;
    }
    if (newType === "date" || newType === "date_nanos") {
      const oldFormat = dateFormat(existingDef);
      const newFormat = dateFormat(wantedDef);
      if (oldFormat !== newFormat) conflicts.push({ path, what: "format", existing: oldFormat, wanted: newFormat });
    }
    if (isObject(wantedDef.properties)) {
      const sub = walk(
        isObject(existingDef.properties) ? existingDef.properties : {},
        wantedDef.properties,
        path,
        added,
        conflicts,
      );
      if (sub) {
        // A put-mapping on an object field must restate its type when it is not a plain object.
        out[name] = newType === "object" ? { properties: sub } : { type: newType, properties: sub };
      }
    }
  }
  return Object.keys(out).length ? out : undefined;
}

export function describeConflict(c: FieldConflict): string {
  return `field ${c.path}: ${c.what} ${c.existing} -> ${c.wanted}`;
}
