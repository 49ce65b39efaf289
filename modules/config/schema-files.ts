/**
 * Schema definitions of topic files (`schema.file`, relative to configs/): read and checked here,
 * in the config layer, so that constructs only ever see the definition text. What is checked is
 * what Glue would refuse at apply: a missing or empty file, more than Glue's 170000 characters,
 * and (AVRO, JSON) a definition that is not JSON, or not shaped like an Avro schema / JSON Schema.
 */
import { existsSync, readFileSync, statSync } from "node:fs";
import * as path from "node:path";
import { GLUE_SCHEMA_DEFINITION_MAX, type TopicValueSchemaSpec } from "./schema";

/** The schema file of one topic, as the loader found it. */
export interface SchemaFile {
  /** configs/<file>, as shown to users. */
  readonly displayPath: string;
  /** The definition, when the file is usable. */
  readonly definition?: string;
  /** Why it is not usable ("expected ..., found ..."). */
  readonly problem?: { readonly expected: string; readonly found: string };
}

/** `line L col C` of a character offset in `text` (1-based). */
function lineCol(text: string, offset: number): string {
  const before = text.slice(0, offset);
  const line = before.split("\n").length;
  const col = offset - before.lastIndexOf("\n");
  return `line ${line} col ${col}`;
}

/** JSON.parse's message with the position as line and column. */
function jsonError(text: string, err: Error): string {
  const message = err.message.replace(/\s*\(line \d+ column \d+\)$/, "");
  const at = /at position (\d+)/.exec(message);
  if (!at) return message;
  return `${message.slice(0, at.index).trim()} at ${lineCol(text, Number(at[1]))}`;
}

/** What an Avro schema is: a type name, a union (list) or a type object with a `type`. */
function avroShapeProblem(value: unknown): string | undefined {
  if (typeof value === "string" || Array.isArray(value)) return undefined;
  if (value !== null && typeof value === "object") {
    return "type" in value ? undefined : "a JSON object without a \"type\"";
  }
  return `a JSON ${value === null ? "null" : typeof value}`;
}

/** A JSON Schema is an object (or true/false). */
function jsonSchemaShapeProblem(value: unknown): string | undefined {
  if (typeof value === "boolean" || (value !== null && typeof value === "object" && !Array.isArray(value))) return undefined;
  return Array.isArray(value) ? "a JSON list" : `a JSON ${value === null ? "null" : typeof value}`;
}

/** Reads and checks the definition a topic's `schema` names. */
export function readSchemaFile(rootDir: string, spec: TopicValueSchemaSpec): SchemaFile {
  const displayPath = path.posix.join("configs", spec.file);
  const abs = path.join(rootDir, "configs", spec.file);
  const problem = (expected: string, found: string): SchemaFile => ({ displayPath, problem: { expected, found } });
  if (!existsSync(abs)) return problem(`a schema definition file at ${displayPath}`, "no such file");
  if (!statSync(abs).isFile()) return problem(`a schema definition file at ${displayPath}`, "a directory");
  const text = readFileSync(abs, "utf8");
  if (text.trim().length === 0) return problem(`a non-empty ${spec.format} schema definition in ${displayPath}`, "an empty file");
  if (text.length > GLUE_SCHEMA_DEFINITION_MAX) {
    return problem(`a schema definition of at most ${GLUE_SCHEMA_DEFINITION_MAX} characters (Glue's limit)`, `${text.length} characters in ${displayPath}`);
  }
  if (spec.format === "PROTOBUF") return { displayPath, definition: text };
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (err) {
    return problem(`an ${spec.format} schema definition in JSON in ${displayPath}`, `invalid JSON: ${jsonError(text, err as Error)}`);
  }
  const shape = spec.format === "AVRO" ? avroShapeProblem(value) : jsonSchemaShapeProblem(value);
  if (shape) {
    const what = spec.format === "AVRO" ? "an Avro schema (a type name, a union list, or an object with a \"type\")" : "a JSON Schema (an object)";
    return problem(`${what} in ${displayPath}`, shape);
  }
  return { displayPath, definition: text };
}
