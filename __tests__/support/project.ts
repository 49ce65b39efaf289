/**
 * Test helpers: a throw-away copy of the project's configuration (configs/ + connectors/manifest.yaml)
 * with optional overlay files and fake plugin artifacts, and a runner for main.ts as a child process.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { Testing } from "cdktf";
import { loadPipelineConfig, type PipelineConfig } from "../../modules/config/load";
import { LOCK_PATH } from "../../modules/config/plugin-lock";
import { environmentSchema } from "../../modules/config/schema";
import { PipelineStack, pipelineStackProps } from "../../modules/pipeline-stack";
import { writeStandInArtifacts } from "../../scripts/bench/generate-config";
import { readKafkaClientBootstrapScript, readVpnBootstrapScript } from "../../scripts/project-assets";

export const REPO_ROOT = path.resolve(__dirname, "..", "..");

export interface ProjectCopyOptions {
  /** Files to write over the copy, by path relative to the project root. */
  readonly files?: Record<string, string>;
  /** Directory whose tree is copied over the copy. */
  readonly overlayDir?: string;
  /** Create small stand-in plugin artifacts for every manifest entry. @default true */
  readonly artifacts?: boolean;
}

/**
 * Writes a fake artifact for every plugin in the copy's manifest (content = plugin name) and pins
 * them in the copy's lock, as a download would (stand-in sources: the artifact's own hash).
 */
export function writeFakeArtifacts(root: string): void {
  writeStandInArtifacts(root, (name) => `stand-in artifact of ${name}\n`);
}

export function makeProjectCopy(options: ProjectCopyOptions = {}): string {
  const root = mkdtempSync(path.join(tmpdir(), "pipeline-"));
  cpSync(path.join(REPO_ROOT, "configs"), path.join(root, "configs"), { recursive: true });
  mkdirSync(path.join(root, "connectors"));
  cpSync(path.join(REPO_ROOT, "connectors/manifest.yaml"), path.join(root, "connectors/manifest.yaml"));
  cpSync(path.join(REPO_ROOT, LOCK_PATH), path.join(root, LOCK_PATH));
  if (options.overlayDir) cpSync(options.overlayDir, root, { recursive: true });
  for (const [rel, content] of Object.entries(options.files ?? {})) {
    mkdirSync(path.dirname(path.join(root, rel)), { recursive: true });
    writeFileSync(path.join(root, rel), content);
  }
  if (options.artifacts !== false) writeFakeArtifacts(root);
  return root;
}

export function removeProjectCopy(root: string): void {
  rmSync(root, { recursive: true, force: true });
}

export interface RunResult {
  readonly status: number | null;
  readonly stdout: string;
  readonly stderr: string;
}

/** Runs main.ts in `cwd` the way `cdktf synth` does (through tsx), without the CLI. */
export function runMain(cwd: string, env: Record<string, string> = {}): RunResult {
  const result = spawnSync(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [path.join(REPO_ROOT, "main.ts")], {
    cwd,
    env: { ...process.env, CHECKPOINT_DISABLE: "1", DEBUG: "", ...env },
    encoding: "utf8",
    timeout: 60_000,
  });
  return { status: result.status, stdout: result.stdout, stderr: result.stderr };
}

/** The lines of stderr that are configuration issues, without npm/node noise. */
export function issueLines(stderr: string): string[] {
  return stderr.split("\n").filter((l) => /^(configs|connectors)\/\S+:\d+:\d+ {2}/.test(l));
}

/** The whole PipelineStack of a configuration's first environment, as main.ts builds it. */
export function pipelineStack(config: PipelineConfig, environment = config.environments[0]): PipelineStack {
  return new PipelineStack(
    Testing.app(),
    pipelineStackProps(config, environment, { vpnBootstrapScript: readVpnBootstrapScript(), clientHostBootstrapScript: readKafkaClientBootstrapScript() }),
  );
}

/** A synthesized stack's JSON, loosely typed for assertions. */
export type StackJson = { resource: Record<string, Record<string, Record<string, any>>>; output?: Record<string, Record<string, any>> };

/**
 * The reference project with `files` written over it, synthesized in-process: the stack's JSON and
 * what the security guard says of it. The copy is removed afterwards.
 */
export function synthProjectWith(files: Record<string, string>): { tf: StackJson; errors: readonly string[]; warnings: readonly string[] } {
  const root = makeProjectCopy({ files });
  try {
    const stack = pipelineStack(loadPipelineConfig({ rootDir: root }));
    const tf = JSON.parse(Testing.synth(stack)) as StackJson;
    const report = stack.securityReport();
    return { tf, errors: report.errors, warnings: report.warnings };
  } finally {
    removeProjectCopy(root);
  }
}

/** The one resource of `type` whose `name` attribute is `name` (throws, naming it, when there is none). */
export function resourceNamed(tf: StackJson, type: string, name: string): Record<string, any> {
  const hit = Object.values(tf.resource[type] ?? {}).find((r) => r.name === name);
  if (!hit) throw new Error(`no ${type} named ${name}`);
  return hit;
}

function deepFreeze<T>(value: T): T {
  if (value && typeof value === "object" && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const v of Object.values(value)) deepFreeze(v);
  }
  return value;
}

/** Synths already made, per configuration and override (synth is deterministic). */
const synthCache = new WeakMap<PipelineConfig, Map<string, any>>();

/**
 * The synthesized JSON of a configuration's first environment with `envOverride` merged over its
 * environment spec (re-validated with the environment schema, so defaults apply as in the loader).
 *
 * A whole-stack synth costs about half a second, and most tests only read it: the result is made
 * once per configuration and override and shared, deep-frozen, so a test that changed it would
 * fail instead of disturbing the next one.
 */
export function synthWithEnvironment(config: PipelineConfig, envOverride: Record<string, unknown> = {}): any {
  let byOverride = synthCache.get(config);
  if (!byOverride) synthCache.set(config, (byOverride = new Map()));
  const key = JSON.stringify(envOverride);
  if (!byOverride.has(key)) byOverride.set(key, deepFreeze(synthEnvironment(config, envOverride)));
  return byOverride.get(key);
}

function synthEnvironment(config: PipelineConfig, envOverride: Record<string, unknown>): any {
  const base = config.environments[0];
  const spec = environmentSchema.parse({ ...structuredClone(base.spec), ...envOverride });
  return JSON.parse(Testing.synth(pipelineStack(config, { ...base, spec })));
}

/**
 * Registers beforeAll/afterAll that load the reference configuration from a fresh copy (with
 * stand-in artifacts); the returned object's `config` and `root` are set once beforeAll has run.
 */
export function useReferenceConfig(options: ProjectCopyOptions = {}): { root: string; config: PipelineConfig } {
  const ref = {} as { root: string; config: PipelineConfig };
  beforeAll(() => {
    ref.root = makeProjectCopy(options);
    ref.config = loadPipelineConfig({ rootDir: ref.root });
  });
  afterAll(() => removeProjectCopy(ref.root));
  return ref;
}

/** The manifest entry examples/processors/clicks-per-minute.yaml's comment asks for (a JAR with an application class). */
export const EXAMPLE_FLINK_JAR_MANIFEST_ENTRY = `
  clicks-aggregator:
    version: 1.0.0
    content_type: JAR
    java_version: 11
    file: artifacts/clicks-aggregator-1.0.0.jar
    application_class: com.example.ClicksPerMinute
    sources:
      - url: https://example.com/clicks-aggregator-1.0.0.jar
`;
