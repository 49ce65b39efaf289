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

/**
 * Where JSON text first goes wrong, and what was expected there: a small scanner run only after
 * JSON.parse has refused the text (whose messages differ between Node releases and do not always
 * give a position).
 */
export function jsonErrorAt(text: string): { offset: number; expected: string } | undefined {
  let i = 0;
  const fail = (expected: string): never => {
    throw { offset: i, expected };
  };
  const ws = () => {
    while (i < text.length && " \t\n\r".includes(text[i])) i++;
  };
  const literal = (word: string) => {
    if (text.startsWith(word, i)) i += word.length;
    else fail("a JSON value");
  };
  const string = () => {
    i++; // opening quote
    while (i < text.length && text[i] !== '"') {
      if (text[i] === "\\") {
        i++;
        if (text[i] === "u") {
          if (!/^[0-9a-fA-F]{4}$/.test(text.slice(i + 1, i + 5))) fail("four hex digits after \\u");
          i += 4;
        } else if (!'"\\/bfnrt'.includes(text[i] ?? "")) fail("an escape such as \\n or \\\"");
      } else if (text.charCodeAt(i) < 0x20) fail("no control character (a newline, a tab) inside a string");
      i++;
    }
    if (i >= text.length) fail("the closing \" of a string");
    i++;
  };
  const number = () => {
    const m = /^-?(0|[1-9]\d*)(\.\d+)?([eE][+-]?\d+)?/.exec(text.slice(i));
    if (!m) fail("a JSON value");
    i += m![0].length;
  };
  const value = (): void => {
    ws();
    const c = text[i];
    if (c === "{") {
      i++;
      ws();
      if (text[i] === "}") return void i++;
      for (;;) {
        ws();
        if (text[i] !== '"') fail("a double-quoted property name");
        string();
        ws();
        if (text[i] !== ":") fail("':' after a property name");
        i++;
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "}") return void i++;
        else fail("',' or '}'");
      }
    }
    if (c === "[") {
      i++;
      ws();
      if (text[i] === "]") return void i++;
      for (;;) {
        value();
        ws();
        if (text[i] === ",") i++;
        else if (text[i] === "]") return void i++;
        else fail("',' or ']'");
      }
    }
    if (c === '"') return string();
    if (c === "t") return literal("true");
    if (c === "f") return literal("false");
    if (c === "n") return literal("null");
    if (c === "-" || (c !== undefined && c >= "0" && c <= "9")) return number();
    fail("a JSON value");
  };
  try {
    value();
    ws();
    if (i < text.length) fail("the end of the text after one JSON value");
    return undefined;
  } catch (e) {
    return e as { offset: number; expected: string };
  }
}

/** "expected X at line L col C, found Y" for text JSON.parse refused. */
function jsonError(text: string, err: Error): string {
  const at = jsonErrorAt(text);
  if (!at) return err.message.split("\n")[0];
  const got = at.offset >= text.length ? "the end of the file" : JSON.stringify(text[at.offset]);
  return `invalid JSON at ${lineCol(text, at.offset)} (${got} where ${at.expected} should be)`;
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
    return problem(`an ${spec.format} schema definition in JSON in ${displayPath}`, jsonError(text, err as Error));
  }
  const shape = spec.format === "AVRO" ? avroShapeProblem(value) : jsonSchemaShapeProblem(value);
  if (shape) {
    const what = spec.format === "AVRO" ? "an Avro schema (a type name, a union list, or an object with a \"type\")" : "a JSON Schema (an object)";
    return problem(`${what} in ${displayPath}`, shape);
  }
  return { displayPath, definition: text };
}
