/**
 * `npm run diagram -- <env> [--readme]`: writes a Mermaid diagram of the pipeline, generated from
 * the configs, to docs/pipeline-<env>.mmd and prints it. --readme also refreshes the block between
 * `<!-- diagram:<env>:start -->` and `<!-- diagram:<env>:end -->` in README.md.
 * Exit codes (scripts/cli.ts): 0 done; 1 invalid configuration (its issues are printed) or no
 * README markers; 2 usage error.
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../modules/config/issues";
import { loadPipelineConfig } from "../modules/config/load";
import { exitUsage, parseCommandLineOrExit } from "./cli";
import { pipelineDiagram, replaceReadmeBlock } from "./diagram/mermaid";

const USAGE = "usage: npm run diagram -- <env> [--readme]";

function main(argv: readonly string[]): void {
  const { values, positionals } = parseCommandLineOrExit(argv, {
    usage: USAGE,
    options: { readme: { type: "boolean" } },
    maxPositionals: 1,
  });
  const env = positionals[0];
  if (!env) exitUsage("which environment? (the name of a file in configs/environments/)", USAGE);
  const root = path.resolve(process.env.PIPELINE_ROOT ?? process.cwd());
  // The picture does not need the plugin artifacts.
  const config = loadPipelineConfig({ rootDir: root, allowMissingArtifacts: true });
  const diagram = pipelineDiagram(config, env);
  const out = path.join(root, "docs", `pipeline-${env}.mmd`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, diagram);
  process.stdout.write(diagram);
  process.stderr.write(`wrote ${path.relative(process.cwd(), out) || out}\n`);
  if (values.readme) {
    const readme = path.join(root, "README.md");
    const updated = existsSync(readme) ? replaceReadmeBlock(readFileSync(readme, "utf8"), diagram, env) : undefined;
    if (updated === undefined) throw new Error(`README.md has no <!-- diagram:${env}:start --> / <!-- diagram:${env}:end --> markers`);
    writeFileSync(readme, updated);
    process.stderr.write("updated README.md\n");
  }
}

try {
  main(process.argv.slice(2));
} catch (err) {
  if (process.env.DEBUG) throw err;
  process.stderr.write(err instanceof ConfigError ? `${err.message}\n` : `diagram: ${(err as Error).message}\n`);
  process.exitCode = 1;
}
