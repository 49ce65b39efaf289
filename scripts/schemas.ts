/**
 * `npm run schemas`: writes schemas/*.schema.json from the zod schemas in modules/config/schema.ts.
 * `npm run schemas -- --check` writes nothing and exits 1 when a committed schema is stale.
 * A usage error exits 2 (scripts/cli.ts).
 */
import { existsSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { SCHEMA_DIR, renderJsonSchemas } from "../modules/config/json-schema";
import { parseCommandLineOrExit } from "./cli";

const root = path.resolve(__dirname, "..");
const dir = path.join(root, SCHEMA_DIR);
const { values } = parseCommandLineOrExit(process.argv.slice(2), {
  usage: "usage: npm run schemas [-- --check]   (--check: write nothing, exit 1 when a committed schema is stale)",
  options: { check: { type: "boolean" } },
});
const check = values.check ?? false;
const stale: string[] = [];

for (const [file, content] of Object.entries(renderJsonSchemas())) {
  const target = path.join(dir, file);
  const current = existsSync(target) ? readFileSync(target, "utf8") : undefined;
  if (current === content) continue;
  stale.push(`${SCHEMA_DIR}/${file}`);
  if (!check) {
    mkdirSync(dir, { recursive: true });
    writeFileSync(target, content);
  }
}

if (check && stale.length > 0) {
  process.stderr.write(`stale JSON Schemas (run \`npm run schemas\`): ${stale.join(", ")}\n`);
  process.exit(1);
}
process.stdout.write(stale.length === 0 ? "schemas up to date\n" : `wrote ${stale.join(", ")}\n`);
