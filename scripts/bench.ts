/**
 * `npm run bench`: synthesizes (a) an empty cdktf stack, (b) the default pipeline and (c) a
 * generated pipeline of 200 topics and 20 connectors, each in a fresh process, several runs, and
 * prints wall time and peak RSS with (b)/(a) and (c)/(a) ratios. A report, not a test.
 */
import { spawnSync } from "node:child_process";
import { cpSync, mkdtempSync, readFileSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { generateConfig } from "./bench/generate-config";

const REPO = path.resolve(__dirname, "..");
const RUNS = Number(process.env.BENCH_RUNS ?? 5);
const TSX_LOADER = path.join(REPO, "node_modules/tsx/dist/loader.mjs");
const HOOK = path.join(REPO, "scripts/bench/rss-hook.cjs");

interface Scenario {
  readonly name: string;
  readonly entry: string;
  readonly root: string;
}

interface Sample {
  readonly ms: number;
  readonly rssMiB: number;
}

function measure(s: Scenario): Sample {
  const rssFile = path.join(s.root, ".bench-rss");
  const outdir = path.join(s.root, "cdktf.out");
  rmSync(outdir, { recursive: true, force: true });
  const start = process.hrtime.bigint();
  const r = spawnSync(process.execPath, ["--require", HOOK, "--import", TSX_LOADER, s.entry], {
    cwd: s.root,
    env: { ...process.env, BENCH_RSS_FILE: rssFile, CDKTF_OUTDIR: outdir, CHECKPOINT_DISABLE: "1" },
    encoding: "utf8",
  });
  const ms = Number(process.hrtime.bigint() - start) / 1e6;
  if (r.status !== 0) throw new Error(`${s.name} failed (exit ${r.status}):\n${r.stderr}`);
  return { ms, rssMiB: Number(readFileSync(rssFile, "utf8")) / 1024 };
}

const median = (xs: number[]) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function main(): void {
  const work = mkdtempSync(path.join(tmpdir(), "pipeline-bench-"));
  try {
    const reference = path.join(work, "reference");
    cpSync(path.join(REPO, "configs"), path.join(reference, "configs"), { recursive: true });
    cpSync(path.join(REPO, "connectors/manifest.yaml"), path.join(reference, "connectors/manifest.yaml"));
    cpSync(path.join(REPO, "scripts"), path.join(reference, "scripts"), { recursive: true });
    generateConfig(path.join(work, "large"), REPO, 200, 20);
    cpSync(path.join(REPO, "scripts"), path.join(work, "large", "scripts"), { recursive: true });
    // The reference copy gets the same stand-in artifacts so the run needs no download.
    cpSync(path.join(work, "large/connectors/artifacts"), path.join(reference, "connectors/artifacts"), { recursive: true });

    const scenarios: Scenario[] = [
      { name: "(a) empty cdktf stack", entry: path.join(REPO, "scripts/bench/empty-app.ts"), root: reference },
      { name: "(b) default pipeline", entry: path.join(REPO, "main.ts"), root: reference },
      { name: "(c) 200 topics, 20 connectors", entry: path.join(REPO, "main.ts"), root: path.join(work, "large") },
    ];
    const results = scenarios.map((s) => {
      measure(s); // warm the file system cache
      const samples = Array.from({ length: RUNS }, () => measure(s));
      return { s, ms: samples.map((x) => x.ms), rss: samples.map((x) => x.rssMiB) };
    });
    const base = results[0];
    const lines = [
      `node ${process.version}, ${RUNS} runs each, fresh process per run (tsx + synth + write cdktf.out)`,
      "",
      "| scenario | wall median (min-max) | peak RSS median | wall / (a) | RSS / (a) |",
      "|---|---|---|---|---|",
      ...results.map((r) => {
        const wall = median(r.ms);
        const rss = median(r.rss);
        return `| ${r.s.name} | ${wall.toFixed(0)} ms (${Math.min(...r.ms).toFixed(0)}-${Math.max(...r.ms).toFixed(0)}) | ${rss.toFixed(0)} MiB | ${(wall / median(base.ms)).toFixed(2)}x | ${(rss / median(base.rss)).toFixed(2)}x |`;
      }),
    ];
    console.log(lines.join("\n"));
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}

main();
