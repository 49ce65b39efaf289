/**
 * `npm run diagram -- <env> [--readme]`: writes a Mermaid diagram of the pipeline, generated from
 * the configs, to docs/pipeline-<env>.mmd and prints it. --readme also refreshes the block between
 * `<!-- diagram:<env>:start -->` and `<!-- diagram:<env>:end -->` in README.md.
 * Exit codes: 0 done; 1 usage error or invalid configuration (its issues are printed).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { ConfigError } from "../modules/config/issues";
import { loadPipelineConfig } from "../modules/config/load";
import { pipelineDiagram, replaceReadmeBlock } from "./diagram/mermaid";

function main(argv: readonly string[]): void {
  const flags = argv.filter((a) => a.startsWith("-"));
  const positional = argv.filter((a) => !a.startsWith("-"));
  const unknown = flags.filter((f) => f !== "--readme");
  if (unknown.length > 0 || positional.length !== 1) {
    throw new Error(`${unknown.length > 0 ? `unknown option ${unknown[0]}` : "which environment?"}\nusage: npm run diagram -- <env> [--readme]`);
  }
  const env = positional[0];
  const root = path.resolve(process.env.PIPELINE_ROOT ?? process.cwd());
  // The picture does not need the plugin artifacts.
  const config = loadPipelineConfig({ rootDir: root, allowMissingArtifacts: true });
  const diagram = pipelineDiagram(config, env);
  const out = path.join(root, "docs", `pipeline-${env}.mmd`);
  mkdirSync(path.dirname(out), { recursive: true });
  writeFileSync(out, diagram);
  process.stdout.write(diagram);
  process.stderr.write(`wrote ${path.relative(process.cwd(), out) || out}\n`);
  if (flags.includes("--readme")) {
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
