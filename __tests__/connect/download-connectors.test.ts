/**
 * scripts/download-connectors.sh against a local HTTP server: builds the artifacts, is idempotent,
 * fails closed on a checksum mismatch, and is shellcheck-clean.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from "node:fs";
import { createServer, type Server } from "node:http";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { afterAll, beforeAll, beforeEach, describe, expect, test } from "vitest";

const PROJECT = path.resolve(__dirname, "..", "..");
const SCRIPT = path.join(PROJECT, "scripts", "download-connectors.sh");
const sha256 = (b: Buffer) => createHash("sha256").update(b).digest("hex");

let fixtures: string;
let server: Server;
let port: number;
const requests: string[] = [];
const files = new Map<string, Buffer>();

/** Builds a zip at `out` from `entries` (relative path -> content) with the zip CLI. */
function makeZip(out: string, entries: Record<string, string>): Buffer {
  const dir = mkdtempSync(path.join(fixtures, "src-"));
  for (const [rel, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  execFileSync("zip", ["-q", "-r", out, "."], { cwd: dir });
  return readFileSync(out);
}

beforeAll(async () => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), "dl-fixtures-"));
  // A "jar" is a zip; its content does not matter to the script.
  files.set("/gen/releases/gen-1.0.jar", makeZip(path.join(fixtures, "gen.jar"), { "com/example/Gen.class": "gen" }));
  files.set(
    "/sink/releases/sink-2.0.zip",
    makeZip(path.join(fixtures, "sink.zip"), {
      "sink-2.0/sink-2.0.jar": "sink",
      "sink-2.0/lib-a-1.jar": "a",
      "sink-2.0/README.md": "not a jar",
    }),
  );
  files.set("/providers/releases/providers-0.2.0-all.jar", makeZip(path.join(fixtures, "prov.jar"), { "com/example/P.class": "p" }));
  server = createServer((req, res) => {
    requests.push(req.url ?? "");
    const body = files.get(req.url ?? "");
    if (!body) {
      res.writeHead(404).end();
      return;
    }
    res.writeHead(200, { "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  port = (server.address() as AddressInfo).port;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  rmSync(fixtures, { recursive: true, force: true });
});

let root: string;

function writeManifest(overrides: Partial<Record<string, string>> = {}) {
  const sum = (p: string) => overrides[p] ?? sha256(files.get(p)!);
  mkdirSync(path.join(root, "connectors"), { recursive: true });
  writeFileSync(
    path.join(root, "connectors", "manifest.yaml"),
    `plugins:
  gen:
    version: 1.0.0
    content_type: JAR
    java_version: 8
    file: artifacts/gen-1.0.0.jar
    connector_classes: [com.example.Gen]
    sources:
      - url: https://downloads.example.com/gen/releases/gen-1.0.jar
        sha256: "${sum("/gen/releases/gen-1.0.jar")}"
  sink:
    version: 2.0.0
    content_type: ZIP
    java_version: 11
    file: artifacts/sink-2.0.0.zip
    connector_classes: [com.example.Sink]
    sources:
      - url: https://downloads.example.com/sink/releases/sink-2.0.zip
        sha256: "${sum("/sink/releases/sink-2.0.zip")}"
        unpack: true
      - url: https://downloads.example.com/providers/releases/providers-0.2.0-all.jar
        sha256: "${sum("/providers/releases/providers-0.2.0-all.jar")}"
`,
  );
}

/** Runs the script asynchronously: the HTTP server lives in this process and must keep serving. */
function run(): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [SCRIPT], {
      env: {
        ...process.env,
        PIPELINE_ROOT: root,
        CONNECTOR_URL_REWRITE: `https://downloads.example.com/=http://127.0.0.1:${port}/`,
      },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

const artifact = (f: string) => path.join(root, "connectors", "artifacts", f);
const zipEntries = (f: string) =>
  execFileSync("unzip", ["-Z1", f], { encoding: "utf8" }).trim().split("\n");

describe("download-connectors.sh", () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "dl-root-"));
    requests.length = 0;
  });

  test("builds the JAR as the download and the ZIP from the unpacked jars plus the extra jar", async () => {
    writeManifest();
    const r = await run();
    expect(r.stderr).not.toMatch(/error:/);
    expect(r.status).toBe(0);
    expect(readFileSync(artifact("gen-1.0.0.jar"))).toEqual(files.get("/gen/releases/gen-1.0.jar"));
    expect(zipEntries(artifact("sink-2.0.0.zip"))).toEqual(["lib-a-1.jar", "providers-0.2.0-all.jar", "sink-2.0.jar"]);
    expect(requests.sort()).toEqual([
      "/gen/releases/gen-1.0.jar",
      "/providers/releases/providers-0.2.0-all.jar",
      "/sink/releases/sink-2.0.zip",
    ]);
  });

  test("a second run downloads nothing and keeps identical bytes", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const before = [readFileSync(artifact("gen-1.0.0.jar")), readFileSync(artifact("sink-2.0.0.zip"))];
    requests.length = 0;
    const r = await run();
    expect(r.status).toBe(0);
    expect(requests).toEqual([]);
    expect(r.stderr).toContain("up to date");
    expect(readFileSync(artifact("gen-1.0.0.jar"))).toEqual(before[0]);
    expect(readFileSync(artifact("sink-2.0.0.zip"))).toEqual(before[1]);
  });

  test("the ZIP is deterministic: rebuilding from the same inputs gives the same bytes", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const first = readFileSync(artifact("sink-2.0.0.zip"));
    rmSync(artifact("sink-2.0.0.zip"));
    rmSync(path.join(root, "connectors", "artifacts", ".cache"), { recursive: true });
    expect((await run()).status).toBe(0);
    expect(readFileSync(artifact("sink-2.0.0.zip")).equals(first)).toBe(true);
  });

  test("a checksum mismatch fails, names url, expected and actual, and leaves no artifact", async () => {
    const wrong = "1".repeat(64);
    writeManifest({ "/sink/releases/sink-2.0.zip": wrong });
    const r = await run();
    expect(r.status).not.toBe(0);
    expect(r.stderr).toContain("checksum mismatch for https://downloads.example.com/sink/releases/sink-2.0.zip");
    expect(r.stderr).toContain(`expected sha256 ${wrong}`);
    expect(r.stderr).toContain(`actual   sha256 ${sha256(files.get("/sink/releases/sink-2.0.zip")!)}`);
    expect(existsSync(artifact("sink-2.0.0.zip"))).toBe(false);
    expect(existsSync(path.join(root, "connectors", "artifacts", ".cache", wrong))).toBe(false);
    // The other plugin is unaffected.
    expect(existsSync(artifact("gen-1.0.0.jar"))).toBe(true);
  });

  test("a changed checksum rebuilds instead of trusting the old artifact", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    writeManifest({ "/gen/releases/gen-1.0.jar": "2".repeat(64) });
    const r = await run();
    expect(r.status).not.toBe(0);
    expect(existsSync(artifact("gen-1.0.0.jar"))).toBe(false);
  });

  test("is shellcheck-clean", () => {
    const r = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
