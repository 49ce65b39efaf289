/**
 * Entry point: loads and validates every YAML file, then synthesizes one PipelineStack per
 * environment file. Invalid configuration prints every issue (file:line:col) to stderr and exits
 * 1 before anything is written.
 */
import "./modules/fast-start";
import { App } from "cdktf";
import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "./modules/config/issues";
import { loadPipelineConfig, type PipelineConfig } from "./modules/config/load";
import { PipelineStack, pipelineStackProps } from "./modules/pipeline-stack";
import { readKafkaClientBootstrapScript, readVpnBootstrapScript } from "./scripts/project-assets";

function fail(message: string): never {
  process.stderr.write(`${message}\n`);
  process.exit(1);
}

function main(): void {
  const rootDir = path.resolve(process.env.PIPELINE_ROOT ?? process.cwd());
  let config: PipelineConfig;
  try {
    config = loadPipelineConfig({
      rootDir,
      allowMissingArtifacts: process.env.ALLOW_MISSING_PLUGIN_ARTIFACTS === "1",
    });
  } catch (err) {
    if (err instanceof ConfigError) fail(err.message);
    throw err;
  }
  for (const warning of config.warnings) process.stderr.write(`warning: ${warning}\n`);

  // Project assets (not user configuration): they come with the code, not from PIPELINE_ROOT.
  const vpnBootstrapScript = readVpnBootstrapScript();
  const clientHostBootstrapScript = readKafkaClientBootstrapScript();

  const outdir = process.env.CDKTF_OUTDIR ?? "cdktf.out";
  const outdirExisted = existsSync(outdir);
  // skipValidation: cdktf's only validations here are terraform_data's `terraform version` probe,
  // which fails synth on a machine without Terraform (and costs ~200 ms); Terraform itself refuses
  // a too-old binary at init. Our checks are the loader's and the security guard's.
  // stackTraces: construct stack traces go through tsx's source maps (~150 ms) and are unused.
  const app = new App({ outdir, skipValidation: true, stackTraces: false }); // creates outdir
  const stacks = config.environments.map(
    (environment) => new PipelineStack(app, pipelineStackProps(config, environment, { vpnBootstrapScript, clientHostBootstrapScript })),
  );

  // The security guard runs again as an aspect during synth; checking first means a violation
  // prints every finding and leaves nothing half-written under cdktf.out/.
  const violations: string[] = [];
  for (const stack of stacks) {
    const report = stack.securityReport();
    for (const w of report.warnings) process.stderr.write(`warning: [${stack.node.id}] ${w}\n`);
    violations.push(...report.errors.map((e) => `[${stack.node.id}] ${e}`));
  }
  if (violations.length > 0) {
    if (!outdirExisted) rmSync(outdir, { recursive: true, force: true });
    fail(
      `${violations.length} security violation${violations.length === 1 ? "" : "s"}:\n${violations.join("\n")}\n` +
        "Fix the setting, or accept the risk with a waiver in the environment file:\n" +
        "  security:\n    waivers:\n      - { rule: RULE-ID, resource: <as printed above>, reason: \"why this is acceptable\" }",
    );
  }

  app.synth();

  // The index bootstrap's plan and mapping documents, next to the stacks (stable byte for byte).
  for (const stack of stacks) {
    const dir = path.join(app.outdir, "bootstrap", stack.node.id);
    rmSync(dir, { recursive: true, force: true });
    for (const [rel, content] of Object.entries(stack.indexBootstrap.documents)) {
      mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
      writeFileSync(path.join(dir, rel), content);
    }
  }

  process.stdout.write(summary(app.outdir, stacks, config));
}

/**
 * What was written, per environment, and the next step: a few lines a person reads at a glance,
 * labels in a column of their own (the same layout as scripts/synth.sh's).
 */
function summary(outdir: string, stacks: readonly PipelineStack[], config: PipelineConfig): string {
  const shown = (p: string) => path.relative(process.cwd(), p) || p;
  const width = Math.max(8, ...stacks.map((s) => s.node.id.length)) + 1;
  const label = (l: string) => l.padEnd(width);
  const lines: string[] = [];
  for (const stack of stacks) {
    const env = stack.node.id;
    const file = path.join(outdir, "stacks", env, "cdk.tf.json");
    const tf = JSON.parse(readFileSync(file, "utf8")) as { resource?: Record<string, Record<string, unknown>> };
    const count = Object.values(tf.resource ?? {}).reduce((n, byName) => n + Object.keys(byName).length, 0);
    const gated = [...stack.connectors.keys()];
    lines.push(
      `${label(env)}${count} resources in ${shown(file)}; ` +
        (gated.length ? `connector${gated.length === 1 ? "" : "s"} ${gated.join(", ")} only with to_create_connector=true; ` : "no connectors; ") +
        `bootstrap plan ${shown(path.join(outdir, "bootstrap", env, "plan.json"))}`,
    );
  }
  const env = stacks.length === 1 ? stacks[0].node.id : "<env>";
  const steps = [
    ...(config.plugins.some((p) => !p.artifact.present)
      ? ["plugins: bash scripts/download-connectors.sh where the release hosts are reachable; commit connectors/manifest.lock.json"]
      : []),
    `review:  cd ${shown(path.join(outdir, "stacks", env))} && terraform init && terraform plan -var to_create_connector=false`,
    `deploy:  CHECKPOINT_DISABLE=1 npx cdktf deploy ${env} --var='to_create_connector=false'  (then VPN, npm run bootstrap -- --env ${env}, and =true)`,
  ];
  steps.forEach((step, i) => lines.push(`${label(i === 0 ? "next" : "")}${step}`));
  return `${lines.join("\n")}\n`;
}

try {
  main();
} catch (err) {
  // A construct's validation error is still a configuration problem for the user: no stack trace
  // unless DEBUG is set.
  if (process.env.DEBUG) throw err;
  fail(`error: ${(err as Error).message}`);
}
