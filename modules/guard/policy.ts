import { StackResource, type TfConfig } from "./rule";
import { blocks, isExpression, list } from "./util";

/** One IAM policy statement, normalized from JSON or from a `data.aws_iam_policy_document`. */
export interface Statement {
  /** Where it comes from, for messages: `statement 1 (Sid "X")`, or with the data source address. */
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

const DATA_REF = /^\$\{data\.aws_iam_policy_document\.([\w-]+)\.(json|minified_json)\}$/;

function strings(value: unknown): string[] {
  return list(value).map((v) => String(v));
}

function statementLabel(index: number, sid: unknown, origin: string | undefined): string {
  const sidPart = typeof sid === "string" && sid !== "" ? ` (Sid ${JSON.stringify(sid)})` : "";
  return `${origin ? `${origin} ` : ""}statement ${index + 1}${sidPart}`;
}

function fromJsonStatement(s: TfConfig, index: number, origin: string | undefined): Statement {
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
    label: statementLabel(index, s.Sid, origin),
    effect: s.Effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.Action),
    notActions: strings(s.NotAction),
    resources: strings(s.Resource),
    notResources: strings(s.NotResource),
    principals,
    conditions,
  };
}

function fromDocumentStatement(s: TfConfig, index: number, origin: string): Statement {
  const principals: string[] = [];
  for (const p of blocks(s.principals)) {
    for (const id of strings(p.identifiers)) principals.push(p.type === "*" && id === "*" ? "*" : `${p.type}:${id}`);
  }
  return {
    label: statementLabel(index, s.sid, origin),
    // The provider's default effect is Allow.
    effect: s.effect === "Deny" ? "Deny" : "Allow",
    actions: strings(s.actions),
    notActions: strings(s.not_actions),
    resources: strings(s.resources),
    notResources: strings(s.not_resources),
    principals,
    conditions: blocks(s.condition).map((c) => ({
      test: String(c.test),
      variable: String(c.variable),
      values: strings(c.values),
    })),
  };
}

/**
 * Reads a policy attribute: a JSON string (possibly with `${...}` references inside string values,
 * as `JSON.stringify` of tokens produces), or exactly `${data.aws_iam_policy_document.X.json}`.
 * Anything else (`${jsonencode(...)}`, a variable) cannot be analysed and is reported as an error,
 * so rules fail closed rather than pass what they cannot read.
 */
export function readPolicy(value: unknown, resources: readonly StackResource[], depth = 0): PolicyResult {
  if (value === undefined || value === null || value === "") return { ok: true, statements: [] };
  if (typeof value !== "string") return { ok: false, error: `policy is not a string (${typeof value})` };
  const m = DATA_REF.exec(value.trim());
  if (m) {
    const doc = resources.find((r) => r.kind === "data" && r.type === "aws_iam_policy_document" && r.logicalId === m[1]);
    if (!doc) return { ok: false, error: `policy references data.aws_iam_policy_document.${m[1]}, which is not in the stack` };
    return readDocument(doc, resources, depth);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(value);
  } catch {
    const shown = value.length > 60 ? `${value.slice(0, 57)}...` : value;
    return {
      ok: false,
      error: `policy ${JSON.stringify(shown)} cannot be analysed (use a JSON string or data.aws_iam_policy_document)`,
    };
  }
  const stmts = parsed && typeof parsed === "object" ? (parsed as Record<string, unknown>).Statement : undefined;
  return {
    ok: true,
    statements: blocks(stmts).map((s, i) => fromJsonStatement(s, i, undefined)),
  };
}

function readDocument(doc: StackResource, resources: readonly StackResource[], depth: number): PolicyResult {
  if (depth > 5) return { ok: false, error: `${doc.address}: policy documents nest too deeply` };
  const statements: Statement[] = [];
  for (const attr of ["source_policy_documents", "override_policy_documents"]) {
    const raw = doc.config[attr];
    if (isExpression(raw)) return { ok: false, error: `${doc.address}.${attr} is an expression that cannot be analysed` };
    for (const src of list(raw)) {
      const r = readPolicy(src, resources, depth + 1);
      if (!r.ok) return r;
      statements.push(...r.statements);
    }
  }
  if (isExpression(doc.config.statement)) {
    return { ok: false, error: `${doc.address}.statement is an expression that cannot be analysed` };
  }
  blocks(doc.config.statement).forEach((s, i) => statements.push(fromDocumentStatement(s, i, doc.address)));
  return { ok: true, statements };
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
