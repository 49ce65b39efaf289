/**
 * Synth's side of the plugin lock: every artifact a connector uses is checked against the sha256
 * pinned in connectors/manifest.lock.json (file:line:col on the manifest entry and the command to
 * run), the S3 object's source_hash is the pin, and a pin no longer holds once the manifest entry
 * changes.
 */
import { createHash } from "node:crypto";
import { readFileSync, rmSync, writeFileSync } from "node:fs";
import * as path from "node:path";
import { describe, expect, test } from "vitest";
import { ConfigError } from "../../modules/config/issues";
import { loadPipelineConfig } from "../../modules/config/load";
import { LOCK_PATH, pinsFor, type PluginLock } from "../../modules/config/plugin-lock";
import { makeProjectCopy, pipelineStack, removeProjectCopy, REPO_ROOT } from "../support/project";
import { Testing } from "cdktf";

const sha = (s: string | Buffer) => createHash("sha256").update(s).digest("hex");

/** Loads a project copy after `edit`, returning the issue lines (or [] when it loads). */
function issuesAfter(edit: (root: string) => void, allowMissingArtifacts = false): string[] {
  const root = makeProjectCopy();
  try {
    edit(root);
    loadPipelineConfig({ rootDir: root, allowMissingArtifacts });
    return [];
  } catch (err) {
    if (!(err instanceof ConfigError)) throw err;
    // The loader names files relative to the working directory.
    const prefix = `${path.relative(process.cwd(), root)}/`;
    return err.message.split("\n").slice(1).map((l) => (l.startsWith(prefix) ? l.slice(prefix.length) : l));
  } finally {
    removeProjectCopy(root);
  }
}

const manifestLine = (field: string, plugin: string) => {
  const lines = readFileSync(path.join(REPO_ROOT, "connectors/manifest.yaml"), "utf8").split("\n");
  const start = lines.findIndex((l) => l === `  ${plugin}:`);
  const i = lines.findIndex((l, n) => n > start && l.startsWith(`    ${field}:`));
  return `connectors/manifest.yaml:${i + 1}:${lines[i].indexOf(":") + 3}`;
};

describe("synth verifies plugin artifacts against the lock", () => {
  test("the committed lock holds no placeholder: every pin in it is a real 64-hex sha256", () => {
    const text = readFileSync(path.join(REPO_ROOT, LOCK_PATH), "utf8");
    const lock = JSON.parse(text) as PluginLock;
    expect(lock.lock_version).toBe(1);
    for (const p of Object.values(lock.plugins)) {
      for (const s of p.sources) expect(s.sha256).not.toMatch(/^(.)\1{63}$/);
    }
    expect(readFileSync(path.join(REPO_ROOT, "connectors/manifest.yaml"), "utf8")).not.toMatch(/^\s*sha256:|0{64}/m);
  });

  test("a pinned artifact that matches loads, and its pin is the S3 object's source_hash", () => {
    const root = makeProjectCopy();
    try {
      const config = loadPipelineConfig({ rootDir: root });
      const sink = config.plugins.find((p) => p.name === "opensearch-sink")!;
      expect(sink.artifact.sha256).toBe(sha("stand-in artifact of opensearch-sink\n"));
      const tf = JSON.parse(Testing.synth(pipelineStack(config))) as { resource: Record<string, Record<string, { key: string; source_hash: string }>> };
      const objects = Object.values(tf.resource.aws_s3_object).filter((o) => o.key.startsWith("plugins/"));
      expect(objects.map((o) => [o.key, o.source_hash]).sort()).toEqual([
        ["plugins/msk-data-generator-0.4.0.jar", sha("stand-in artifact of msk-data-generator\n")],
        ["plugins/opensearch-sink-3.1.1.zip", sha("stand-in artifact of opensearch-sink\n")],
      ]);
    } finally {
      removeProjectCopy(root);
    }
  });

  test("an artifact whose bytes differ from its pin is an error naming both hashes and the command", () => {
    const lines = issuesAfter((root) => writeFileSync(path.join(root, "connectors/artifacts/opensearch-sink-3.1.1.zip"), "rebuilt differently\n"));
    expect(lines).toEqual([
      `${manifestLine("file", "opensearch-sink")}  plugins.opensearch-sink.file: expected connectors/artifacts/opensearch-sink-3.1.1.zip with the sha256 pinned in ` +
        `connectors/manifest.lock.json, ${sha("stand-in artifact of opensearch-sink\n")} (run \`bash scripts/download-connectors.sh\` to rebuild it from the pinned sources), ` +
        `found sha256 ${sha("rebuilt differently\n")}`,
    ]);
  });

  test("an artifact with no pin is an error, also when missing artifacts are allowed", () => {
    const edit = (root: string) => writeFileSync(path.join(root, LOCK_PATH), readFileSync(path.join(REPO_ROOT, LOCK_PATH)));
    for (const allow of [false, true]) {
      const lines = issuesAfter(edit, allow);
      expect(lines).toHaveLength(2);
      expect(lines[0]).toBe(
        `${manifestLine("file", "msk-data-generator")}  plugins.msk-data-generator.file: expected an artifact pinned in connectors/manifest.lock.json ` +
          "(run `bash scripts/download-connectors.sh`: it builds, verifies and pins it; then review and commit the lock), " +
          `found connectors/artifacts/msk-data-generator-0.4.0.jar (sha256 ${sha("stand-in artifact of msk-data-generator\n")}) with no pin for plugin msk-data-generator 0.4.0`,
      );
    }
  });

  test("a changed version in the manifest drops the pin: the old artifact no longer passes", () => {
    const lines = issuesAfter((root) => {
      const file = path.join(root, "connectors/manifest.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace("version: 0.4.0", "version: 0.4.1"));
    });
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain("with no pin for plugin msk-data-generator 0.4.1");
  });

  test("a missing but pinned artifact, when allowed, keeps the pin as source_hash", () => {
    const root = makeProjectCopy();
    try {
      rmSync(path.join(root, "connectors/artifacts/msk-data-generator-0.4.0.jar"));
      const config = loadPipelineConfig({ rootDir: root, allowMissingArtifacts: true });
      expect(config.warnings).toHaveLength(1);
      expect(config.warnings[0]).toMatch(/^plugin msk-data-generator not downloaded: synthesized for review only/);
      expect(config.plugins[0].artifact).toMatchObject({ present: false, sha256: sha("stand-in artifact of msk-data-generator\n") });
    } finally {
      removeProjectCopy(root);
    }
  });

  test("an OpenSearch sink whose plugin bundles no Secrets Manager config provider is an error", () => {
    const lines = issuesAfter((root) => {
      const file = path.join(root, "connectors/manifest.yaml");
      writeFileSync(file, readFileSync(file, "utf8").replace(/^ {4}config_providers: .*\n/m, ""));
    });
    expect(lines).toEqual([
      expect.stringMatching(
        /^configs\/connectors\/ad-tech-sink\.yaml:\d+:\d+ {2}plugin: expected a plugin that bundles com\.amazonaws\.kafka\.config\.providers\.SecretsManagerConfigProvider .*found "opensearch-sink", which bundles no config provider$/,
      ),
    ]);
  });

  test("a lock that is not what the download writes is reported with its position", () => {
    const lines = issuesAfter((root) => writeFileSync(path.join(root, LOCK_PATH), '{\n  "lock_version": 1,\n  "plugins": { "x": { "version": 3 } }\n}\n'));
    expect(lines[0]).toMatch(/^connectors\/manifest\.lock\.json:3:\d+ {2}plugins\.x/);
  });
});

describe("pinsFor", () => {
  const spec = {
    version: "1.0.0",
    content_type: "ZIP" as const,
    java_version: 11,
    file: "artifacts/x.zip",
    connector_classes: ["a.B"],
    config_providers: [],
    sources: [
      { url: "https://h/a.zip", unpack: true },
      { url: "https://h/b.jar", unpack: false },
    ],
  };
  const locked = {
    version: "1.0.0",
    content_type: "ZIP" as const,
    file: "artifacts/x.zip",
    sources: [
      { url: "https://h/a.zip", unpack: true, sha256: "a".repeat(64) },
      { url: "https://h/b.jar", unpack: false, sha256: "b".repeat(64) },
    ],
    artifact: { sha256: "c".repeat(64) },
  };
  test("all pins hold for an unchanged entry", () => {
    expect(pinsFor(spec, locked)).toEqual({ sources: ["a".repeat(64), "b".repeat(64)], artifact: "c".repeat(64) });
  });
  test("a changed URL drops that source's pin and the artifact's", () => {
    expect(pinsFor({ ...spec, sources: [spec.sources[0], { url: "https://h/b2.jar", unpack: false }] }, locked)).toEqual({ sources: ["a".repeat(64), undefined], artifact: undefined });
  });
  test("a changed unpack flag keeps the download's pin but drops the artifact's", () => {
    expect(pinsFor({ ...spec, sources: [{ ...spec.sources[0], unpack: false }, spec.sources[1]] }, locked).artifact).toBeUndefined();
  });
  test("a changed version drops every pin", () => {
    expect(pinsFor({ ...spec, version: "1.0.1" }, locked)).toEqual({ sources: [undefined, undefined] });
  });
});
