// Runs scripts/kafka-client-bootstrap.sh (the Kafka client host's boot script) the way the host
// does, minus the Java package: its downloads come from a local HTTPS stand-in for
// archive.apache.org and Maven Central on 127.0.0.1 (self-signed certificate, trusted through
// CURL_CA_BUNDLE only for the script's curl), and every path it writes is in the test's own temp
// directory. The stand-in serves the files at their real paths and answers 404 for anything else.
import { execFile, spawnSync } from "node:child_process";
import { createHash } from "node:crypto";
import * as fs from "node:fs";
import { createServer, type Server } from "node:https";
import type { AddressInfo } from "node:net";
import * as os from "node:os";
import * as path from "node:path";
import { gunzipSync } from "node:zlib";
import { afterAll, beforeAll, describe, expect, it } from "vitest";
import { TerraformStack, Testing } from "cdktf";
import { AwsProvider } from "@cdktf/provider-aws/lib/provider";
import { KafkaClientHost } from "../../modules/kafka/kafka-client-host";
import { readKafkaClientBootstrapScript } from "../../scripts/project-assets";

const SCRIPT = path.resolve(__dirname, "..", "..", "scripts", "kafka-client-bootstrap.sh");
const KAFKA_PATH = "/dist/kafka/3.9.1/kafka_2.13-3.9.1.tgz";
const JAR_PATH = "/maven2/software/amazon/msk/aws-msk-iam-auth/2.3.2/aws-msk-iam-auth-2.3.2-all.jar";
const NEW_JAR_PATH = "/maven2/software/amazon/msk/aws-msk-iam-auth/2.3.3/aws-msk-iam-auth-2.3.3-all.jar";
const BROKERS = "b-1.c.kafka.eu-west-1.amazonaws.com:9098,b-2.c.kafka.eu-west-1.amazonaws.com:9098";

const work = fs.mkdtempSync(path.join(os.tmpdir(), "kafka-client-bootstrap-test-"));
let server: Server;
let base = "";
const served = new Map<string, Buffer>();
const requests: string[] = [];

const sha = (algo: "sha256" | "sha512", data: Buffer) => createHash(algo).update(data).digest("hex");

/** A stand-in Kafka binary release: bin/kafka-topics.sh reports its classpath and arguments. */
function buildKafkaTarball(): Buffer {
  const top = path.join(work, "release", "kafka_2.13-3.9.1");
  fs.mkdirSync(path.join(top, "bin"), { recursive: true });
  fs.mkdirSync(path.join(top, "libs"), { recursive: true });
  fs.writeFileSync(path.join(top, "libs", "kafka-clients-3.9.1.jar"), "stand-in kafka-clients\n");
  fs.writeFileSync(
    path.join(top, "bin", "kafka-topics.sh"),
    '#!/usr/bin/env bash\n# stand-in: like the real one, its classpath is every jar in ../libs\nlibs="$(cd "$(dirname "$0")/../libs" && pwd)"\necho "classpath: $(ls "$libs" | tr \'\\n\' \' \')"\necho "args: $*"\n',
    { mode: 0o755 },
  );
  const tgz = path.join(work, "release.tgz");
  const r = spawnSync("tar", ["-czf", tgz, "-C", path.join(work, "release"), "kafka_2.13-3.9.1"]);
  if (r.status !== 0) throw new Error(`tar failed: ${r.stderr}`);
  return fs.readFileSync(tgz);
}

function selfSignedCertificate(): { key: string; cert: string; certFile: string } {
  const key = path.join(work, "key.pem");
  const certFile = path.join(work, "cert.pem");
  const r = spawnSync("openssl", ["req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1", "-keyout", key, "-out", certFile], {
    encoding: "utf8",
  });
  if (r.status !== 0) throw new Error(`openssl failed: ${r.stderr}`);
  return { key: fs.readFileSync(key, "utf8"), cert: fs.readFileSync(certFile, "utf8"), certFile };
}

let certFile = "";
let kafkaTgz: Buffer;
const jar = Buffer.from("stand-in aws-msk-iam-auth 2.3.2 shaded jar\n");
const newJar = Buffer.from("stand-in aws-msk-iam-auth 2.3.3 shaded jar\n");

beforeAll(async () => {
  kafkaTgz = buildKafkaTarball();
  served.set(KAFKA_PATH, kafkaTgz);
  served.set(JAR_PATH, jar);
  served.set(NEW_JAR_PATH, newJar);
  const tls = selfSignedCertificate();
  certFile = tls.certFile;
  server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
    requests.push(req.url ?? "");
    const body = req.method === "GET" ? served.get(req.url ?? "") : undefined;
    if (!body) {
      res.writeHead(404, { "content-type": "text/plain" }).end("Not Found\n");
      return;
    }
    res.writeHead(200, { "content-type": "application/octet-stream", "content-length": body.length }).end(body);
  });
  await new Promise<void>((resolve) => server.listen(0, "127.0.0.1", resolve));
  base = `https://127.0.0.1:${(server.address() as AddressInfo).port}`;
});

afterAll(async () => {
  await new Promise<void>((resolve) => server.close(() => resolve()));
  fs.rmSync(work, { recursive: true, force: true });
});

interface Host {
  readonly root: string;
  readonly config: string;
  readonly profile: string;
}

let hosts = 0;
/** A fresh "host": its own install root, configuration directory and profile path. */
function freshHost(): Host {
  const dir = path.join(work, `host-${++hosts}`);
  fs.mkdirSync(dir);
  return { root: path.join(dir, "opt", "kafka-client"), config: path.join(dir, "etc", "kafka-client"), profile: path.join(dir, "etc", "profile.d", "kafka-client.sh") };
}

interface Run {
  readonly status: number;
  readonly stdout: string;
  readonly stderr: string;
  /** Paths the stand-in was asked for during the run. */
  readonly fetched: string[];
}

/** Runs the script asynchronously (the stand-in answers from this process's event loop). */
function run(host: Host, env: Record<string, string> = {}, script = SCRIPT): Promise<Run> {
  const before = requests.length;
  const clean = Object.fromEntries(Object.entries(process.env).filter(([k]) => !/^(KAFKA_|MSK_|AWS_)/.test(k))) as Record<string, string>;
  return new Promise((resolve) => {
    execFile(
      "bash",
      [script],
      {
        env: {
          ...clean,
          CURL_CA_BUNDLE: certFile,
          KAFKA_BOOTSTRAP_BROKERS: BROKERS,
          AWS_REGION: "eu-west-1",
          KAFKA_CLI_URL: `${base}${KAFKA_PATH}`,
          KAFKA_CLI_SHA512: sha("sha512", kafkaTgz),
          MSK_IAM_AUTH_URL: `${base}${JAR_PATH}`,
          MSK_IAM_AUTH_SHA256: sha("sha256", jar),
          KAFKA_CLIENT_ROOT: host.root,
          KAFKA_CLIENT_CONFIG_DIR: host.config,
          KAFKA_CLIENT_PROFILE: host.profile,
          KAFKA_CLIENT_SKIP_INSTALL: "1",
          KAFKA_CLIENT_RETRIES: "1",
          ...env,
        },
        timeout: 60_000,
      },
      (err, stdout, stderr) => {
        const status = err ? (typeof err.code === "number" ? err.code : -1) : 0;
        resolve({ status, stdout, stderr, fetched: requests.slice(before) });
      },
    );
  });
}

const DONE = /^kafka-client-bootstrap: done, (\d+) change\(s\)$/m;
const changes = (r: Run) => Number(DONE.exec(r.stdout)?.[1] ?? NaN);

describe("kafka-client-bootstrap.sh", () => {
  describe("first run on a fresh host, then a second run", () => {
    const host = freshHost();
    let first: Run;
    let second: Run;
    beforeAll(async () => {
      first = await run(host);
      second = await run(host);
    }, 120_000);

    it("installs the verified release and links it as current", () => {
      expect(first.status, first.stderr).toBe(0);
      expect(first.stdout).toContain("kafka cli kafka_2.13-3.9.1: installed (sha512 verified)");
      expect(fs.readlinkSync(path.join(host.root, "current"))).toBe("kafka_2.13-3.9.1");
      expect(fs.statSync(path.join(host.root, "current", "bin", "kafka-topics.sh")).mode & 0o111).not.toBe(0);
      expect(fs.readFileSync(path.join(host.root, "kafka_2.13-3.9.1", ".sha512"), "utf8").trim()).toBe(sha("sha512", kafkaTgz));
      // Nothing left behind: no staging directory beside the release.
      expect(fs.readdirSync(host.root).sort()).toEqual(["current", "kafka_2.13-3.9.1"]);
    });

    it("puts the verified IAM library on the tools' classpath", () => {
      const installed = fs.readFileSync(path.join(host.root, "current", "libs", "aws-msk-iam-auth-2.3.2-all.jar"));
      expect(sha("sha256", installed)).toBe(sha("sha256", jar));
      expect(first.stdout).toContain("msk iam auth aws-msk-iam-auth-2.3.2-all.jar: installed (sha256 verified)");
    });

    it("writes the IAM client configuration and a profile naming the brokers", () => {
      const props = fs.readFileSync(path.join(host.config, "client.properties"), "utf8");
      const entries = Object.fromEntries(
        props
          .split("\n")
          .filter((l) => l !== "" && !l.startsWith("#"))
          .map((l) => [l.slice(0, l.indexOf("=")), l.slice(l.indexOf("=") + 1)]),
      );
      expect(entries).toEqual({
        "security.protocol": "SASL_SSL",
        "sasl.mechanism": "AWS_MSK_IAM",
        "sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
        "sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
      });
      const profile = fs.readFileSync(host.profile, "utf8");
      expect(profile).toContain(`export KAFKA_BOOTSTRAP='${BROKERS}'`);
    });

    it("leaves a login shell ready for the README's command: tools on PATH with the IAM library, brokers and configuration named", () => {
      const r = spawnSync("bash", ["-c", `source '${host.profile}' && kafka-topics.sh --bootstrap-server "$KAFKA_BOOTSTRAP" --command-config "$KAFKA_CLIENT_CONFIG" --list`], {
        encoding: "utf8",
        env: { PATH: "/usr/bin:/bin" },
      });
      expect(r.status, r.stderr).toBe(0);
      expect(r.stdout).toContain("aws-msk-iam-auth-2.3.2-all.jar");
      expect(r.stdout).toContain(`args: --bootstrap-server ${BROKERS} --command-config ${host.config}/client.properties --list`);
    });

    it("downloads each file once; the second run changes and downloads nothing", () => {
      expect(first.fetched.sort()).toEqual([JAR_PATH, KAFKA_PATH].sort());
      expect(changes(first)).toBe(5);
      expect(second.status, second.stderr).toBe(0);
      expect(changes(second)).toBe(0);
      expect(second.fetched).toEqual([]);
      const steps = second.stdout.split("\n").filter((l) => l !== "" && !DONE.test(l));
      for (const l of steps) expect(l).toMatch(/: (unchanged|skipped)\b/);
      expect(steps).toHaveLength(6);
    });

    it("takes a new pinned library version: installs it and removes the old jar", async () => {
      const upgrade = await run(host, { MSK_IAM_AUTH_URL: `${base}${NEW_JAR_PATH}`, MSK_IAM_AUTH_SHA256: sha("sha256", newJar) });
      expect(upgrade.status, upgrade.stderr).toBe(0);
      expect(upgrade.fetched).toEqual([NEW_JAR_PATH]);
      expect(fs.readdirSync(path.join(host.root, "current", "libs")).sort()).toEqual(["aws-msk-iam-auth-2.3.3-all.jar", "kafka-clients-3.9.1.jar"]);
      expect(upgrade.stdout).toContain("msk iam auth aws-msk-iam-auth-2.3.2-all.jar: removed (not the pinned version)");
    });
  });

  it("refuses a Kafka release whose sha512 is not the pinned one: exit 1, nothing installed", async () => {
    const host = freshHost();
    const wrong = "0".repeat(128);
    const r = await run(host, { KAFKA_CLI_SHA512: wrong });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`kafka_2.13-3.9.1.tgz: sha512 is ${sha("sha512", kafkaTgz)}, expected the pinned ${wrong}; refusing to install it`);
    expect(fs.existsSync(host.root) ? fs.readdirSync(host.root) : []).toEqual([]);
    expect(fs.existsSync(host.config)).toBe(false);
    expect(r.fetched).toEqual([KAFKA_PATH]);
  });

  it("refuses an IAM library whose sha256 is not the pinned one: no jar, no client configuration", async () => {
    const host = freshHost();
    const r = await run(host, { MSK_IAM_AUTH_SHA256: "F".repeat(64) });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`aws-msk-iam-auth-2.3.2-all.jar: sha256 is ${sha("sha256", jar)}, expected the pinned ${"f".repeat(64)}; refusing to install it`);
    expect(fs.readdirSync(path.join(host.root, "current", "libs"))).toEqual(["kafka-clients-3.9.1.jar"]);
    expect(fs.existsSync(path.join(host.config, "client.properties"))).toBe(false);
  });

  it("accepts the pinned checksums in upper case, as Apache's .sha512 files print them", async () => {
    const host = freshHost();
    const r = await run(host, { KAFKA_CLI_SHA512: sha("sha512", kafkaTgz).toUpperCase() });
    expect(r.status, r.stderr).toBe(0);
  });

  it("fails clearly when a download is not there (404), before installing anything", async () => {
    const host = freshHost();
    const r = await run(host, { KAFKA_CLI_URL: `${base}/dist/kafka/9.9.9/kafka_2.13-9.9.9.tgz` });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain(`download of ${base}/dist/kafka/9.9.9/kafka_2.13-9.9.9.tgz failed`);
    expect(fs.existsSync(host.root) ? fs.readdirSync(host.root) : []).toEqual([]);
  });

  it("refuses plain-HTTP URLs, malformed checksums and missing inputs before any download", async () => {
    const host = freshHost();
    const http = await run(host, { KAFKA_CLI_URL: `http://127.0.0.1:1${KAFKA_PATH}` });
    expect(http.status).toBe(1);
    expect(http.stderr).toContain("KAFKA_CLI_URL must be an https URL of kafka_<scala>-<version>.tgz");
    const short = await run(host, { MSK_IAM_AUTH_SHA256: "abc" });
    expect(short.stderr).toContain("MSK_IAM_AUTH_SHA256 must be 64 hex digits, got 'abc'");
    const missing = await run(host, { KAFKA_BOOTSTRAP_BROKERS: "", AWS_REGION: "" });
    expect(missing.status).toBe(1);
    expect(missing.stderr).toContain("missing required environment variable KAFKA_BOOTSTRAP_BROKERS");
    expect(missing.stderr).toContain("missing required environment variable AWS_REGION");
    expect([...http.fetched, ...short.fetched, ...missing.fetched]).toEqual([]);
  });

  // The whole user data as the instance receives it: the construct's header (the brokers and the
  // pins, here pointing at the stand-in) and the script, through Terraform's own base64gzip.
  const terraform = spawnSync("terraform", ["version"], { encoding: "utf8" });
  it.skipIf(terraform.status !== 0)("the user data KafkaClientHost renders, decoded by Terraform, installs everything with only the paths overridden", async () => {
    const stack = new TerraformStack(Testing.app(), "test");
    new AwsProvider(stack, "aws", { region: "eu-west-1" });
    new KafkaClientHost(stack, "client-host", {
      namePrefix: "t",
      vpcId: "vpc-123",
      subnetId: "subnet-private-a",
      kafkaSecurityGroupId: "sg-0123456789abcdef0",
      cluster: { arn: "arn:aws:kafka:eu-west-1:111122223333:cluster/t-msk/abcd", bootstrapBrokersSaslIam: BROKERS },
      topics: { orders: "read" },
      bootstrapScript: readKafkaClientBootstrapScript(),
      region: "eu-west-1",
      kafkaCli: { url: `${base}${KAFKA_PATH}`, sha512: sha("sha512", kafkaTgz) },
      mskIamAuth: { url: `${base}${JAR_PATH}`, sha256: sha("sha256", jar) },
    });
    const tf = JSON.parse(Testing.synth(stack));
    const expression = (Object.values(tf.resource.aws_instance)[0] as { user_data_base64: string }).user_data_base64;
    const dir = fs.mkdtempSync(path.join(work, "userdata-"));
    const tfRun = (...args: string[]) => spawnSync("terraform", args, { cwd: dir, encoding: "utf8", env: { ...process.env, CHECKPOINT_DISABLE: "1", TF_IN_AUTOMATION: "1" } });
    fs.writeFileSync(path.join(dir, "main.tf.json"), JSON.stringify({ output: { ud: { value: expression } } }));
    expect(tfRun("init", "-input=false", "-backend=false").status).toBe(0);
    expect(tfRun("apply", "-auto-approve", "-input=false").status).toBe(0);
    const userData = gunzipSync(Buffer.from(tfRun("output", "-raw", "ud").stdout, "base64")).toString("utf8");
    expect(userData.startsWith("#!/bin/bash\n")).toBe(true);
    expect(userData.endsWith(readKafkaClientBootstrapScript())).toBe(true);
    const file = path.join(dir, "user-data.sh");
    fs.writeFileSync(file, userData);
    const host = freshHost();
    // Only the install paths, the stand-in's certificate and the Java step differ from the instance.
    const r = await run(host, { KAFKA_BOOTSTRAP_BROKERS: "", AWS_REGION: "", KAFKA_CLI_URL: "", KAFKA_CLI_SHA512: "", MSK_IAM_AUTH_URL: "", MSK_IAM_AUTH_SHA256: "" }, file);
    expect(r.status, r.stderr).toBe(0);
    expect(changes(r)).toBe(5);
    expect(fs.readFileSync(host.profile, "utf8")).toContain(`export KAFKA_BOOTSTRAP='${BROKERS}'`);
    expect(fs.existsSync(path.join(host.root, "current", "libs", "aws-msk-iam-auth-2.3.2-all.jar"))).toBe(true);
  }, 120_000);
});
