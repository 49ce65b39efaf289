import type { TfConfig } from "./rule";
import { blocks, list } from "./util";

/** One IAM policy statement, normalized from a policy's JSON. */
export interface Statement {
  /** Where it comes from, for messages: `statement 1 (Sid "X")`. */
  readonly label: string;
  readonly effect: "Allow" | "Deny";
  readonly actions: readonly string[];
  readonly notActions: readonly string[];
  readonly resources: readonly string[];
  readonly notResources: readonly string[];
  /** Principals as `TYPE:identifier` (`AWS:*`, `Service:es.amazonaws.com`); a bare `*` as `*`. */
  readonly principals: readonly string[];
  readonly conditions: readonly { readonly test: string; readonly variable: string; readonly values: readonly string[] }[];
}

export type PolicyResult =
  | { readonly ok: true; readonly statements: readonly Statement[] }
  | { readonly ok: false; readonly error: string };

function strings(value: unknown): string[] {
  return list(value).map((v) => String(v));
}

function statementLabel(index: number, sid: unknown): string {
  const sidPart = typeof sid === "string" && sid !== "" ? ` (Sid ${JSON.stringify(sid)})` : "";
  return `statement ${index + 1}${sidPart}`;
}

function fromJsonStatement(s: TfConfig, index: number): Statement {
  const principals: string[] = [];
  const principal = s.Principal;
  if (principal === "*") principals.push("*");
  else if (principal && typeof principal === "object") {
    for (const [type, ids] of Object.entries(principal)) for (const id of strings(ids)) principals.push(`${type}:${id}`);
  }
  const conditions: { test: string; variable: string; values: string[] }[] = [];
  if (s.Condition && typeof s.Condition === "object") {
    for (const [test, vars] of Object.entries(s.Condition as Record<string, unknown>)) {
      if (vars && typeof vars === "object") {
        for (const [variable, values] of Object.entries(vars)) conditions.push({ test, variable, values: strings(values) });
      }
    }
  }
  return {
    label: statementLabel(index, s.Sid),
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals,
    conditions,
  };
}

/**
 * Terraform's `${...}` interpolations in a policy string, each replaced by a placeholder, so the
 * JSON around them parses even when an expression has quotes of its own
 * (`"${replace(aws_msk_cluster.x.arn, ":cluster/", ":topic/")}/t"`). `$${` is Terraform's escape
 * for a literal `${` and is left alone. Undefined when an interpolation is not closed.
 */
function maskInterpolations(value: string): { masked: string; parts: string[] } | undefined {
  const parts: string[] = [];
  let masked = "";
  let i = 0;
  while (i < value.length) {
    if (value.startsWith("$${", i)) {
      masked += "$${";
      i += 3;
    } else if (value.startsWith("${", i)) {
      const end = interpolationEnd(value, i);
      if (end === undefined) return undefined;
      masked += `\uE000${parts.length}\uE001`;
      parts.push(value.slice(i, end));
      i = end;
    } else {
      masked += value[i++];
    }
  }
  return { masked, parts };
}

/** Index just after the `}` that closes the interpolation starting at `start` (HCL strings and nested templates skipped). */
function interpolationEnd(value: string, start: number): number | undefined {
  const stack: ("expr" | "brace" | "string")[] = ["expr"];
  let j = start + 2;
  while (j < value.length) {
    const top = stack[stack.length - 1];
    if (top === "string") {
      if (value[j] === "\\") j += 2;
      else if (value.startsWith("${", j)) {
        stack.push("expr");
        j += 2;
      } else {
        if (value[j] === '"') stack.pop();
        j += 1;
      }
      continue;
    }
    if (value[j] === '"') stack.push("string");
    else if (value[j] === "{") stack.push("brace");
    else if (value[j] === "}") {
      stack.pop();
      if (stack.length === 0) return j + 1;
    }
    j += 1;
  }
  return undefined;
}

function unmask(value: unknown, parts: readonly string[]): unknown {
  if (typeof value === "string") return value.replace(/\uE000(\d+)\uE001/g, (_, n: string) => parts[Number(n)]);
  if (Array.isArray(value)) return value.map((v) => unmask(v, parts));
  if (value !== null && typeof value === "object") {
    return Object.fromEntries(Object.entries(value).map(([k, v]) => [unmask(k, parts), unmask(v, parts)]));
  }
  return value;
}

/**
 * Parses a policy string as JSON, keeping each `${...}` interpolation as text inside the string
 * value it stands in. Throws (SyntaxError) when it is not JSON of that form.
 */
export function parsePolicyJson(value: string): unknown {
  const mask = maskInterpolations(value);
  if (!mask) throw new SyntaxError("an interpolation is not closed");
  return unmask(JSON.parse(mask.masked), mask.parts);
}

/**
 * Reads a policy attribute: a JSON string, possibly with `${...}` interpolations inside string
 * values (as `JSON.stringify` of tokens produces; see modules/iam-policy.ts), the one form the
 * constructs write. Anything else (`${jsonencode(...)}`, a policy document data source's
 * `${data.aws_iam_policy_document.X.json}`, a variable) cannot be analysed and is reported as an
 * error, so rules fail closed rather than pass what they cannot read.
 */
export function readPolicy(value: unknown): PolicyResult {
  if (value === undefined || value === null || value === "") return { ok: true, statements: [] };
  if (typeof value !== "string") return { ok: false, error: `policy is not a string (${typeof value})` };
  let parsed: unknown;
  try {
    parsed = parsePolicyJson(value);
  } catch {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return { ok: false, error: `policy ${JSON.stringify(shown)} cannot be analysed (write it as a JSON string)` };
  }
  const stmts = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>).Statement : undefined;
  return { ok: true, statements: blocks(stmts).map((s, i) => fromJsonStatement(s, i)) };
}

/** IAM action glob match, case-insensitive (`s3:Get*` matches `s3:GetObject`). */
export function actionMatches(pattern: string, action: string): boolean {
  const re = new RegExp(
    `^${pattern
      .split("")
      .map((c) => (c === "*" ? ".*" : c === "?" ? "." : c.replace(/[.*+?^${}()|[\]\\]/g, "\\$&")))
      .join("")}$`,
    "i",
  );
  return re.test(action);
}
