/**
 * scripts/download-connectors.sh against a local HTTP server (127.0.0.1): the first download pins
 * every source and the artifact in connectors/manifest.lock.json, later runs verify against it,
 * a tampered download fails and is removed, --frozen never records, an unreachable host is one
 * line naming it, a changed URL or version drops its pin; the ZIP is deterministic and holds the
 * classes the manifest promises; a .tar.gz source (Maven's connector packages) unpacks like a zip.
 */
import { execFileSync, spawn, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import { existsSync, mkdirSync, mkdtempSync, readFileSync, readdirSync, rmSync, writeFileSync } from "node:fs";
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

/** Builds a zip from `entries` (relative path -> content) with the zip CLI. */
function makeZip(name: string, entries: Record<string, string | Buffer>): Buffer {
  const dir = mkdtempSync(path.join(fixtures, "src-"));
  for (const [rel, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  const out = path.join(fixtures, name);
  execFileSync("zip", ["-q", "-r", out, "."], { cwd: dir });
  return readFileSync(out);
}

/** Builds a .tar.gz from `entries` with the tar CLI (like Maven's assembly plugin, format tar.gz). */
function makeTarGz(name: string, entries: Record<string, string | Buffer>): Buffer {
  const dir = mkdtempSync(path.join(fixtures, "tgz-"));
  for (const [rel, content] of Object.entries(entries)) {
    mkdirSync(path.dirname(path.join(dir, rel)), { recursive: true });
    writeFileSync(path.join(dir, rel), content);
  }
  const out = path.join(fixtures, name);
  execFileSync("tar", ["-czf", out, "-C", dir, "."]);
  return readFileSync(out);
}

const GEN = "/gen/releases/gen-1.0.jar";
const SINK = "/sink/releases/sink-2.0.zip";
const PROVIDERS = "/providers/releases/providers-0.2.0-all.jar";
/** A Camel-style connector package: jars under <artifact>/, docs beside them. */
const CAMEL = "/maven2/camel/kinesis-source/1.0/kinesis-source-1.0-package.tar.gz";
const NOT_TGZ = "/maven2/camel/broken/1.0/broken-1.0-package.tar.gz";

beforeAll(async () => {
  fixtures = mkdtempSync(path.join(os.tmpdir(), "dl-fixtures-"));
  files.set(GEN, makeZip("gen.jar", { "com/example/Gen.class": "gen" }));
  files.set(
    SINK,
    makeZip("sink.zip", {
      "sink-2.0/sink-2.0.jar": makeZip("sink-inner.jar", { "com/example/Sink.class": "sink" }),
      "sink-2.0/lib-a-1.jar": makeZip("lib-a.jar", { "org/lib/A.class": "a" }),
      "sink-2.0/README.md": "not a jar",
    }),
  );
  files.set(PROVIDERS, makeZip("prov.jar", { "com/example/P.class": "p" }));
  files.set(
    CAMEL,
    makeTarGz("camel.tar.gz", {
      "kinesis-source/kinesis-source-1.0.jar": makeZip("kinesis-inner.jar", { "com/example/Kinesis.class": "k" }),
      "kinesis-source/lib-b-1.jar": makeZip("lib-b.jar", { "org/lib/B.class": "b" }),
      "kinesis-source/LICENSE.txt": "not a jar",
      "docs/examples/Kinesis.properties": "not a jar",
    }),
  );
  files.set(NOT_TGZ, Buffer.from("<html>404 page served as 200</html>\n"));
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

interface ManifestOptions {
  readonly providersUrl?: string;
  readonly sinkVersion?: string;
  readonly sinkProviders?: string;
  readonly sinkConverters?: string;
}

function writeManifest(o: ManifestOptions = {}) {
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
      - url: https://downloads.example.com${GEN}
  sink:
    version: ${o.sinkVersion ?? "2.0.0"}
    content_type: ZIP
    java_version: 11
    file: artifacts/sink-2.0.0.zip
    connector_classes: [com.example.Sink]
    config_providers: [${o.sinkProviders ?? "com.example.P"}]
${o.sinkConverters ? `    converters: [${o.sinkConverters}]\n` : ""}    sources:
      - url: https://downloads.example.com${SINK}
        unpack: true
      - url: ${o.providersUrl ?? `https://downloads.example.com${PROVIDERS}`}
`,
  );
}

/** Runs the script asynchronously: the HTTP server lives in this process and must keep serving. */
function run(args: string[] = [], rewriteTo = `http://127.0.0.1:${port}/`): Promise<{ status: number | null; stderr: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn("bash", [SCRIPT, ...args], {
      env: { ...process.env, PIPELINE_ROOT: root, CONNECTOR_URL_REWRITE: `https://downloads.example.com/=${rewriteTo}` },
      stdio: ["ignore", "ignore", "pipe"],
    });
    let stderr = "";
    child.stderr.on("data", (d: Buffer) => (stderr += d.toString()));
    child.on("error", reject);
    child.on("close", (status) => resolve({ status, stderr }));
  });
}

const connectors = (...p: string[]) => path.join(root, "connectors", ...p);
const artifact = (f: string) => connectors("artifacts", f);
const lockFile = () => connectors("manifest.lock.json");
const lockText = () => readFileSync(lockFile(), "utf8");
interface Lock {
  plugins: Record<string, { version: string; sources: { url: string; unpack: boolean; sha256: string }[]; artifact?: { sha256: string } }>;
}
const lock = (): Lock => JSON.parse(lockText()) as Lock;
const zipEntries = (f: string) => execFileSync("unzip", ["-Z1", f], { encoding: "utf8" }).trim().split("\n");
const cached = () => readdirSync(connectors("artifacts", ".cache")).filter((f) => /^[a-f0-9]{64}$/.test(f));
/** Serves other bytes at `url` for the duration of `fn`. */
async function tampered<T>(url: string, fn: () => Promise<T>): Promise<T> {
  const original = files.get(url)!;
  files.set(url, Buffer.concat([original, Buffer.from("tampered")]));
  try {
    return await fn();
  } finally {
    files.set(url, original);
  }
}

describe("download-connectors.sh", { timeout: 120_000 }, () => {
  beforeEach(() => {
    root = mkdtempSync(path.join(os.tmpdir(), "dl-root-"));
    requests.length = 0;
  });

  test("first download builds the artifacts and records every source and artifact in the lock", async () => {
    writeManifest();
    const r = await run();
    expect(r.stderr).not.toMatch(/error|not built/);
    expect(r.status).toBe(0);
    expect(readFileSync(artifact("gen-1.0.0.jar"))).toEqual(files.get(GEN));
    expect(zipEntries(artifact("sink-2.0.0.zip"))).toEqual(["lib-a-1.jar", "providers-0.2.0-all.jar", "sink-2.0.jar"]);
    expect(requests.sort()).toEqual([GEN, PROVIDERS, SINK]);
    const l = lock();
    expect(l.plugins.gen).toEqual({
      version: "1.0.0",
      content_type: "JAR",
      file: "artifacts/gen-1.0.0.jar",
      sources: [{ url: `https://downloads.example.com${GEN}`, unpack: false, sha256: sha256(files.get(GEN)!) }],
      artifact: { sha256: sha256(files.get(GEN)!) },
    });
    expect(l.plugins.sink.sources.map((s) => s.sha256)).toEqual([sha256(files.get(SINK)!), sha256(files.get(PROVIDERS)!)]);
    expect(l.plugins.sink.artifact?.sha256).toBe(sha256(readFileSync(artifact("sink-2.0.0.zip"))));
    expect(r.stderr).toContain("sink 2.0.0: built artifacts/sink-2.0.0.zip");
    expect(r.stderr).toContain("notice: new pins recorded in connectors/manifest.lock.json: review them");
  });

  test("a second run verifies against the lock and changes nothing", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const before = [readFileSync(artifact("gen-1.0.0.jar")), readFileSync(artifact("sink-2.0.0.zip")), lockText()];
    requests.length = 0;
    const r = await run();
    expect(r.status).toBe(0);
    expect(requests).toEqual([]);
    expect(r.stderr.trim().split("\n")).toEqual([
      "gen 1.0.0: up to date (artifacts/gen-1.0.0.jar matches its pin)",
      "sink 2.0.0: up to date (artifacts/sink-2.0.0.zip matches its pin)",
    ]);
    expect([readFileSync(artifact("gen-1.0.0.jar")), readFileSync(artifact("sink-2.0.0.zip")), lockText()]).toEqual(before);
  });

  test("with a committed lock, a fresh clone downloads, verifies against the pins and records nothing", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const pinned = lockText();
    rmSync(connectors("artifacts"), { recursive: true });
    requests.length = 0;
    const r = await run(["--frozen"]);
    expect(r.stderr).not.toMatch(/error|notice/);
    expect(r.status).toBe(0);
    expect(requests).toHaveLength(3);
    expect(r.stderr).toContain("sink 2.0.0: built artifacts/sink-2.0.0.zip");
    expect(r.stderr).toContain("verified against the lock");
    expect(lockText()).toBe(pinned);
  });

  test("a tampered download fails naming both hashes, and is removed", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const pinnedLock = lockText();
    const pin = lock().plugins.sink.sources[0].sha256;
    rmSync(connectors("artifacts"), { recursive: true });
    const r = await tampered(SINK, () => run());
    const bad = sha256(Buffer.concat([files.get(SINK)!, Buffer.from("tampered")]));
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `sink 2.0.0: not built: checksum mismatch for https://downloads.example.com${SINK}: pinned sha256 ${pin} in connectors/manifest.lock.json, downloaded sha256 ${bad}; the download was deleted`,
    );
    expect(existsSync(artifact("sink-2.0.0.zip"))).toBe(false);
    expect(cached()).not.toContain(bad);
    expect(readdirSync(connectors("artifacts", ".cache")).filter((f) => f.startsWith("download."))).toEqual([]);
    expect(lockText()).toBe(pinnedLock); // a mismatch never re-pins
    expect(existsSync(artifact("gen-1.0.0.jar"))).toBe(true); // the other plugin is unaffected
    expect(r.stderr).toMatch(/error: 1 of 2 plugins not built: sink\n$/);
  });

  test("a tampered local artifact is rebuilt from the verified cache", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const good = readFileSync(artifact("gen-1.0.0.jar"));
    writeFileSync(artifact("gen-1.0.0.jar"), "not the pinned jar");
    requests.length = 0;
    const r = await run();
    expect(r.status).toBe(0);
    expect(requests).toEqual([]);
    expect(readFileSync(artifact("gen-1.0.0.jar"))).toEqual(good);
  });

  test("--frozen with a missing pin fails, writes no lock and builds nothing", async () => {
    writeManifest();
    const r = await run(["--frozen"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(
      `gen 1.0.0: not built: https://downloads.example.com${GEN} has no pin in connectors/manifest.lock.json and --frozen records none (run without --frozen, review and commit the lock)`,
    );
    expect(requests).toEqual([]);
    expect(existsSync(lockFile())).toBe(false);
    expect(existsSync(artifact("gen-1.0.0.jar"))).toBe(false);
  });

  test("an unreachable host is one line per plugin naming the host", async () => {
    writeManifest();
    // A port nobody listens on: take one, then free it.
    const probe = createServer();
    await new Promise<void>((resolve) => probe.listen(0, "127.0.0.1", resolve));
    const dead = (probe.address() as AddressInfo).port;
    await new Promise<void>((resolve) => probe.close(() => resolve()));
    const r = await run([], `http://127.0.0.1:${dead}/`);
    expect(r.status).toBe(1);
    expect(r.stderr.trim().split("\n")).toEqual([
      `gen 1.0.0: not built: cannot reach 127.0.0.1:${dead} (connection refused or no route)`,
      `sink 2.0.0: not built: cannot reach 127.0.0.1:${dead} (connection refused or no route)`,
      "error: 2 of 2 plugins not built: gen sink",
    ]);
    expect(existsSync(lockFile())).toBe(false);
  });

  test("a changed URL drops its pin: the new source is downloaded and pinned, the old one leaves the lock", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const genPins = lock().plugins.gen;
    files.set("/providers/releases/providers-0.3.0-all.jar", makeZip("prov3.jar", { "com/example/P.class": "p3" }));
    writeManifest({ providersUrl: "https://downloads.example.com/providers/releases/providers-0.3.0-all.jar" });
    requests.length = 0;
    const r = await run();
    expect(r.status).toBe(0);
    expect(requests).toEqual(["/providers/releases/providers-0.3.0-all.jar"]);
    const l = lock();
    expect(l.plugins.sink.sources.map((s) => s.url)).toEqual([
      `https://downloads.example.com${SINK}`,
      "https://downloads.example.com/providers/releases/providers-0.3.0-all.jar",
    ]);
    expect(l.plugins.sink.sources[1].sha256).toBe(sha256(files.get("/providers/releases/providers-0.3.0-all.jar")!));
    expect(l.plugins.sink.artifact?.sha256).toBe(sha256(readFileSync(artifact("sink-2.0.0.zip"))));
    expect(zipEntries(artifact("sink-2.0.0.zip"))).toContain("providers-0.3.0-all.jar");
    expect(l.plugins.gen).toEqual(genPins);
  });

  test("a changed version drops the plugin's pins, so --frozen refuses it", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    writeManifest({ sinkVersion: "2.0.1" });
    const r = await run(["--frozen"]);
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`sink 2.0.1: not built: https://downloads.example.com${SINK} has no pin`);
    expect(r.stderr).toContain("gen 1.0.0: up to date");
  });

  test("an artifact without a class the manifest promises fails and is not pinned", async () => {
    writeManifest({ sinkProviders: "com.example.Missing" });
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("sink 2.0.0: not built: no com.example.Missing in the downloaded jars");
    expect(existsSync(artifact("sink-2.0.0.zip"))).toBe(false);
    // The verified downloads stay pinned; the artifact has no pin.
    expect(lock().plugins.sink.sources).toHaveLength(2);
    expect(lock().plugins.sink.artifact).toBeUndefined();
  });

  test("a converter the manifest promises (converters) is checked in the artifact like the other classes", async () => {
    writeManifest({ sinkConverters: "com.example.GlueConverter" });
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain("sink 2.0.0: not built: no com.example.GlueConverter in the downloaded jars (connector_classes / config_providers / converters of connectors/manifest.yaml)");
    expect(existsSync(artifact("sink-2.0.0.zip"))).toBe(false);
  });

  test("the ZIP is deterministic: rebuilding from the same inputs gives the same bytes", async () => {
    writeManifest();
    expect((await run()).status).toBe(0);
    const first = readFileSync(artifact("sink-2.0.0.zip"));
    rmSync(connectors("artifacts"), { recursive: true });
    const r = await run(["--frozen"]);
    expect(r.status).toBe(0);
    expect(readFileSync(artifact("sink-2.0.0.zip")).equals(first)).toBe(true);
  });

  /** One ZIP plugin whose only source is an unpacked .tar.gz at `url`. */
  const writeTarGzManifest = (url: string) => {
    mkdirSync(path.join(root, "connectors"), { recursive: true });
    writeFileSync(
      path.join(root, "connectors", "manifest.yaml"),
      `plugins:
  kinesis:
    version: 1.0.0
    content_type: ZIP
    java_version: 17
    file: artifacts/kinesis-1.0.0.zip
    connector_classes: [com.example.Kinesis]
    sources:
      - url: https://downloads.example.com${url}
        unpack: true
`,
    );
  };

  test("a .tar.gz source is unpacked like a ZIP: its jars (at any depth) at the artifact's root, pinned", async () => {
    writeTarGzManifest(CAMEL);
    const r = await run();
    expect(r.stderr).not.toMatch(/error|not built/);
    expect(r.status).toBe(0);
    expect(zipEntries(artifact("kinesis-1.0.0.zip"))).toEqual(["kinesis-source-1.0.jar", "lib-b-1.jar"]);
    expect(lock().plugins.kinesis.sources).toEqual([{ url: `https://downloads.example.com${CAMEL}`, unpack: true, sha256: sha256(files.get(CAMEL)!) }]);
    expect(lock().plugins.kinesis.artifact?.sha256).toBe(sha256(readFileSync(artifact("kinesis-1.0.0.zip"))));
    // Rebuilt from the pinned download, the same bytes.
    const first = readFileSync(artifact("kinesis-1.0.0.zip"));
    rmSync(connectors("artifacts"), { recursive: true });
    expect((await run(["--frozen"])).status).toBe(0);
    expect(readFileSync(artifact("kinesis-1.0.0.zip")).equals(first)).toBe(true);
  });

  test("a source named .tar.gz that is not one fails naming the URL, and builds nothing", async () => {
    writeTarGzManifest(NOT_TGZ);
    const r = await run();
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`kinesis 1.0.0: not built: https://downloads.example.com${NOT_TGZ} is not a readable tar.gz archive`);
    expect(existsSync(artifact("kinesis-1.0.0.zip"))).toBe(false);
    expect(lock().plugins.kinesis.artifact).toBeUndefined();
  });

  test("is shellcheck-clean", () => {
    const r = spawnSync("shellcheck", [SCRIPT], { encoding: "utf8" });
    expect(r.stdout + r.stderr).toBe("");
    expect(r.status).toBe(0);
  });
});
