/**
 * `npm run check`: runs the security guard on every environment and prints, per stack, a table of
 * resources × the rules that apply to them (✓ compliant, ✗ violation, ~ waived). Exits 1 when any
 * violation is not waived or a waiver is unused, 2 on a usage error (it takes no arguments).
 */
import { App } from "cdktf";
import { mkdtempSync, rmSync } from "node:fs";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { ConfigError } from "../modules/config/issues";
import { loadPipelineConfig } from "../modules/config/load";
import { PipelineStack } from "../modules/pipeline-stack";
import { parseCommandLineOrExit } from "./cli";
import { readKafkaClientBootstrapScript, readVpnBootstrapScript } from "./project-assets";

const USAGE = "usage: npm run check   (the configs of PIPELINE_ROOT, default: the current folder)";

function main(): number {
  const rootDir = path.resolve(process.env.PIPELINE_ROOT ?? process.cwd());
  const config = loadPipelineConfig({ rootDir, allowMissingArtifacts: true });
  const vpnBootstrapScript = readVpnBootstrapScript();
  const clientHostBootstrapScript = readKafkaClientBootstrapScript();
  const outdir = mkdtempSync(path.join(tmpdir(), "pipeline-check-"));
  let failed = false;
  try {
    const app = new App({ outdir });
    for (const environment of config.environments) {
      const stack = new PipelineStack(app, { ...config, environment, vpnBootstrapScript, clientHostBootstrapScript });
      const report = stack.securityReport();
      const { findings } = report;
      const byResource = new Map<string, string[]>();
      for (const f of findings) {
        const mark = f.status === "compliant" ? "✓" : f.waived ? "~" : "✗";
        byResource.set(f.resource, [...(byResource.get(f.resource) ?? []), `${f.rule} ${mark}`]);
      }
      console.log(`\n## ${environment.name} (${environment.origin.file})\n`);
      console.log("| resource | rules (✓ compliant, ✗ violation, ~ waived) |");
      console.log("|---|---|");
      for (const [resource, marks] of [...byResource].sort(([a], [b]) => a.localeCompare(b))) {
        console.log(`| ${resource} | ${marks.sort().join(", ")} |`);
      }
      const compliant = findings.filter((f) => f.status === "compliant").length;
      console.log(`\n${compliant} compliant, ${report.errors.length} errors, ${report.warnings.length} waived`);
      for (const e of report.errors) console.log(`  ✗ ${e}`);
      for (const w of report.warnings) console.log(`  ~ ${w}`);
      failed ||= report.errors.length > 0;
    }
  } finally {
    rmSync(outdir, { recursive: true, force: true });
  }
  return failed ? 1 : 0;
}

parseCommandLineOrExit(process.argv.slice(2), { usage: USAGE, options: {} });
try {
  process.exitCode = main();
} catch (err) {
  if (err instanceof ConfigError) {
    process.stderr.write(`${err.message}\n`);
    process.exitCode = 1;
  } else throw err;
}
