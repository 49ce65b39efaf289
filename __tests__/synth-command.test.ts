/**
 * `bash scripts/synth.sh` (the README's main command) as a new user runs it, without a terminal:
 * with the release hosts served by a local HTTP server (127.0.0.1) it downloads, pins and verifies
 * the plugins and synthesizes; run again it verifies and changes nothing; with the hosts
 * unreachable it still synthesizes, with exactly one warning. The output is plain lines: no
 * spinner frames, no terminal escapes, nothing labelled as an error.
 */
import { execFileSync, spawn } from "node:child_process";
import { createHash } from "node:crypto";
import { mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, describe, expect, test } from "vitest";
import { parseDocument } from "yaml";
import { LOCK_PATH, type PluginLock } from "../modules/config/plugin-lock";
import { makeProjectCopy, removeProjectCopy, REPO_ROOT } from "./support/project";

const sha256 = (b: Buffer | string) => createHash("sha256").update(b).digest("hex");
let fixtures: string;
let server: Server;
let port: number;
const files = new Map<string, Buffer>();
let root: string;

function makeZip(name: string, entries: Record<string, string | Buffer>): Buffer {
  const dir = mkdtempSync(path.join(fixtures, "src-"));
  for (const [rel, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  execFileSync("zip", ["-q", "-r", path.join(fixtures, name), "."], { cwd: dir });
  return readFileSync(path.join(fixtures, name));
}

beforeAll(async () => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), "synth-fixtures-"));
  // Stand-ins of the three release assets of connectors/manifest.yaml, holding the classes it names.
  files.set(
    "/awslabs/amazon-msk-data-generator/releases/download/v0.4.0/msk-data-generator-0.4-jar-with-dependencies.jar",
    makeZip("gen.jar", { "com/amazonaws/mskdatagen/GeneratorSourceConnector.class": "gen" }),
  );
  files.set(
    "/Aiven-Open/opensearch-connector-for-apache-kafka/releases/download/v3.1.1/opensearch-connector-for-apache-kafka-3.1.1.zip",
    makeZip("sink.zip", {
      "opensearch-connector-for-apache-kafka-3.1.1/opensearch-connector-for-apache-kafka-3.1.1.jar": makeZip("sink.jar", {
        "io/aiven/kafka/connect/opensearch/OpensearchSinkConnector.class": "sink",
      }),
    }),
  );
  files.set(
    "/aws-samples/msk-config-providers/releases/download/r0.2.0/msk-config-providers-0.2.0-all.jar",
    makeZip("providers.jar", { "com/amazonaws/kafka/config/providers/SecretsManagerConfigProvider.class": "p" }),
  );
  server = createServer((req, res) => {
    const body = files.get(req.url ?? "");
    if (!body) res.writeHead(404).end();
    else res.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
  root = referencePluginsOnly(makeProjectCopy({ artifacts: false }));
});

/**
 * The copy's manifest with only the plugins the reference connectors use (the download script
 * builds every manifest entry; the example kinds' plugins come from other hosts, which the
 * download script's own tests cover).
 */
function referencePluginsOnly(projectRoot: string): string {
  const used = new Set(
    ["ad-tech-source", "ad-tech-sink"].map((c) => /^plugin: (\S+)/m.exec(readFileSync(path.join(projectRoot, `configs/connectors/${c}.yaml`), "utf8"))![1]),
  );
  const file = path.join(projectRoot, "connectors/manifest.yaml");
  const doc = parseDocument(readFileSync(file, "utf8"));
  for (const name of Object.keys((doc.toJS() as { plugins: Record<string, unknown> }).plugins)) {
    if (!used.has(name)) doc.deleteIn(["plugins", name]);
  }
  writeFileSync(file, doc.toString());
  return projectRoot;
}

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(fixtures, { recursive: true, force: true });
  removeProjectCopy(root);
});

function synth(projectRoot: string, githubAt: string): Promise<{ status: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [path.join(REPO_ROOT, "scripts/synth.sh")], {
      env: {
        ...process.env,
        SYNTH_SKIP_INSTALL: "1",
        PIPELINE_ROOT: projectRoot,
        CDKTF_OUTDIR: path.join(projectRoot, "cdktf.out"),
        CONNECTOR_URL_REWRITE: `https://github.com/=${githubAt}`,
        DEBUG: "",
      },
      stdio: ["ignore", "pipe", "pipe"], // not a terminal
    });
    let output = "";
    child.stdout.on("data", (d: Buffer) => (output += d.toString()));
    child.stderr.on("data", (d: Buffer) => (output += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, output }));
  });
}

const shown = (p: string) => path.relative(REPO_ROOT, p);
const lock = () => JSON.parse(readFileSync(path.join(root, LOCK_PATH), "utf8")) as PluginLock;
const pluginObjects = () => {
  const tf = JSON.parse(readFileSync(path.join(root, "cdktf.out/stacks/dev/cdk.tf.json"), "utf8")) as {
    resource: Record<string, Record<string, { key: string; source_hash: string }>>;
  };
  return Object.fromEntries(Object.values(tf.resource.aws_s3_object).filter((o) => o.key.startsWith("plugins/")).map((o) => [o.key, o.source_hash]));
};

function expectPlain(output: string) {
  expect(output).not.toMatch(/[\u2800-\u28ff]/); // spinner frames
  expect(output).not.toMatch(new RegExp(String.fromCharCode(27) + "\\[")); // terminal escapes
  expect(output).not.toMatch(/\[ERROR\]|^error/im);
}

describe("bash scripts/synth.sh", { timeout: 180_000 }, () => {
  test("first run: downloads, pins and verifies the plugins, then synthesizes; a few plain lines", async () => {
    const r = await synth(root, `http://127.0.0.1:${port}/`);
    expect(r.status).toBe(0);
    expectPlain(r.output);
    const lines = r.output.trimEnd().split("\n");
    expect(lines[0]).toBe("install  skipped (SYNTH_SKIP_INSTALL=1)");
    expect(lines[1]).toBe("plugins  bash scripts/download-connectors.sh --used-only");
    expect(lines[2]).toMatch(/^ {9}msk-data-generator 0\.4\.0: built artifacts\/msk-data-generator-0\.4\.0\.jar \(sha256 [a-f0-9]{64}\); pinned now: 1 download\(s\) and the artifact$/);
    expect(lines[3]).toMatch(/^ {9}opensearch-sink 3\.1\.1: built artifacts\/opensearch-sink-3\.1\.1\.zip \(sha256 [a-f0-9]{64}\); pinned now: 2 download\(s\) and the artifact$/);
    expect(lines[4]).toBe("         notice: new pins recorded in connectors/manifest.lock.json: review them (e.g. against a download on another machine) and commit the file");
    expect(lines[5]).toMatch(
      new RegExp(
        `^dev {6}\\d+ resources in ${shown(root)}/cdktf.out/stacks/dev/cdk.tf.json; connectors ad-tech-source, ad-tech-sink only with to_create_connector=true; bootstrap plan ${shown(root)}/cdktf.out/bootstrap/dev/plan.json$`,
      ),
    );
    expect(lines[6]).toMatch(/^next {5}review: {2}cd .*cdktf\.out\/stacks\/dev && terraform init && terraform plan -var to_create_connector=false$/);
    expect(lines[7]).toMatch(/^ {9}deploy: {2}CHECKPOINT_DISABLE=1 npx cdktf deploy dev --var='to_create_connector=false'/);
    expect(lines).toHaveLength(8);
    // The S3 objects' hashes are the pins.
    const l = lock();
    expect(l.plugins["msk-data-generator"].sources[0].sha256).toBe(
      sha256(files.get("/awslabs/amazon-msk-data-generator/releases/download/v0.4.0/msk-data-generator-0.4-jar-with-dependencies.jar")!),
    );
    expect(pluginObjects()).toEqual({
      "plugins/msk-data-generator-0.4.0.jar": l.plugins["msk-data-generator"].artifact!.sha256,
      "plugins/opensearch-sink-3.1.1.zip": l.plugins["opensearch-sink"].artifact!.sha256,
    });
  });

  test("second run: verifies against the lock, records nothing, writes the same stack", async () => {
    const lockBefore = readFileSync(path.join(root, LOCK_PATH), "utf8");
    const stackBefore = readFileSync(path.join(root, "cdktf.out/stacks/dev/cdk.tf.json"), "utf8");
    const r = await synth(root, `http://127.0.0.1:${port}/`);
    expect(r.status).toBe(0);
    expectPlain(r.output);
    expect(r.output).toContain("         msk-data-generator 0.4.0: up to date (artifacts/msk-data-generator-0.4.0.jar matches its pin)\n");
    expect(r.output).toContain("         opensearch-sink 3.1.1: up to date (artifacts/opensearch-sink-3.1.1.zip matches its pin)\n");
    expect(r.output).not.toContain("notice:");
    expect(readFileSync(path.join(root, LOCK_PATH), "utf8")).toBe(lockBefore);
    expect(readFileSync(path.join(root, "cdktf.out/stacks/dev/cdk.tf.json"), "utf8")).toBe(stackBefore);
  });

  test("release hosts unreachable: synthesizes for review with exactly one warning", async () => {
    const offline = referencePluginsOnly(makeProjectCopy({ artifacts: false }));
    try {
      const probe = createServer();
      await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
      const dead = (probe.address() as AddressInfo).port;
      await new Promise<void>((resolve) => probe.close(() => resolve()));
      const r = await synth(offline, `http://127.0.0.1:${dead}/`);
      expect(r.status).toBe(0);
      expectPlain(r.output);
      const lines = r.output.trimEnd().split("\n");
      expect(lines.filter((l) => /warn/i.test(l))).toEqual([
        "warning: plugins msk-data-generator, opensearch-sink not downloaded: synthesized for review only; deploying needs them (run `bash scripts/download-connectors.sh` where the release hosts are reachable)",
      ]);
      expect(lines).toContain(`         msk-data-generator 0.4.0: not built: cannot reach 127.0.0.1:${dead} (connection refused or no route)`);
      expect(lines.some((l) => /^dev {6}\d+ resources in /.test(l))).toBe(true);
      expect(lines).toContain("next     plugins: bash scripts/download-connectors.sh where the release hosts are reachable; commit connectors/manifest.lock.json");
      expect(lines.length).toBeLessThanOrEqual(10);
    } finally {
      removeProjectCopy(offline);
    }
  });
});
