/**
 * The offline Terraform stage: shows a synthesized stack to the real `terraform` binary without
 * the AWS provider (which cannot be downloaded here).
 *
 * 1. `terraform providers` in the stack's own directory: parses the whole configuration (every
 *    expression, lifecycle block and reference) without downloading anything.
 * 2. The provider-free twin (twin.ts): `terraform init` (built-in provider only), `validate`, and
 *    `plan` for each variable set (both values of `to_create_connector`; `vpn_allowed_cidrs` where
 *    the stack declares it), with every value known; then one more plan with the values the
 *    provider only knows after apply left unknown, as in a real first plan.
 * 3. Attribute names against @cdktf/provider-aws's typed config (attribute-check.ts).
 * 4. The provider/API validators of modules/validators/aws-names.ts, on the values the twin's
 *    plan resolved (so a name built from an account id is judged at its real length).
 */
import { spawnSync } from "node:child_process";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { AWS_VALUE_RULES } from "../../modules/validators/aws-names";
import { checkAttributes } from "./attribute-check";
import { buildTwin, type TfJson } from "./twin";

export interface TerraformResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs terraform in `cwd` with no colour, no prompts, no checkpoint, and an empty CLI config. */
export function terraform(cwd: string, args: string[], timeoutMs = 120_000, extraEnv: Record<string, string> = {}): TerraformResult {
  const r = spawnSync("terraform", args, {
    cwd,
    encoding: "utf8",
    timeout: timeoutMs,
    // `terraform show -json` of the full configuration's plan is more than spawnSync's default 1 MiB.
    maxBuffer: 256 * 1024 * 1024,
    env: {
      ...process.env,
      CHECKPOINT_DISABLE: "1",
      TF_IN_AUTOMATION: "1",
      TF_INPUT: "0",
      TF_CLI_CONFIG_FILE: "/dev/null", // no CLI config (and no warning about a missing one)
      TF_DATA_DIR: path.join(cwd, ".terraform"),
      TF_LOG: "",
      AWS_EC2_METADATA_DISABLED: "true",
      ...extraEnv,
    },
  });
  return { status: r.status, stdout: r.stdout ?? "", stderr: r.error ? String(r.error) : (r.stderr ?? "") };
}

/** The `terraform` version when a binary is on PATH, else undefined. */
export function terraformVersion(): string | undefined {
  const r = spawnSync("terraform", ["version", "-json"], { encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1" } });
  if (r.status !== 0 || r.error) return undefined;
  try {
    return (JSON.parse(r.stdout) as { terraform_version: string }).terraform_version;
  } catch {
    return undefined;
  }
}

/** Terraform's error summaries (`Error: ...` plus the line after the location) from stderr. */
export function terraformErrors(stderr: string): string[] {
  // eslint-disable-next-line no-control-regex
  const plain = stderr.replace(/\x1b\[[0-9;]*m/g, "");
  const blocks = plain.split(/\n(?=│ Error: |Error: )/);
  return blocks
    .filter((b) => /(^|│ )Error: /.test(b) && !/Error: Terraform encountered problems during initiali[sz]ation/.test(b))
    .map((b) =>
      b
        .split("\n")
        .map((l) => l.replace(/^[│╷╵]\s?/, "").trim())
        .filter((l) => l !== "")
        .join(" | "),
    );
}

export interface PlanCase {
  /** Name shown in reports, e.g. `to_create_connector=true`. */
  readonly name: string;
  readonly vars: Record<string, unknown>;
}

export interface StageReport {
  readonly stack: string;
  /** Every problem, each prefixed with the step that found it. Empty = the stack passed. */
  readonly problems: string[];
  /** Plan cases run (for the record). */
  readonly plans: readonly string[];
  /** Resolved twin inputs of the last plan, by original address (for further checks). */
  readonly planned: ReadonlyMap<string, Record<string, unknown>>;
}

/** Values for variables without a default that the stage knows how to fill. */
const VARIABLE_VALUES: Record<string, unknown> = { vpn_allowed_cidrs: ["203.0.113.7/32"] };

/** The plan cases of a stack: both values of to_create_connector, with the required variables set. */
export function planCases(tf: TfJson): PlanCase[] | Error {
  const variables = (tf.variable ?? {}) as Record<string, { default?: unknown }>;
  const base: Record<string, unknown> = {};
  for (const [name, v] of Object.entries(variables)) {
    if ("default" in v || name === "to_create_connector") continue;
    if (!(name in VARIABLE_VALUES)) return new Error(`variable ${name} has no default and the stage has no value for it`);
    base[name] = VARIABLE_VALUES[name];
  }
  if (!("to_create_connector" in variables)) return [{ name: "defaults", vars: base }];
  return [false, true].map((create) => ({ name: `to_create_connector=${create}`, vars: { ...base, to_create_connector: create } }));
}

function varArgs(vars: Record<string, unknown>): string[] {
  return Object.entries(vars).flatMap(([k, v]) => ["-var", `${k}=${typeof v === "string" ? v : JSON.stringify(v)}`]);
}

/** Applies AWS_VALUE_RULES to one resource's values (paths with `*` over lists). */
function validateValues(address: string, type: string, values: Record<string, unknown>): string[] {
  const rules = AWS_VALUE_RULES[type];
  if (!rules) return [];
  const out: string[] = [];
  for (const [p, validate] of Object.entries(rules)) {
    const walk = (v: unknown, segs: string[], at: string): void => {
      if (v === undefined || v === null) return;
      if (segs.length === 0) {
        if (typeof v === "string" && !v.includes("${")) {
          for (const problem of validate(v)) out.push(`${at}: ${JSON.stringify(v)} ${problem}`);
        }
        return;
      }
      const [s, ...rest] = segs;
      if (s === "*") {
        const items = Array.isArray(v) ? v : [v];
        items.forEach((x, i) => walk(x, rest, `${at}[${i}]`));
      } else if (typeof v === "object") walk((v as Record<string, unknown>)[s], rest, `${at}.${s}`);
    };
    walk(values, p.split("."), address);
  }
  return out;
}

/** Checks the literal values of a stack's JSON (no plan needed; used when a plan fails). */
export function checkLiteralValues(tf: TfJson): string[] {
  const out: string[] = [];
  for (const [type, byName] of Object.entries((tf.resource ?? {}) as Record<string, Record<string, Record<string, unknown>>>)) {
    for (const [name, config] of Object.entries(byName)) out.push(...validateValues(`${type}.${name}`, type, config));
  }
  return out;
}

/**
 * Initializes the backend block alone (no resources, so no provider is needed). A local backend
 * initializes offline; a remote one gets as far as asking for credentials or the network, which is
 * expected here: only configuration errors (unknown or invalid arguments) are reported.
 */
export function backendCheck(backend: Record<string, unknown>): string[] {
  const dir = mkdtempSync(path.join(tmpdir(), "tf-backend-"));
  try {
    writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ terraform: { backend } }));
    const r = terraform(dir, ["init", "-input=false", "-no-color"], 60_000);
    if (r.status === 0) return [];
    const errs = terraformErrors(r.stderr);
    const EXPECTED_OFFLINE = /No valid credential sources|failed to refresh cached credentials|dial tcp|no such host|NoCredentialProviders|retrieving AWS account details|Failed to get existing workspaces|operation error|RequestError|timeout/i;
    const real = errs.filter((e) => !EXPECTED_OFFLINE.test(e));
    return real.length > 0 || errs.length === 0 ? (real.length > 0 ? real : [r.stderr.trim()]) : [];
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

export interface StageOptions {
  /** Plan cases. @default planCases(tf) */
  readonly cases?: readonly PlanCase[];
  /** Keep the twin's directory (for debugging). @default false */
  readonly keep?: boolean;
}

/**
 * Runs the stage on one synthesized stack directory (containing cdk.tf.json). Every problem is
 * collected; nothing throws for a problem of the stack.
 */
export function runStage(stackDir: string, options: StageOptions = {}): StageReport {
  const stack = path.basename(stackDir);
  const problems: string[] = [];
  const plans: string[] = [];
  const planned = new Map<string, Record<string, unknown>>();
  const tf = JSON.parse(readFileSync(path.join(stackDir, "cdk.tf.json"), "utf8")) as TfJson;

  // 1. Parse the real configuration: `terraform providers` on the stack's own file. Terraform
  // parses every file before it looks at the backend, but then asks for `init` when a backend is
  // declared; so the file is parsed in a copy without the backend, and the backend block on its
  // own (backendCheck).
  const parseDir = mkdtempSync(path.join(tmpdir(), `tf-parse-${stack}-`));
  try {
    const { backend, ...terraformBlock } = (tf.terraform ?? {}) as Record<string, unknown>;
    writeFileSync(path.join(parseDir, "cdk.tf.json"), JSON.stringify({ ...tf, terraform: terraformBlock }, null, 2));
    const parse = terraform(parseDir, ["providers"]);
    if (parse.status !== 0) {
      const errs = terraformErrors(parse.stderr);
      problems.push(...(errs.length > 0 ? errs : [parse.stderr.trim()]).map((e) => `terraform providers: ${e}`));
    }
    if (backend) problems.push(...backendCheck(backend as Record<string, unknown>).map((e) => `terraform init (backend): ${e}`));
  } finally {
    rmSync(parseDir, { recursive: true, force: true });
  }

  // 3. Attribute names (independent of Terraform).
  problems.push(...checkAttributes(tf).map((p) => `attributes: ${p}`));

  // 2. The twin.
  const twin = buildTwin(tf);
  problems.push(...twin.problems.map((p) => `twin: ${p}`));
  const dir = mkdtempSync(path.join(tmpdir(), `tf-twin-${stack}-`));
  try {
    mkdirSync(dir, { recursive: true });
    writeFileSync(path.join(dir, "main.tf.json"), `${JSON.stringify(twin.json, null, 2)}\n`);
    const step = (name: string, args: string[]): boolean => {
      const r = terraform(dir, args);
      if (r.status !== 0) {
        const errs = terraformErrors(r.stderr);
        problems.push(...(errs.length > 0 ? errs : [r.stderr.trim() || `exit ${r.status}`]).map((e) => `twin ${name}: ${e}`));
        return false;
      }
      return true;
    };
    let ok = step("init", ["init", "-backend=false", "-input=false", "-no-color"]) && step("validate", ["validate", "-no-color"]);
    const cases = options.cases ?? planCases(tf);
    if (cases instanceof Error) {
      problems.push(`twin plan: ${cases.message}`);
      ok = false;
    }
    let lastPlan: string | undefined;
    if (ok && !(cases instanceof Error)) {
      for (const c of cases) {
        plans.push(c.name);
        const out = path.join(dir, `plan-${plans.length}.tfplan`);
        if (step(`plan (${c.name})`, ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", `-out=${out}`, ...varArgs(c.vars)])) lastPlan = out;
      }
    }
    // 2b. The same plan with the values only known after apply left unknown (count/for_each and
    // other plan-time expressions must not depend on them), for the case that creates the most.
    if (lastPlan && !(cases instanceof Error)) {
      const last = cases[cases.length - 1];
      const unknownDir = path.join(dir, "apply-time-unknowns");
      mkdirSync(unknownDir);
      writeFileSync(path.join(unknownDir, "main.tf.json"), `${JSON.stringify(buildTwin(tf, { applyTimeUnknowns: true }).json, null, 2)}\n`);
      const init = terraform(unknownDir, ["init", "-backend=false", "-input=false", "-no-color"]);
      const r = init.status === 0 ? terraform(unknownDir, ["plan", "-input=false", "-no-color", "-lock=false", "-refresh=false", ...varArgs(last.vars)]) : init;
      plans.push(`${last.name}, apply-time values unknown`);
      if (r.status !== 0) problems.push(...terraformErrors(r.stderr).map((e) => `twin plan (${last.name}, apply-time values unknown): ${e}`));
    }
    // 4. Validators on the resolved values of the last successful plan (the one that creates most).
    if (lastPlan) {
      const show = terraform(dir, ["show", "-json", path.basename(lastPlan)]);
      if (show.status === 0) {
        const plan = JSON.parse(show.stdout) as { resource_changes?: { address: string; name: string; change: { after?: { input?: Record<string, unknown> } } }[] };
        for (const rc of plan.resource_changes ?? []) {
          const base = rc.address.replace(/\[\d+\]$/, "").replace(/^terraform_data\./, "");
          const address = twin.origin.get(base);
          const input = rc.change.after?.input;
          if (address && input) {
            planned.set(address, input);
            const type = address.startsWith("data.") ? undefined : address.split(".")[0];
            if (type) problems.push(...validateValues(address, type, input).map((p) => `validators: ${p}`));
          }
        }
      } else problems.push(`twin show: ${show.stderr.trim()}`);
    } else {
      problems.push(...checkLiteralValues(tf).map((p) => `validators: ${p}`));
    }
  } finally {
    if (!options.keep) rmSync(dir, { recursive: true, force: true });
  }
  return { stack, problems, plans, planned };
}

/** Every stack directory under a cdktf outdir. */
export function stackDirs(outdir: string): string[] {
  const stacks = path.join(outdir, "stacks");
  if (!existsSync(stacks)) return [];
  const manifest = JSON.parse(readFileSync(path.join(outdir, "manifest.json"), "utf8")) as { stacks: Record<string, { workingDirectory: string }> };
  return Object.values(manifest.stacks).map((s) => path.join(outdir, s.workingDirectory));
}
