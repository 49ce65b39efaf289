/**
 * Writes a large pipeline configuration for the bench: the reference environment, `topics` topics
 * and `connectors` connectors (alternating datagen sources and OpenSearch sinks, each over a slice
 * of the topics), with stand-in plugin artifacts.
 */
import { createHash } from "node:crypto";
import { cpSync, mkdirSync, readFileSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { parse } from "yaml";
import { LOCK_PATH, emptyLock, formatLock } from "../../modules/config/plugin-lock";
import { pluginManifestSchema } from "../../modules/config/schema";

/**
 * Writes a stand-in artifact for every plugin of `root`'s manifest and pins it in the lock, as the
 * download would (synth verifies artifacts against the lock).
 */
export function writeStandInArtifacts(root: string): void {
  const manifest = pluginManifestSchema.parse(parse(readFileSync(path.join(root, "connectors/manifest.yaml"), "utf8")));
  const lock = emptyLock();
  for (const [name, p] of Object.entries(manifest.plugins)) {
    const content = `bench stand-in of ${name}\n`;
    mkdirSync(path.dirname(path.join(root, "connectors", p.file)), { recursive: true });
    writeFileSync(path.join(root, "connectors", p.file), content);
    const sha256 = createHash("sha256").update(content).digest("hex");
    lock.plugins[name] = {
      version: p.version,
      content_type: p.content_type,
      file: p.file,
      sources: p.sources.map((s) => ({ url: s.url, unpack: s.unpack, sha256 })),
      artifact: { sha256 },
    };
  }
  writeFileSync(path.join(root, LOCK_PATH), formatLock(lock));
}

export function generateConfig(root: string, repoRoot: string, topics: number, connectors: number): void {
  mkdirSync(path.join(root, "configs/topics"), { recursive: true });
  mkdirSync(path.join(root, "configs/connectors"), { recursive: true });
  mkdirSync(path.join(root, "connectors/artifacts"), { recursive: true });
  cpSync(path.join(repoRoot, "configs/environments"), path.join(root, "configs/environments"), { recursive: true });
  cpSync(path.join(repoRoot, "connectors/manifest.yaml"), path.join(root, "connectors/manifest.yaml"));
  writeStandInArtifacts(root);
  const names = Array.from({ length: topics }, (_, i) => `topic-${String(i).padStart(3, "0")}`);
  for (const name of names) {
    writeFileSync(
      path.join(root, "configs/topics", `${name}.yaml`),
      [
        `name: ${name}`,
        "index:",
        `  name: ${name}`,
        "  mappings:",
        "    id: { type: keyword }",
        "    amount: { type: double }",
        '    created_at: { type: date, format: "yyyy-MM-dd HH:mm:ss" }',
        "generator:",
        '  key: { with: "#{Code.isbn10}" }',
        "  fields:",
        '    id: { with: "#{Code.isbn10}" }',
        '    amount: { with: "#{number.randomDouble \'2\',\'1\',\'100\'}" }',
        "",
      ].join("\n"),
    );
  }
  const perConnector = Math.ceil(topics / connectors);
  for (let i = 0; i < connectors; i++) {
    const slice = names.slice((i * perConnector) % topics, ((i * perConnector) % topics) + perConnector);
    const sink = i % 2 === 1;
    writeFileSync(
      path.join(root, "configs/connectors", `connector-${String(i).padStart(2, "0")}.yaml`),
      [
        `name: connector-${String(i).padStart(2, "0")}`,
        `kind: ${sink ? "opensearch-sink" : "msk-datagen"}`,
        `plugin: ${sink ? "opensearch-sink" : "msk-data-generator"}`,
        `topics: [${slice.join(", ")}]`,
        "tasks_max: 2",
        "capacity: { provisioned: { workers: 1, mcu: 1 } }",
        "",
      ].join("\n"),
    );
  }
}
