/**
 * Configuration issues: one shape for schema errors, YAML errors and cross-file rules, printed as
 * `path/to/file.yaml:LINE:COL  field.path: expected X, found Y`.
 */
import type { z } from "zod";

export type PathSegment = string | number;

export interface ConfigIssue {
  readonly file: string;
  readonly line: number;
  readonly col: number;
  readonly path: readonly PathSegment[];
  readonly expected: string;
  readonly found: string;
}

/** `kafka.server_properties.extra["cleanup.policy"]`, `topics[1]`. */
export function formatPath(path: readonly PathSegment[]): string {
  let out = "";
  for (const seg of path) {
    if (typeof seg === "number") out += `[${seg}]`;
    else if (/^[A-Za-z_@$][\w@$-]*$/.test(seg)) out += out ? `.${seg}` : seg;
    else out += `[${JSON.stringify(seg)}]`;
  }
  return out || "(file)";
}

export function formatIssue(issue: ConfigIssue): string {
  return `${issue.file}:${issue.line}:${issue.col}  ${formatPath(issue.path)}: expected ${issue.expected}, found ${issue.found}`;
}

export function sortIssues(issues: readonly ConfigIssue[]): ConfigIssue[] {
  return [...issues].sort(
    (a, b) =>
      (a.file < b.file ? -1 : a.file > b.file ? 1 : 0) ||
      a.line - b.line ||
      a.col - b.col ||
      formatPath(a.path).localeCompare(formatPath(b.path)),
  );
}

/** Thrown by the loader with every issue found; main.ts prints them without a stack trace. */
export class ConfigError extends Error {
  public readonly issues: readonly ConfigIssue[];
  constructor(issues: readonly ConfigIssue[]) {
    const sorted = sortIssues(issues);
    super(`${sorted.length} configuration error${sorted.length === 1 ? "" : "s"}:\n${sorted.map(formatIssue).join("\n")}`);
    this.name = "ConfigError";
    this.issues = sorted;
  }
}

/** A short rendering of a YAML value for "found ...". */
export function describeValue(value: unknown): string {
  if (value === undefined) return "nothing (the field is missing)";
  if (value === null) return "an empty value";
  if (typeof value === "string") return JSON.stringify(value.length > 60 ? `${value.slice(0, 57)}...` : value);
  if (typeof value === "number" || typeof value === "boolean") return String(value);
  if (Array.isArray(value)) return `a list of ${value.length}`;
  return "a mapping";
}

const TYPE_NAMES: Record<string, string> = {
  object: "a mapping",
  array: "a list",
  string: "a string",
  number: "a number",
  int: "a whole number",
  boolean: "true or false",
};

/** Levenshtein distance, for "did you mean". */
function distance(a: string, b: string): number {
  const row = Array.from({ length: b.length + 1 }, (_, j) => j);
  for (let i = 1; i <= a.length; i++) {
    let prev = row[0];
    row[0] = i;
    for (let j = 1; j <= b.length; j++) {
      const tmp = row[j];
      row[j] = Math.min(row[j] + 1, row[j - 1] + 1, prev + (a[i - 1] === b[j - 1] ? 0 : 1));
      prev = tmp;
    }
  }
  return row[b.length];
}

export function closest(word: string, candidates: readonly string[]): string | undefined {
  let best: string | undefined;
  let bestDistance = Infinity;
  for (const c of candidates) {
    const d = distance(word.toLowerCase(), c.toLowerCase());
    if (d < bestDistance) {
      best = c;
      bestDistance = d;
    }
  }
  return best !== undefined && bestDistance <= Math.max(2, Math.floor(word.length / 3)) ? best : undefined;
}

type AnySchema = z.core.$ZodType;

/** Field names an object schema at `path` accepts (through optional/default/lazy/union/array/record). */
export function knownKeysAt(schema: AnySchema, path: readonly PathSegment[]): string[] {
  const keys = new Set<string>();
  const visit = (s: AnySchema, rest: readonly PathSegment[]): void => {
    const def = s._zod.def as unknown as Record<string, unknown> & { type: string };
    switch (def.type) {
      case "optional":
      case "default":
      case "prefault":
      case "nullable":
      case "readonly":
      case "catch":
        return visit(def.innerType as AnySchema, rest);
      case "pipe":
        return visit(def.in as AnySchema, rest);
      case "lazy":
        return visit((def.getter as () => AnySchema)(), rest);
      case "union":
        for (const o of def.options as AnySchema[]) visit(o, rest);
        return;
      case "object": {
        const shape = def.shape as Record<string, AnySchema>;
        if (rest.length === 0) Object.keys(shape).forEach((k) => keys.add(k));
        else if (typeof rest[0] === "string" && shape[rest[0]]) visit(shape[rest[0]], rest.slice(1));
        return;
      }
      case "array":
        if (rest.length > 0) visit(def.element as AnySchema, rest.slice(1));
        return;
      case "record":
        if (rest.length > 0) visit(def.valueType as AnySchema, rest.slice(1));
        return;
      default:
        return;
    }
  };
  visit(schema, path);
  return [...keys];
}

export interface Locator {
  locate(path: readonly PathSegment[], pointAtKey?: boolean): { line: number; col: number };
}

/** Turns zod's issues into ConfigIssues positioned in the YAML source. */
export function fromZodIssues(
  file: string,
  source: Locator,
  schema: AnySchema,
  data: unknown,
  zodIssues: readonly z.core.$ZodIssue[],
  /** Removed fields by dotted path, with what replaces them: reported instead of "unknown field". */
  removedFields: Readonly<Record<string, string>> = {},
): ConfigIssue[] {
  const out: ConfigIssue[] = [];
  const valueAt = (path: readonly PathSegment[]): unknown =>
    path.reduce<unknown>((v, seg) => (v !== null && typeof v === "object" ? (v as Record<string, unknown>)[seg as string] : undefined), data);
  const push = (path: readonly PathSegment[], expected: string, found: string, pointAtKey = false) => {
    const { line, col } = source.locate(path, pointAtKey);
    out.push({ file, line, col, path, expected, found });
  };
  const walk = (issues: readonly z.core.$ZodIssue[], prefix: readonly PathSegment[]) => {
    for (const issue of issues) {
      const path = [...prefix, ...(issue.path as PathSegment[])];
      const input = "input" in issue ? issue.input : valueAt(path);
      switch (issue.code) {
        case "unrecognized_keys":
          for (const key of issue.keys) {
            const replacement = removedFields[[...path, key].join(".")];
            if (replacement) {
              push([...path, key], `${replacement} instead`, `"${key}", which was removed`, true);
              continue;
            }
            const known = knownKeysAt(schema, path);
            // A field another alternative has (e.g. `plugin` on a kind that is no MSK Connect connector).
            const kind = (valueAt(path) as { kind?: unknown } | undefined)?.kind;
            if (known.includes(key)) {
              push([...path, key], `no ${key} field${typeof kind === "string" ? ` with kind ${kind}` : " here"} (other kinds have one, this one does not)`, `"${key}"`, true);
              continue;
            }
            const hint = closest(key, known);
            push(
              [...path, key],
              hint ? `a known field (did you mean "${hint}"?)` : `one of the known fields (${known.sort().join(", ")})`,
              `unknown field "${key}"`,
              true,
            );
          }
          break;
        case "invalid_type": {
          const expected = TYPE_NAMES[issue.expected] ?? issue.expected;
          push(path, expected, describeValue(input));
          break;
        }
        case "too_small":
        case "too_big": {
          const small = issue.code === "too_small";
          const bound = small ? (issue as { minimum: number | bigint }).minimum : (issue as { maximum: number | bigint }).maximum;
          const inclusive = issue.inclusive !== false;
          const cmp = small ? (inclusive ? "≥" : ">") : inclusive ? "≤" : "<";
          const expected =
            issue.origin === "array"
              ? `${small ? "at least" : "at most"} ${bound} item${Number(bound) === 1 ? "" : "s"}`
              : issue.origin === "string"
                ? `${small ? "at least" : "at most"} ${bound} character${Number(bound) === 1 ? "" : "s"}`
                : `a number ${cmp} ${bound}`;
          // A schema's own wording (e.g. "a non-empty reason") wins over the generic bound.
          const custom = !/^Too (small|big)/.test(issue.message);
          push(path, custom ? issue.message : expected, describeValue(input));
          break;
        }
        case "invalid_value": {
          const values = issue.values.map((v) => (typeof v === "string" ? v : String(v)));
          const generic = values.length === 1 ? `${values[0]}` : `one of ${values.join(", ")}`;
          push(path, /^Invalid (option|input)/.test(issue.message) ? generic : issue.message, describeValue(input));
          break;
        }
        case "invalid_union": {
          if (issue.errors.length > 0 && issue.errors.every((e) => e.length > 0) && issue.errors.length === 1) {
            walk(issue.errors[0], path);
          } else if ("discriminator" in issue && issue.discriminator) {
            const disc = [...path, issue.discriminator as string];
            push(disc, issue.message, describeValue(valueAt(disc)));
          } else {
            push(path, "a string, number or true/false", describeValue(input));
          }
          break;
        }
        case "custom": {
          // Custom checks write "<expected>, found <found>".
          const idx = issue.message.lastIndexOf(", found ");
          if (idx > 0) push(path, issue.message.slice(0, idx), issue.message.slice(idx + 8));
          else push(path, issue.message, describeValue(input));
          break;
        }
        default:
          // invalid_format (regex), not_multiple_of, ...: our schemas phrase the message as what is expected.
          push(path, issue.message, describeValue(input));
      }
    }
  };
  walk(zodIssues, []);
  return out;
}
