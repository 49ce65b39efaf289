/**
 * The bootstrap's MSK Serverless topic step (plan.kafka_topics), run through runBootstrap against a
 * Kafka-protocol stand-in of MSK Serverless (TLS, SASL/IAM with signature checks, its topic-config
 * rules and refusals), beside the OpenSearch and Secrets Manager stand-ins the rest of the run uses.
 */
import { execFile } from "node:child_process";
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { BootstrapPlanSchema, PlanKafkaTopicsSchema, type BootstrapPlan, type PlanKafkaTopic } from "../../modules/search/bootstrap-plan";
import { parseCliArgs, runBootstrap, runCli, type BootstrapDeps, type BootstrapOptions } from "../../scripts/bootstrap/run";
import { secretsManagerStore } from "../../scripts/bootstrap/secrets";
import { KafkaStandin, throwawayCertificate } from "../support/kafka-standin";
import { OpenSearchStandin } from "../support/opensearch-standin";
import { SecretsStandin } from "../support/secrets-standin";

const REGION = "ap-southeast-2";
const CREDS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "FAKE-SESSION-TOKEN" };
const DEPLOYER = "arn:aws:iam::123456789012:role/Deployer";
const MASTER = "ad-tech-dev-master";
const MASTER_SECRET = "ad-tech-dev/opensearch/master";
const INITIAL = "Initial-Throwaway-Passw0rd!";
const BROKERS_OUTPUT = "kafka_bootstrap_brokers_sasl_iam";

const TOPICS: PlanKafkaTopic[] = [
  { name: "impressions", partitions: 6, configs: { "retention.ms": "86400000", "compression.type": "zstd" } },
  { name: "clicks", partitions: 3, configs: { "retention.ms": "86400000" } },
  { name: "ad-tech-sink-dlq", partitions: 1, configs: { "cleanup.policy": "delete", "max.message.bytes": "2097152" } },
];

function makePlan(topics: PlanKafkaTopic[] | null = TOPICS): BootstrapPlan {
  return BootstrapPlanSchema.parse({
    environment: "dev",
    region: REGION,
    stack_dir: "cdktf.out/stacks/dev",
    endpoint_output: "opensearch_endpoint",
    master: { domain_name: "ad-tech-dev-search", username: MASTER, secret_id: MASTER_SECRET, initial_stage: "TERRAFORM_INITIAL" },
    access: { admin_backend_roles: [], reader_backend_roles: [], reader_role: "ad-tech-dev-read-only", audit_logs: false },
    dashboards_users: [],
    indexes: [],
    sinks: [],
    ...(topics ? { kafka_topics: { bootstrap_brokers_output: BROKERS_OUTPUT, topics } } : {}),
  });
}

let cert: { key: string; cert: string };
let kafka: KafkaStandin;
let os: OpenSearchStandin;
let sm: SecretsStandin;

beforeAll(() => {
  cert = throwawayCertificate();
});

beforeEach(async () => {
  kafka = await new KafkaStandin({ region: REGION, keys: { [CREDS.accessKeyId]: CREDS.secretAccessKey }, tls: cert }).start();
  os = await new OpenSearchStandin({ master: { username: MASTER, password: INITIAL }, iamIdentities: { [CREDS.accessKeyId]: DEPLOYER } }).start();
  sm = await new SecretsStandin().start();
  sm.createWith(MASTER_SECRET, JSON.stringify({ username: MASTER, password: INITIAL }), ["AWSCURRENT", "TERRAFORM_INITIAL"]);
});

afterEach(async () => {
  await kafka.stop();
  await os.stop();
  await sm.stop();
});

interface RunResult {
  code: number;
  out: string[];
  err: string[];
}

function deps(extra: Partial<BootstrapDeps> = {}): BootstrapDeps & { out: (l: string) => void } {
  return {
    baseUrl: os.url,
    credentials: async () => CREDS,
    secrets: (region) => secretsManagerStore(new SecretsManagerClient({ region, endpoint: sm.url, credentials: CREDS, maxAttempts: 1 })),
    terraformOutput: async () => {
      throw new Error("terraform must not be called when the endpoint and brokers are given");
    },
    kafkaTls: { ca: cert.cert },
    sleep: async () => undefined,
    random: () => 0.5,
    retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 2 },
    out: () => undefined,
    err: () => undefined,
    ...extra,
  };
}

async function run(options: Partial<BootstrapOptions> = {}, extra: Partial<BootstrapDeps> = {}): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBootstrap(
    { env: "dev", plan: makePlan(), kafkaBrokers: kafka.brokers, timeoutMs: 2000, ...options },
    deps({ out: (l) => out.push(l), err: (l) => err.push(l), ...extra }),
  );
  return { code, out, err };
}

const topicLines = (r: RunResult) => r.out.filter((l) => l.includes("kafka topic"));
const configsOf = (name: string) => Object.fromEntries(kafka.topics.get(name)?.configs ?? []);

describe("first run", () => {
  it("creates every topic with its partitions and configs, leaving replication to the service, before touching OpenSearch", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    for (const t of TOPICS) {
      expect(kafka.topics.get(t.name)?.partitions).toBe(t.partitions);
      expect(configsOf(t.name)).toEqual(t.configs);
    }
    const creates = kafka.calls("CreateTopics").map((c) => (c.body as { topics: { name: string; replicationFactor: number }[] }).topics);
    expect(creates.flat().map((t) => [t.name, t.replicationFactor])).toEqual(TOPICS.map((t) => [t.name, -1]));
    expect(topicLines(r)).toEqual([
      "create kafka topic impressions (6 partitions, retention.ms=86400000 compression.type=zstd)",
      "kafka topic impressions: created",
      "create kafka topic clicks (3 partitions, retention.ms=86400000)",
      "kafka topic clicks: created",
      "create kafka topic ad-tech-sink-dlq (1 partitions, cleanup.policy=delete max.message.bytes=2097152)",
      "kafka topic ad-tech-sink-dlq: created",
    ]);
    // Topics first, then the OpenSearch steps.
    expect(r.out.findIndex((l) => l.startsWith(`master ${MASTER}`))).toBeGreaterThan(r.out.indexOf("kafka topic ad-tech-sink-dlq: created"));
  });

  it("a second run is a no-op: no create or alter request reaches the brokers", async () => {
    expect((await run()).code).toBe(0);
    const writes = kafka.writes().length;
    const r = await run();
    expect(r.code).toBe(0);
    expect(kafka.writes()).toHaveLength(writes);
    expect(topicLines(r)).toEqual(TOPICS.map((t) => `kafka topic ${t.name}: up to date`));
  });
});

describe("converging", () => {
  it("repairs drift with an incremental alter of only the keys that differ", async () => {
    await run();
    kafka.topics.get("impressions")!.configs.set("retention.ms", "1000");
    kafka.topics.get("clicks")!.configs.delete("retention.ms");
    const before = kafka.requests.length;
    const r = await run();
    expect(r.code).toBe(0);
    const alters = kafka.requests.slice(before).filter((q) => q.api === "IncrementalAlterConfigs");
    expect(alters.map((a) => (a.body as { resources: unknown[] }).resources)).toEqual([
      [{ type: 2, name: "impressions", configs: [{ name: "retention.ms", op: 0, value: "86400000" }] }],
      [{ type: 2, name: "clicks", configs: [{ name: "retention.ms", op: 0, value: "86400000" }] }],
    ]);
    expect(topicLines(r)).toContain("set retention.ms on kafka topic impressions: 1000 -> 86400000");
    expect(topicLines(r)).toContain("set retention.ms on kafka topic clicks: 604800000 -> 86400000");
    expect(configsOf("impressions")).toEqual(TOPICS[0]!.configs);
    expect(configsOf("clicks")).toEqual(TOPICS[1]!.configs);
  });

  it("after an interruption (some topics made, one short of partitions) creates the rest and adds the partitions", async () => {
    kafka.addTopic("impressions", 2, TOPICS[0]!.configs);
    const r = await run();
    expect(r.code).toBe(0);
    expect(kafka.calls("CreateTopics").flatMap((c) => (c.body as { topics: { name: string }[] }).topics.map((t) => t.name))).toEqual([
      "clicks",
      "ad-tech-sink-dlq",
    ]);
    expect(kafka.calls("CreatePartitions").map((c) => c.body)).toEqual([{ topics: [{ name: "impressions", count: 6 }], validateOnly: false }]);
    expect(topicLines(r)[0]).toBe("add partitions to kafka topic impressions: 2 -> 6");
    expect([...kafka.topics.keys()].sort()).toEqual(["ad-tech-sink-dlq", "clicks", "impressions"]);
    expect(kafka.topics.get("impressions")?.partitions).toBe(6);
  });

  it("reports configs set on a topic that the plan does not name, and leaves them", async () => {
    kafka.addTopic("clicks", 3, { ...TOPICS[1]!.configs, "retention.bytes": "1073741824" });
    const r = await run({ plan: makePlan([TOPICS[1]!]) });
    expect(r.code).toBe(0);
    expect(topicLines(r)).toEqual(["kafka topic clicks: up to date (set on the topic but not in the plan, left as they are: retention.bytes=1073741824)"]);
    expect(kafka.writes()).toEqual([]);
  });
});

describe("what cannot be changed", () => {
  it("refuses fewer partitions and a cleanup.policy change, changes nothing of those topics, does the others, exits 1", async () => {
    kafka.addTopic("impressions", 12, { "retention.ms": "1" });
    kafka.addTopic("ad-tech-sink-dlq", 1, { "cleanup.policy": "compact" });
    const r = await run();
    expect(r.code).toBe(1);
    expect(topicLines(r)).toEqual([
      "kafka topic impressions: REFUSED, nothing changed — it has 12 partitions and the plan asks for 6: Kafka cannot remove partitions (set partitions back to 12 in its topic file, or recreate the topic, which deletes its data)",
      "create kafka topic clicks (3 partitions, retention.ms=86400000)",
      "kafka topic clicks: created",
      "kafka topic ad-tech-sink-dlq: REFUSED, nothing changed — cleanup.policy is compact and the plan asks for delete: MSK Serverless sets cleanup.policy only when a topic is created (keep compact, or recreate the topic, which deletes its data)",
    ]);
    // Untouched: not even the retention.ms drift of the refused topic was repaired.
    expect(configsOf("impressions")).toEqual({ "retention.ms": "1" });
    expect(kafka.writes().map((w) => JSON.stringify(w.body))).toEqual([expect.stringContaining('"name":"clicks"')]);
    expect(r.err).toContain("2 of 5 step(s) failed; the others were applied (a re-run finishes the job)");
    // OpenSearch still ran (the refusals are per topic).
    expect(r.out.some((l) => l.startsWith(`master ${MASTER}: `))).toBe(true);
  });

  it("reports what the broker refuses (a config Serverless does not allow, max.message.bytes above 8 MiB) in its words", async () => {
    const plan = makePlan([
      { name: "bad-config", partitions: 1, configs: { "segment.bytes": "1073741824" } },
      { name: "too-big", partitions: 1, configs: { "max.message.bytes": "16777216" } },
      TOPICS[1]!,
    ]);
    const r = await run({ plan });
    expect(r.code).toBe(1);
    expect(topicLines(r)).toEqual([
      "create kafka topic bad-config (1 partitions, segment.bytes=1073741824)",
      "kafka topic bad-config: FAILED — POLICY_VIOLATION: Amazon MSK Serverless doesn't allow topic configuration segment.bytes",
      "create kafka topic too-big (1 partitions, max.message.bytes=16777216)",
      "kafka topic too-big: FAILED — POLICY_VIOLATION: Config property 'max.message.bytes' with value '16777216' exceeded the maximum allowed value of 8388608.",
      "create kafka topic clicks (3 partitions, retention.ms=86400000)",
      "kafka topic clicks: created",
    ]);
    expect([...kafka.topics.keys()]).toEqual(["clicks"]);
    expect(r.err.join("\n")).not.toMatch(/\n\s+at /);
  });
});

describe("--dry-run", () => {
  it("prints what it would do and sends no create, alter or partition request", async () => {
    kafka.addTopic("impressions", 2, { "retention.ms": "1000", "compression.type": "zstd" });
    const r = await run({ dryRun: true });
    expect(r.code).toBe(0);
    expect(kafka.writes()).toEqual([]);
    expect([...kafka.topics.keys()]).toEqual(["impressions"]);
    expect(kafka.topics.get("impressions")?.partitions).toBe(2);
    expect(topicLines(r)).toEqual([
      "[dry-run] set retention.ms on kafka topic impressions: 1000 -> 86400000",
      "[dry-run] add partitions to kafka topic impressions: 2 -> 6",
      "[dry-run] create kafka topic clicks (3 partitions, retention.ms=86400000)",
      "[dry-run] create kafka topic ad-tech-sink-dlq (1 partitions, cleanup.policy=delete max.message.bytes=2097152)",
    ]);
  });
});

describe("connecting", () => {
  it("signs in with an MSK IAM token made from the bootstrap's credentials (what the stand-in verified)", async () => {
    expect((await run()).code).toBe(0);
    const [token] = kafka.acceptedTokens;
    expect(token?.host).toBe(`kafka.${REGION}.amazonaws.com`);
    const q = token!.searchParams;
    expect(q.get("Action")).toBe("kafka-cluster:Connect");
    expect(q.get("X-Amz-Credential")).toMatch(new RegExp(`^${CREDS.accessKeyId}/\\d{8}/${REGION}/kafka-cluster/aws4_request$`));
    expect(q.get("X-Amz-Security-Token")).toBe(CREDS.sessionToken);
    expect(Number(q.get("X-Amz-Expires"))).toBeLessThanOrEqual(900);
    expect(q.get("User-Agent")).toMatch(/^aws-msk-iam-sasl-signer-js\//);
  });

  it("an identity the brokers refuse: a clear error, exit 1, OpenSearch untouched", async () => {
    const r = await run({}, { credentials: async () => ({ ...CREDS, accessKeyId: "AKIDNOTKNOWN" }) });
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(
      new RegExp(`^error: the Kafka brokers \\(${kafka.brokers}\\) refused the SASL/IAM sign-in \\(\\[[-0-9a-f]+\\]: Access denied \\(unknown access key\\)\\): the AWS identity needs kafka-cluster:Connect`),
    );
    expect(r.err[1]).toBe("OpenSearch was not touched; fix the line above and re-run (what was already done is kept)");
    expect(os.requests).toEqual([]);
    expect(kafka.topics.size).toBe(0);
  });

  it("unreachable brokers: one line that names them and the VPN, no stack trace, OpenSearch untouched", async () => {
    const closed = await new KafkaStandin({ region: REGION, keys: {} }).start();
    const address = closed.brokers;
    await closed.stop();
    const r = await run({ kafkaBrokers: address });
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(new RegExp(`^error: cannot reach the Kafka brokers \\(${address}\\) within 2s — is the VPN connected\\? \\(.*ECONNREFUSED.*\\)$`));
    expect(r.err.join("\n")).not.toMatch(/\n\s+at /);
    expect(r.out).toEqual([]);
    expect(os.requests).toEqual([]);
  });

  it("a broker that accepts the connection and never answers: the same VPN line, after the timeout", async () => {
    const silent = net.createServer(() => undefined);
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const address = `127.0.0.1:${(silent.address() as net.AddressInfo).port}`;
    try {
      const r = await run({ kafkaBrokers: address, timeoutMs: 300 });
      expect(r.code).toBe(1);
      expect(r.err[0]).toMatch(new RegExp(`^error: cannot reach the Kafka brokers \\(${address}\\) within 0.3s — is the VPN connected\\? \\(.*timed out.*\\)$`));
      expect(os.requests).toEqual([]);
    } finally {
      silent.close();
    }
  });

  it("credentials that cannot sign a token: what to do, exit 1", async () => {
    let calls = 0;
    const credentials = async () => {
      // The up-front credential check passes; the token signer's call fails (an expired SSO session).
      if (calls++ > 0) throw new Error("The SSO session has expired");
      return CREDS;
    };
    const r = await run({}, { credentials });
    expect(r.code).toBe(1);
    expect(r.err[0]).toBe("error: could not sign the MSK IAM token (The SSO session has expired); sign in to AWS again (e.g. aws sso login)");
    expect(kafka.calls("SaslAuthenticate")).toEqual([]);
  });

  it("a broker certificate that is not trusted is refused (verification stays on)", async () => {
    const r = await run({}, { kafkaTls: { rejectUnauthorized: false } });
    expect(r.code).toBe(1);
    expect(r.err[0]).toMatch(/^error: the TLS certificate of the Kafka brokers \(127\.0\.0\.1:\d+\) was not accepted \((DEPTH_ZERO_SELF_SIGNED_CERT|SELF_SIGNED_CERT_IN_CHAIN|UNABLE_TO_VERIFY_LEAF_SIGNATURE)/);
    expect(kafka.requests).toEqual([]);
  });

  it("a provisioned plan (no kafka_topics) never talks to Kafka", async () => {
    const r = await run({ plan: makePlan(null), kafkaBrokers: undefined });
    expect(r.code).toBe(0);
    expect(kafka.requests).toEqual([]);
    expect(topicLines(r)).toEqual([]);
  });
});

describe("where the brokers come from", () => {
  let cwd: string;
  beforeEach(() => {
    cwd = mkdtempSync(path.join(tmpdir(), "kafka-topics-"));
    mkdirSync(path.join(cwd, "cdktf.out", "stacks", "dev"), { recursive: true });
  });
  afterEach(() => rmSync(cwd, { recursive: true, force: true }));

  it("reads the plan's Terraform output when --kafka-brokers is not given", async () => {
    const dirs: string[] = [];
    const r = await run(
      { kafkaBrokers: undefined },
      {
        cwd,
        terraformOutput: async (dir) => {
          dirs.push(dir);
          return JSON.stringify({ [BROKERS_OUTPUT]: { value: kafka.brokers }, opensearch_endpoint: { value: "unused" } });
        },
      },
    );
    expect(r.code).toBe(0);
    expect(dirs).toEqual([path.join(cwd, "cdktf.out", "stacks", "dev")]);
    expect(kafka.topics.size).toBe(3);
  });

  it("a stack without the output: what to do, exit 1", async () => {
    const r = await run({ kafkaBrokers: undefined }, { cwd, terraformOutput: async () => JSON.stringify({ other: { value: "x" } }) });
    expect(r.code).toBe(1);
    expect(r.err).toEqual([
      `error: Terraform output "${BROKERS_OUTPUT}" is missing in ${path.join(cwd, "cdktf.out", "stacks", "dev")}: deploy the stack first (cdktf deploy dev) or pass --kafka-brokers HOST:PORT,...`,
    ]);
    expect(kafka.requests).toEqual([]);
  });

  it("--kafka-brokers: parsed and checked as host:port; a bad one or one without Kafka topics is a usage error (exit 2)", async () => {
    expect(parseCliArgs(["--env", "dev", "--kafka-brokers", "b-1.example:9098, b-2.example:9098"])?.kafkaBrokers).toBe("b-1.example:9098, b-2.example:9098");
    const err: string[] = [];
    const code = await runCli(["--env", "dev", "--kafka-brokers", "b-1.example"], deps({ err: (l) => err.push(l) }));
    expect(code).toBe(2);
    expect(err[0]).toMatch(/^error: --kafka-brokers: "b-1\.example" is not a Kafka broker address \(expected host:port/);
    expect(err[0]).toContain("usage: npx tsx scripts/bootstrap-indexes.ts");
    const provisioned = await run({ plan: makePlan(null) });
    expect(provisioned.code).toBe(2);
    expect(provisioned.err).toEqual([
      "error: --kafka-brokers was given, but the plan has no kafka_topics (a provisioned cluster: Terraform creates its topics)",
    ]);
  });

  it("--help documents the flag", async () => {
    const out: string[] = [];
    expect(await runCli(["--help"], deps({ out: (l) => out.push(l) }))).toBe(0);
    expect(out.join("\n")).toMatch(/--kafka-brokers HOST:PORT,\.\.\.\n\s+MSK Serverless SASL\/IAM bootstrap brokers/);
  });
});

describe("the CLI as a child process", () => {
  it("creates the topics first, trusting the brokers' certificate through Node's own CA setting, nothing on stderr", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "kafka-cli-"));
    try {
      writeFileSync(path.join(dir, "plan.json"), JSON.stringify(makePlan()));
      writeFileSync(path.join(dir, "ca.pem"), cert.cert);
      const env: Record<string, string> = {};
      for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AWS_")) env[k] = v;
      Object.assign(env, {
        AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
        AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
        AWS_SESSION_TOKEN: CREDS.sessionToken,
        AWS_REGION: REGION,
        AWS_EC2_METADATA_DISABLED: "true",
        AWS_CONFIG_FILE: path.join(dir, "none"),
        AWS_SHARED_CREDENTIALS_FILE: path.join(dir, "none"),
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
        NODE_EXTRA_CA_CERTS: path.join(dir, "ca.pem"),
      });
      const script = path.resolve(__dirname, "..", "..", "scripts", "bootstrap-indexes.ts");
      const args = ["--import", "tsx", script, "--env", "dev", "--plan", path.join(dir, "plan.json"), "--endpoint", os.url, "--kafka-brokers", kafka.brokers];
      const r = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
        execFile(process.execPath, args, { env, timeout: 60_000 }, (error, stdout, stderr) =>
          resolve({ code: error ? Number(error.code ?? -1) : 0, stdout: String(stdout), stderr: String(stderr) }),
        );
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout.split("\n").slice(0, 2)).toEqual([
        "create kafka topic impressions (6 partitions, retention.ms=86400000 compression.type=zstd)",
        "kafka topic impressions: created",
      ]);
      expect([...kafka.topics.keys()].sort()).toEqual(["ad-tech-sink-dlq", "clicks", "impressions"]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("the kafka_topics contract", () => {
  const issues = (topics: unknown[]) =>
    PlanKafkaTopicsSchema.safeParse({ bootstrap_brokers_output: BROKERS_OUTPUT, topics }).error?.issues.map((i) => [i.path.join("."), i.message]);

  it("refuses a duplicate topic name, naming the second one", () => {
    expect(issues([TOPICS[0], TOPICS[0]])).toEqual([["topics.1.name", 'duplicate topic name "impressions"']]);
  });

  it("refuses zero partitions and a name Kafka would not take", () => {
    expect(issues([{ ...TOPICS[0], partitions: 0 }, { ...TOPICS[1], name: "a/b" }])?.map(([p]) => p)).toEqual([
      "topics.0.partitions",
      "topics.1.name",
    ]);
  });
});
