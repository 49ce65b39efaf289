// The command-line contract every command in scripts/ shares (scripts/cli.ts): a bad flag exits 2
// with `error: <message>` and the usage on stderr, no stack trace, and nothing done; --help prints
// the usage to stdout and exits 0. One child process per case (scripts/cli.ts's parsing itself is
// tested in-process in cli.test.ts).
import { execFile } from "node:child_process";
import { mkdtempSync, readdirSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { afterAll, describe, expect, it } from "vitest";
import { REPO_ROOT } from "./support/project";

interface Run {
  readonly code: number;
  readonly stdout: string;
  readonly stderr: string;
}

// An empty folder as cwd and PIPELINE_ROOT: a command that got past its arguments would fail on
// the missing configs (exit 1) or write into it, and the test would see either.
const root = mkdtempSync(path.join(tmpdir(), "commands-cli-"));
afterAll(() => rmSync(root, { recursive: true, force: true }));

function run(script: string, args: readonly string[]): Promise<Run> {
  const env = { ...process.env, PIPELINE_ROOT: root, DEBUG: "", CHECKPOINT_DISABLE: "1" };
  return new Promise((resolve) => {
    execFile(path.join(REPO_ROOT, "node_modules/.bin/tsx"), [path.join(REPO_ROOT, script), ...args], { cwd: root, env, timeout: 60_000 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === "number" ? error.code : -1) : 0, stdout: String(stdout), stderr: String(stderr) });
    });
  });
}

const COMMANDS: readonly { readonly script: string; readonly usage: string; readonly args?: readonly string[] }[] = [
  { script: "scripts/preview.ts", usage: "usage: npm run preview -- <env>", args: ["dev"] },
  { script: "scripts/diagram.ts", usage: "usage: npm run diagram -- <env> [--readme]", args: ["dev"] },
  { script: "scripts/check.ts", usage: "usage: npm run check" },
  { script: "scripts/schemas.ts", usage: "usage: npm run schemas [-- --check]" },
  { script: "scripts/bench.ts", usage: "usage: npm run bench" },
  { script: "scripts/plugin-sources.ts", usage: "usage: tsx scripts/plugin-sources.ts list [--used-only] [MANIFEST] | record MANIFEST RESULTS", args: ["list"] },
  { script: "scripts/bootstrap-indexes.ts", usage: "usage: npx tsx scripts/bootstrap-indexes.ts --env ENV", args: ["--env", "dev"] },
];

const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

describe.concurrent.each(COMMANDS)("$script", ({ script, usage, args = [] }) => {
  it("a bad flag exits 2 with the message and the usage, no stack trace, nothing written", async () => {
    const r = await run(script, [...args, "--frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toMatch(/^error: Unknown option '--frobnicate'/);
    expect(r.stderr).toContain(`\n${usage}`);
    expect(r.stdout).toBe("");
    noStack(r.stderr);
    expect(readdirSync(root)).toEqual([]);
  });
});

// The same code path for every command (parseCommandLineOrExit); one child process is enough.
it("--help prints the usage to stdout and exits 0, even next to a bad flag", async () => {
  const r = await run("scripts/schemas.ts", ["--frobnicate", "--help"]);
  expect([r.code, r.stderr]).toEqual([0, ""]);
  expect(r.stdout).toBe("usage: npm run schemas [-- --check]   (--check: write nothing, exit 1 when a committed schema is stale)\n");
});

describe.concurrent("usage errors beyond flags exit 2 with the usage", () => {
  it.each([
    ["scripts/preview.ts", [], "error: which environment? (the name of a file in configs/environments/)"],
    ["scripts/preview.ts", ["dev", "--against", "HEAD", "--against-dir", "x"], "error: --against and --against-dir exclude each other"],
    ["scripts/diagram.ts", ["dev", "prod"], "error: unexpected argument prod"],
    ["scripts/plugin-sources.ts", ["record", "manifest.yaml"], "error: record needs MANIFEST and RESULTS"],
    ["scripts/plugin-sources.ts", ["frob"], "error: unknown command frob"],
  ] as const)("%s %j", async (script, args, message) => {
    const r = await run(script, args);
    expect(r.code).toBe(2);
    expect(r.stderr.split("\n")[0]).toBe(message);
    expect(r.stderr).toMatch(/\nusage: /);
    noStack(r.stderr);
  });
});
