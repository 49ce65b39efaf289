/**
 * Writes a large pipeline configuration for the bench: the reference environment, `topics` topics
 * and `connectors` connectors (alternating datagen sources and OpenSearch sinks, each over a slice
 * of the topics), with stand-in plugin artifacts.
 */
import { cpSync, mkdirSync, writeFileSync } from "node:fs";
import * as path from "node:path";

export function generateConfig(root: string, repoRoot: string, topics: number, connectors: number): void {
  mkdirSync(path.join(root, "configs/topics"), { recursive: true });
  mkdirSync(path.join(root, "configs/connectors"), { recursive: true });
  mkdirSync(path.join(root, "connectors/artifacts"), { recursive: true });
  cpSync(path.join(repoRoot, "configs/environments"), path.join(root, "configs/environments"), { recursive: true });
  cpSync(path.join(repoRoot, "connectors/manifest.yaml"), path.join(root, "connectors/manifest.yaml"));
  writeFileSync(path.join(root, "connectors/artifacts/msk-data-generator-0.4.0.jar"), "bench stand-in\n");
  writeFileSync(path.join(root, "connectors/artifacts/opensearch-sink-3.1.1.zip"), "bench stand-in\n");
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
