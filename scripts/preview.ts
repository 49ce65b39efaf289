/**
 * Offline change preview, before `terraform plan`:
 *
 *   npm run preview -- <env> [--against <git-rev> | --against-dir <dir>] [--fail-on-replace]
 *
 * Synthesizes the current configs and compares the stack with
 *   - by default: the last synthesized stack, cdktf.out/stacks/<env>/cdk.tf.json as it was before
 *     this run (this run re-synthesizes cdktf.out, like `npm run synth`);
 *   - --against <rev>: the configs (configs/ + connectors/manifest.yaml) of a git revision,
 *     synthesized with today's code in a temporary folder;
 *   - --against-dir <dir>: the configs of another project folder, likewise.
 * It prints added, changed (attributes, secrets masked) and removed resources by component and
 * flags what Terraform will likely replace (scripts/preview/force-new.ts).
 *
 * Topic changes that delete records (replacement, rename, removal) and partition decreases are
 * printed first, with `!!` (scripts/preview/topics.ts).
 *
 * Exit codes (scripts/cli.ts): 0 done; 1 a configuration that does not synthesize (its issues are
 * printed); 2 usage error (a bad flag, an unknown environment or git revision); 3 with
 * --fail-on-replace when something would be replaced or a topic alert is raised.
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { LOCK_PATH } from "../modules/config/plugin-lock";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandLineOrExit, UsageError, usageErrorText } from "./cli";
import { diffStacks } from "./preview/diff";
import { renderPreview, replacements } from "./preview/render";
import { topicAlerts } from "./preview/topics";

const REPO = path.resolve(__dirname, "..");
const USAGE = "usage: npm run preview -- <env> [--against <git-rev> | --against-dir <dir>] [--fail-on-replace]";

/** --fail-on-replace: something would be replaced, or a topic alert is raised. */
const EXIT_WOULD_REPLACE = 3;

interface Args {
  readonly env: string;
  readonly against?: string;
  readonly againstDir?: string;
  readonly failOnReplace: boolean;
}

function readArgs(argv: readonly string[]): Args {
  const { values, positionals } = parseCommandLineOrExit(argv, {
    usage: USAGE,
    options: {
      against: { type: "string" },
      "against-dir": { type: "string" },
      "fail-on-replace": { type: "boolean" },
    },
    maxPositionals: 1,
  });
  const env = positionals[0];
  if (!env) throw new UsageError("which environment? (the name of a file in configs/environments/)");
  const { against, "against-dir": againstDir } = values;
  if (against && againstDir) throw new UsageError("--against and --against-dir exclude each other");
  return { env, against, againstDir, failOnReplace: values["fail-on-replace"] ?? false };
}

/** Runs main.ts on the configs in `root`, writing to `outdir`; returns the stack's JSON. */
function synthesize(root: string, env: string, outdir: string, allowMissingArtifacts: boolean, what: string): unknown {
  const result = spawnSync(path.join(REPO, "node_modules/.bin/tsx"), [path.join(REPO, "main.ts")], {
    cwd: root,
    env: {
      ...process.env,
      PIPELINE_ROOT: root,
      CDKTF_OUTDIR: outdir,
      CHECKPOINT_DISABLE: "1",
      ...(allowMissingArtifacts ? { ALLOW_MISSING_PLUGIN_ARTIFACTS: "1" } : {}),
    },
    encoding: "utf8",
  });
  if (result.status !== 0) {
    throw new Error(`synthesizing ${what} failed:\n${(result.stderr || result.error?.message || "").trimEnd()}`);
  }
  const file = path.join(outdir, "stacks", env, "cdk.tf.json");
  if (!existsSync(file)) throw new Error(`synthesizing ${what} produced no stack "${env}"`);
  return JSON.parse(readFileSync(file, "utf8"));
}

/** configs/ and connectors/manifest.yaml of a git revision, extracted into `dest`. */
function checkoutConfigs(root: string, rev: string, dest: string): void {
  const git = (args: string[], input?: Buffer) => spawnSync("git", ["-C", root, ...args], { input, maxBuffer: 1 << 30 });
  const prefix = git(["rev-parse", "--show-prefix"]);
  if (prefix.status !== 0) throw new UsageError(`--against needs a git repository; ${root} is not in one`);
  if (git(["rev-parse", "--verify", "--quiet", `${rev}^{commit}`]).status !== 0) throw new UsageError(`unknown git revision ${rev}`);
  const tree = `${rev}:${prefix.stdout.toString().trim()}`;
  const archive = git(["archive", "--format=tar", tree, "configs", "connectors/manifest.yaml"]);
  if (archive.status !== 0) throw new UsageError(`revision ${rev} has no configs/ and connectors/manifest.yaml: ${archive.stderr.toString().trim()}`);
  const tar = spawnSync("tar", ["-x", "-C", dest], { input: archive.stdout });
  if (tar.status !== 0) throw new Error(`could not unpack revision ${rev}: ${tar.stderr.toString().trim()}`);
}

function copyConfigs(from: string, dest: string): void {
  if (!existsSync(path.join(from, "configs"))) throw new UsageError(`${from} has no configs/ folder`);
  cpSync(path.join(from, "configs"), path.join(dest, "configs"), { recursive: true });
  mkdirSync(path.join(dest, "connectors"), { recursive: true });
  cpSync(path.join(from, "connectors/manifest.yaml"), path.join(dest, "connectors/manifest.yaml"));
}

function main(argv: readonly string[]): number {
  const args = readArgs(argv);
  const root = path.resolve(process.env.PIPELINE_ROOT ?? process.cwd());
  const envFile = path.join(root, "configs", "environments", `${args.env}.yaml`);
  if (!existsSync(envFile)) {
    const dir = path.join(root, "configs", "environments");
    const known = existsSync(dir) ? readdirSync(dir).filter((f) => f.endsWith(".yaml")).map((f) => f.slice(0, -5)) : [];
    throw new UsageError(`no environment "${args.env}" (configs/environments/${args.env}.yaml); known: ${known.join(", ") || "none"}`);
  }
  const allowMissing = process.env.ALLOW_MISSING_PLUGIN_ARTIFACTS === "1";
  const temp = mkdtempSync(path.join(tmpdir(), "pipeline-preview-"));
  try {
    let before: unknown;
    let after: unknown;
    let baseline: string;
    if (args.against || args.againstDir) {
      const old = path.join(temp, "baseline");
      mkdirSync(old);
      if (args.against) checkoutConfigs(root, args.against, old);
      else copyConfigs(path.resolve(args.againstDir!), old);
      // The same plugin artifacts and pins on both sides, so plugin objects differ only when the
      // manifest does.
      const artifacts = path.join(root, "connectors", "artifacts");
      if (existsSync(artifacts)) cpSync(artifacts, path.join(old, "connectors", "artifacts"), { recursive: true });
      const lock = path.join(root, LOCK_PATH);
      if (existsSync(lock)) cpSync(lock, path.join(old, LOCK_PATH));
      baseline = args.against ? `git revision ${args.against}` : `the configs in ${args.againstDir}`;
      before = synthesize(old, args.env, path.join(temp, "baseline.out"), true, baseline);
      after = synthesize(root, args.env, path.join(temp, "current.out"), allowMissing, "the current configs");
    } else {
      const outdir = path.resolve(root, process.env.CDKTF_OUTDIR ?? "cdktf.out");
      const last = path.join(outdir, "stacks", args.env, "cdk.tf.json");
      const rel = path.relative(process.cwd(), last) || last;
      // Copied aside (in memory) before this run's synth overwrites it.
      before = existsSync(last) ? JSON.parse(readFileSync(last, "utf8")) : undefined;
      baseline = before === undefined ? `nothing (${rel} did not exist yet)` : `the last synth (${rel})`;
      after = synthesize(root, args.env, outdir, allowMissing, "the current configs");
    }
    const diff = diffStacks(before, after);
    process.stdout.write(renderPreview(diff, { env: args.env, baseline }));
    return args.failOnReplace && (replacements(diff).length > 0 || topicAlerts(diff).length > 0) ? EXIT_WOULD_REPLACE : EXIT_OK;
  } finally {
    rmSync(temp, { recursive: true, force: true });
  }
}

try {
  process.exitCode = main(process.argv.slice(2));
} catch (err) {
  if (err instanceof UsageError) {
    process.stderr.write(usageErrorText(err.message, USAGE));
    process.exitCode = EXIT_USAGE;
  } else {
    if (process.env.DEBUG) throw err;
    process.stderr.write(`preview: ${(err as Error).message}\n`);
    process.exitCode = EXIT_FAILED;
  }
}
