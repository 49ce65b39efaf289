/**
 * Prints the sources of every plugin of connectors/manifest.yaml, one per line, tab-separated:
 *
 *   <plugin> TAB <content_type> TAB <file> TAB <url> TAB <sha256> TAB <unpack: 1|0>
 *
 * scripts/download-connectors.sh reads this so that the manifest has exactly one parser: the
 * zod schema the config loader uses. Usage: tsx scripts/plugin-sources.ts [manifest.yaml]
 * (default: $PIPELINE_ROOT/connectors/manifest.yaml, PIPELINE_ROOT defaulting to the cwd).
 */
import { readFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { pluginManifestSchema } from "../modules/config/schema";

function main(): number {
  const root = path.resolve(process.env.PIPELINE_ROOT ?? process.cwd());
  const file = path.resolve(process.argv[2] ?? path.join(root, "connectors", "manifest.yaml"));
  let data: unknown;
  try {
    data = parse(readFileSync(file, "utf8"));
  } catch (err) {
    process.stderr.write(`${file}: ${(err as Error).message}\n`);
    return 2;
  }
  const result = pluginManifestSchema.safeParse(data);
  if (!result.success) {
    for (const issue of result.error.issues) {
      process.stderr.write(`${file}: ${issue.path.join(".") || "(file)"}: ${issue.message}\n`);
    }
    return 2;
  }
  const lines: string[] = [];
  for (const name of Object.keys(result.data.plugins).sort()) {
    const p = result.data.plugins[name];
    for (const s of p.sources) {
      const fields = [name, p.content_type, p.file, s.url, s.sha256, s.unpack ? "1" : "0"];
      if (fields.some((f) => /[\t\n]/.test(f))) {
        process.stderr.write(`${file}: plugins.${name}: a tab or newline in a value\n`);
        return 2;
      }
      lines.push(fields.join("\t"));
    }
  }
  process.stdout.write(lines.length ? `${lines.join("\n")}\n` : "");
  return 0;
}

process.exitCode = main();
