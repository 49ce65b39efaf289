/**
 * `npm run bench`: in one run, each in a fresh process, several runs each:
 *   (a) an empty cdktf stack, run through the same launcher as the README's synth command
 *       (`npm run` + tsx: `npm run bench:empty-stack`);
 *   (b) the README's synth command, `npm run synth`, on the default pipeline;
 *   (c) the same on a generated pipeline of 200 topics and 20 connectors;
 *   (d) plain `cdktf synth` (cdktf-cli running cdktf.json's app) on the default pipeline.
 * It prints wall time, CPU time (summed over the tree; steadier than wall time on a busy machine)
 * and peak RSS (largest process of the tree) with ratios to (a), and the
 * goals of issue 14: (b) within 1.5x of (a), (c) within 2x, peak memory within 1.5x. A report,
 * not a test: nothing fails when a goal is missed.
 *
 * BENCH_RUNS (default 5) runs per scenario, BENCH_CLI_RUNS (default 3) for (d), after one warm-up.
 * It takes no arguments; one is a usage error (exit 2, scripts/cli.ts).
 */
import { spawnSync } from "node:child_process";
import { cpSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { generateConfig, writeStandInArtifacts } from "./bench/generate-config";
import { parseCommandLineOrExit } from "./cli";

const REPO = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const CLI_RUNS = Number(process.env.BENCH_CLI_RUNS ?? 3);
const HOOK = path.join(REPO, "scripts/bench/rss-hook.cjs");
const NPM = process.env.npm_execpath ? [process.execPath, process.env.npm_execpath] : ["npm"];

interface Scenario {
  readonly name: string;
  /** Command line; run with cwd = the repository unless `cwd` is given. */
  readonly argv: readonly string[];
  /** Project root the app reads (PIPELINE_ROOT) and where cdktf.out goes. */
  readonly root: string;
  readonly cwd?: string;
  readonly runs: number;
  /** cdktf-cli picks the output directory itself (cdktf.out under its cwd). */
  readonly cliOutdir?: boolean;
}

interface Sample {
  readonly ms: number;
  readonly cpuMs: number;
  readonly rssMiB: number;
}

function measure(s: Scenario): Sample {
  const rssFile = path.join(s.root, ".bench-rss");
  const outdir = path.join(s.root, "cdktf.out");
  rmSync(outdir, { recursive: true, force: true });
  rmSync(rssFile, { force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(s.argv[0], s.argv.slice(1), {
    cwd: s.cwd ?? REPO,
    env: {
      ...process.env,
      NODE_OPTIONS: `--require ${HOOK}`,
      BENCH_RSS_FILE: rssFile,
      PIPELINE_ROOT: s.root,
      ...(s.cliOutdir ? {} : { CDKTF_OUTDIR: outdir }),
      CHECKPOINT_DISABLE: "1",
      CI: "1",
    },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${s.name} failed (exit ${r.status}):\n${r.stdout}\n${r.stderr}`);
  if (!existsSync(path.join(outdir, "manifest.json"))) throw new Error(`${s.name} wrote no ${outdir}/manifest.json`);
  // Every node process of the tree (npm, the app) appends its peak RSS (KiB) and CPU time (µs).
  const rows = readFileSync(rssFile, "utf8").trim().split("\n").map((l) => l.split(" ").map(Number));
  return { ms, cpuMs: rows.reduce((n, r) => n + r[1], 0) / 1000, rssMiB: Math.max(...rows.map((r) => r[0])) / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const work = mkdtempSync(path.join(tmpdir(), "pipeline-bench-"));
  try {
    const reference = path.join(work, "reference");
    cpSync(path.join(REPO, "configs"), path.join(reference, "configs"), { recursive: true });
    cpSync(path.join(REPO, "connectors/manifest.yaml"), path.join(reference, "connectors/manifest.yaml"));
    writeStandInArtifacts(reference);
    const large = path.join(work, "large");
    generateConfig(large, REPO, 200, 20);
    // cdktf-cli runs cdktf.json's app in its cwd; this one is the project's, with absolute paths.
    const cdktfJson = JSON.parse(readFileSync(path.join(REPO, "cdktf.json"), "utf8")) as Record<string, unknown>;
    writeFileSync(
      path.join(reference, "cdktf.json"),
      JSON.stringify({ ...cdktfJson, app: `${path.join(REPO, "node_modules/.bin/tsx")} ${path.join(REPO, "main.ts")}` }),
    );

    const scenarios: Scenario[] = [
      { name: "(a) empty cdktf stack, `npm run` + tsx", argv: [...NPM, "run", "-s", "bench:empty-stack"], root: reference, runs: RUNS },
      { name: "(b) `npm run synth`, default pipeline", argv: [...NPM, "run", "-s", "synth"], root: reference, runs: RUNS },
      { name: "(c) `npm run synth`, 200 topics, 20 connectors", argv: [...NPM, "run", "-s", "synth"], root: large, runs: RUNS },
      {
        name: "(d) `cdktf synth`, default pipeline",
        argv: [path.join(REPO, "node_modules/.bin/cdktf"), "synth"],
        root: reference,
        cwd: reference,
        runs: CLI_RUNS,
        cliOutdir: true,
      },
    ];
    const results = scenarios.map((s) => {
      measure(s); // warm the file system cache
      const samples = Array.from({ length: s.runs }, () => measure(s));
      return { s, ms: samples.map((x) => x.ms), cpu: samples.map((x) => x.cpuMs), rss: samples.map((x) => x.rssMiB) };
    });
    const base = results[0];
    const ratio = (r: (typeof results)[number]) => ({
      wall: median(r.ms) / median(base.ms),
      cpu: median(r.cpu) / median(base.cpu),
      rss: median(r.rss) / median(base.rss),
    });
    const goal = (name: string, value: number, limit: number) => `${name}: ${value.toFixed(2)}x (goal ${limit}x) ${value <= limit ? "met" : "MISSED"}`;
    const [, b, c] = results;
    const lines = [
      `node ${process.version}, fresh process tree per run, ${RUNS} runs each (${CLI_RUNS} for cdktf synth) after one warm-up`,
      "",
      "| scenario | wall median (min-max) | CPU median | peak RSS median | wall / (a) | CPU / (a) | RSS / (a) |",
      "|---|---|---|---|---|---|---|",
      ...results.map((r) => {
        const x = ratio(r);
        return (
          `| ${r.s.name} | ${median(r.ms).toFixed(0)} ms (${Math.min(...r.ms).toFixed(0)}-${Math.max(...r.ms).toFixed(0)}) | ${median(r.cpu).toFixed(0)} ms | ` +
          `${median(r.rss).toFixed(0)} MiB | ${x.wall.toFixed(2)}x | ${x.cpu.toFixed(2)}x | ${x.rss.toFixed(2)}x |`
        );
      }),
      "",
      "goals (a report, not a test):",
      `  ${goal("(b) wall / (a)", ratio(b).wall, 1.5)}   (CPU time: ${ratio(b).cpu.toFixed(2)}x)`,
      `  ${goal("(c) wall / (a)", ratio(c).wall, 2)}   (CPU time: ${ratio(c).cpu.toFixed(2)}x)`,
      `  ${goal("(b) peak RSS / (a)", ratio(b).rss, 1.5)}`,
      `  ${goal("(c) peak RSS / (a)", ratio(c).rss, 1.5)}`,
    ];
    console.log(lines.join("\n"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

parseCommandLineOrExit(process.argv.slice(2), {
  usage: "usage: npm run bench   (BENCH_RUNS runs per scenario, default 5; BENCH_CLI_RUNS for cdktf synth, default 3)",
  options: {},
});
main();
