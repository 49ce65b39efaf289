/**
 * Bootstrap CLI against local stand-ins (no real OpenSearch or AWS on these machines): an in-memory
 * OpenSearch REST stand-in (sign-in, permissions, security API, settings as OpenSearch returns them)
 * and a Secrets Manager JSON-API stand-in (staging labels, deletion) used through the real AWS SDK.
 */
import { execFile, spawnSync } from "node:child_process";
import { createHash, createHmac } from "node:crypto";
import { mkdtempSync, rmSync, writeFileSync } from "node:fs";
import * as http from "node:http";
import type { AddressInfo } from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import { SecretsManagerClient } from "@aws-sdk/client-secrets-manager";
import { afterEach, beforeEach, describe, expect, it } from "vitest";
import { HttpStatusError, OpenSearchClient } from "../../scripts/bootstrap/client";
import { normalizeEndpoint, runTerraformOutput } from "../../scripts/bootstrap/endpoint";
import { BootstrapPlanSchema, type BootstrapPlan } from "../../modules/search/bootstrap-plan";
import { runBootstrap, type BootstrapDeps, type BootstrapOptions } from "../../scripts/bootstrap/run";
import { generatePassword, secretsManagerStore } from "../../scripts/bootstrap/secrets";
import { importForm } from "../../scripts/bootstrap/saved-objects";
import { SINK_CLUSTER_PERMISSIONS, SINK_INDEX_ACTIONS } from "../../scripts/bootstrap/sinks";
import { OpenSearchStandin } from "../support/opensearch-standin";
import { SecretsStandin } from "../support/secrets-standin";

const ROOT = path.resolve(__dirname, "..", "..");
const REGION = "ap-southeast-2";
const SECRET_ID = "ad-tech-dev/msk-connect/ad-tech-sink/opensearch";
const MASTER = "ad-tech-dev-master";
const MASTER_SECRET = "ad-tech-dev/opensearch/master";
const INITIAL = "Initial-Throwaway-Passw0rd!";
const ALICE_SECRET = "ad-tech-dev/opensearch/dashboards/alice";
const DEPLOYER = "arn:aws:iam::123456789012:role/Deployer";
const ADMIN = "arn:aws:iam::123456789012:role/Admin";
const ANALYST = "arn:aws:iam::123456789012:role/Analyst";
const CREDS = { accessKeyId: "AKIDEXAMPLE", secretAccessKey: "wJalrXUtnFEMI/K7MDENG+bPxRfiCYEXAMPLEKEY", sessionToken: "FAKE-SESSION-TOKEN" };
const SINK_USER = "ad-tech-dev-ad-tech-sink";

function makePlan(overrides: Partial<BootstrapPlan> = {}): BootstrapPlan {
  return BootstrapPlanSchema.parse({
    environment: "dev",
    region: REGION,
    stack_dir: "cdktf.out/stacks/dev",
    endpoint_output: "opensearch_endpoint",
    master: { domain_name: "ad-tech-dev-search", username: MASTER, secret_id: MASTER_SECRET, initial_stage: "TERRAFORM_INITIAL" },
    access: { admin_backend_roles: [ADMIN], reader_backend_roles: [ANALYST], reader_role: "ad-tech-dev-read-only", audit_logs: true },
    dashboards_users: [{ username: "alice", role: "reader", secret_id: ALICE_SECRET }],
    indexes: [
      {
        name: "impressions",
        topic: "impressions",
        body: {
          settings: { index: { number_of_shards: 1, number_of_replicas: 1 } },
          mappings: {
            dynamic: "true",
            properties: {
              bid_id: { type: "text" },
              creative_details: { properties: { size: { type: "keyword" }, format: { type: "keyword" } } },
              tracker: { type: "keyword" },
              created_at: { type: "date", format: "yyyy-MM-dd HH:mm:ss" },
            },
          },
          aliases: { "impressions-read": {} },
        },
      },
      {
        name: "clicks",
        topic: "clicks",
        body: {
          settings: { index: { number_of_shards: 1, number_of_replicas: 1 } },
          mappings: {
            properties: {
              correlation_id: { type: "keyword" },
              created_at: { type: "date", format: "yyyy-MM-dd HH:mm:ss" },
            },
          },
        },
      },
    ],
    sinks: [
      {
        connector: "ad-tech-sink",
        username: SINK_USER,
        role: SINK_USER,
        secret_id: SECRET_ID,
        index_patterns: ["impressions", "clicks"],
      },
    ],
    ...overrides,
  });
}

let os: OpenSearchStandin;
let sm: SecretsStandin;
let sleeps: number[];
let initialVersion: string;

function newDomain(options: ConstructorParameters<typeof OpenSearchStandin>[0] = {}): OpenSearchStandin {
  return new OpenSearchStandin({ master: { username: MASTER, password: INITIAL }, iamIdentities: { [CREDS.accessKeyId]: DEPLOYER }, ...options });
}

beforeEach(async () => {
  os = await newDomain().start();
  sm = await new SecretsStandin().start();
  // As Terraform leaves them: the master's first version, the other secrets empty.
  initialVersion = sm.createWith(MASTER_SECRET, JSON.stringify({ username: MASTER, password: INITIAL }), ["AWSCURRENT", "TERRAFORM_INITIAL"]);
  sm.createEmpty(SECRET_ID);
  sm.createEmpty(ALICE_SECRET);
  sleeps = [];
});

afterEach(async () => {
  await os.stop();
  await sm.stop();
});

interface RunResult {
  code: number;
  out: string[];
  err: string[];
}

async function run(options: Partial<BootstrapOptions> = {}, deps: Partial<BootstrapDeps> = {}): Promise<RunResult> {
  const out: string[] = [];
  const err: string[] = [];
  const code = await runBootstrap(
    { env: "dev", plan: makePlan(), timeoutMs: 2000, ...options },
    {
      baseUrl: os.url,
      credentials: async () => CREDS,
      secrets: (region) =>
        secretsManagerStore(new SecretsManagerClient({ region, endpoint: sm.url, credentials: CREDS, maxAttempts: 1 })),
      terraformOutput: async () => {
        throw new Error("terraform must not be called when baseUrl is injected");
      },
      sleep: async (ms) => {
        sleeps.push(ms);
      },
      random: () => 0.5,
      retry: { attempts: 5, baseDelayMs: 10, maxDelayMs: 40 },
      out: (l) => out.push(l),
      err: (l) => err.push(l),
      cwd: ROOT,
      ...deps,
    },
  );
  return { code, out, err };
}

const masterPassword = (stage = "AWSCURRENT"): string => (JSON.parse(sm.current(MASTER_SECRET, stage)!) as { password: string }).password;
const line = (r: RunResult, start: string): string | undefined => r.out.find((l) => l.startsWith(start));

const count = (method: string, p: string | RegExp): number =>
  os.requests.filter((r) => r.method === method && (typeof p === "string" ? r.path === p : p.test(r.path))).length;

describe("indexes", () => {
  it("creates missing indexes with exactly the plan's settings, mappings and aliases", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.out).toContain("impressions: created");
    expect(r.out).toContain("clicks: created");
    const plan = makePlan();
    for (const index of plan.indexes) {
      const put = os.requests.find((q) => q.method === "PUT" && q.path === `/${index.name}`);
      expect(JSON.parse(put!.body)).toEqual(index.body);
      expect(put!.headers["content-type"]).toBe("application/json");
    }
    const live = os.indexes.get("impressions")!;
    expect(live.mappings).toEqual(plan.indexes[0]!.body.mappings);
    expect(live.aliases).toEqual({ "impressions-read": {} });
    // OpenSearch's shape: strings, plus what it adds itself.
    expect(live.settings.index).toMatchObject({ number_of_shards: "1", number_of_replicas: "1", provided_name: "impressions" });
    expect(Object.keys(live.settings.index as object)).toEqual(
      expect.arrayContaining(["uuid", "creation_date", "provided_name", "version"]),
    );
  });

  it("a second run with nothing changed makes no write calls", async () => {
    expect((await run()).code).toBe(0);
    const before = os.requests.length;
    const putsBefore = sm.requests.filter((q) => q.target.endsWith("PutSecretValue")).length;
    const r = await run();
    expect(r.code).toBe(0);
    const second = os.requests.slice(before);
    expect(second.length).toBeGreaterThan(0);
    expect(second.filter((q) => q.method !== "GET")).toEqual([]);
    expect(sm.requests.filter((q) => q.target.endsWith("PutSecretValue")).length).toBe(putsBefore);
    expect(r.out).toEqual([
      `master ${MASTER}: up to date (break-glass password in secret ${MASTER_SECRET})`,
      "dashboards user alice: user up to date (reader)",
      `access: all_access mapping (2 IAM role(s), 1 user(s)) up to date, role ad-tech-dev-read-only up to date, ad-tech-dev-read-only mapping (1 IAM role(s), 1 user(s)) up to date, audit logging on (you are ${DEPLOYER})`,
      "impressions: up to date",
      "clicks: up to date",
      "sink ad-tech-sink: user up to date, role up to date, mapping up to date",
    ]);
  });

  it("adds only the new fields (including an object's new sub-property) with PUT _mapping", async () => {
    os.seedIndex("impressions", {
      mappings: {
        dynamic: "true",
        properties: {
          bid_id: { type: "text" },
          creative_details: { properties: { format: { type: "keyword" } } },
          created_at: { type: "date", format: "yyyy-MM-dd HH:mm:ss" },
          seen_by_dynamic_mapping: { type: "long" },
        },
      },
      aliases: { "impressions-read": {} },
    });
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.out).toContain("impressions: added fields creative_details.size, tracker");
    const puts = os.requests.filter((q) => q.method === "PUT" && q.path.startsWith("/impressions"));
    expect(puts.map((q) => q.path)).toEqual(["/impressions/_mapping"]);
    expect(JSON.parse(puts[0]!.body)).toEqual({
      properties: { creative_details: { properties: { size: { type: "keyword" } } }, tracker: { type: "keyword" } },
    });
    // The field the plan does not know about is left alone.
    const props = os.indexes.get("impressions")!.mappings.properties as Record<string, unknown>;
    expect(props.seen_by_dynamic_mapping).toEqual({ type: "long" });
  });

  it("adds a missing alias with POST /_aliases", async () => {
    os.seedIndex("impressions", { mappings: makePlan().indexes[0]!.body.mappings as Record<string, unknown> });
    const r = await run();
    expect(r.out).toContain("impressions: added aliases impressions-read");
    const post = os.requests.find((q) => q.method === "POST" && q.path === "/_aliases");
    expect(JSON.parse(post!.body)).toEqual({ actions: [{ add: { index: "impressions", alias: "impressions-read" } }] });
  });

  it("a changed field type fails that index (exit 1), names index, field, old and new type, and leaves it untouched", async () => {
    const seeded = {
      mappings: { properties: { bid_id: { type: "text" }, created_at: { type: "keyword" } } },
      aliases: {},
    };
    os.seedIndex("impressions", seeded);
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "impressions: FAILED — field created_at: type keyword -> date (existing index not changed; reindex by hand)",
    );
    expect(os.requests.filter((q) => q.method !== "GET" && q.path.startsWith("/impressions"))).toEqual([]);
    expect(os.requests.filter((q) => q.path === "/_aliases")).toEqual([]);
    expect(os.indexes.get("impressions")).toMatchObject(seeded);
    // The other index and the sink still go ahead.
    expect(r.out).toContain("clicks: created");
    expect(r.out.some((l) => l.startsWith("sink ad-tech-sink: user created"))).toBe(true);
  });

  it("a changed date format is a conflict too", async () => {
    os.seedIndex("clicks", { mappings: { properties: { created_at: { type: "date", format: "epoch_millis" } } } });
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      "clicks: FAILED — field created_at: format epoch_millis -> yyyy-MM-dd HH:mm:ss (existing index not changed; reindex by hand)",
    );
  });
});

describe("Dashboards saved objects", () => {
  const PATTERN = { type: "index-pattern", id: "clicks-pattern", attributes: { title: "clicks*", timeFieldName: "created_at" }, references: [] };
  const DASH = {
    type: "dashboard",
    id: "ad-tech",
    attributes: { title: "Ad tech", panelsJSON: "[]" },
    references: [{ name: "p", type: "index-pattern", id: "clicks-pattern" }],
  };
  const entry = (objects: object[] = [PATTERN, DASH]) => ({
    file: "dashboards/ad-tech.ndjson",
    ndjson: `${objects.map((o) => JSON.stringify(o)).join("\n")}\n`,
    objects: objects.map((o) => ({ type: (o as { type: string }).type, id: (o as { id: string }).id })),
  });
  const withObjects = (objects?: object[]) => makePlan({ dashboards_saved_objects: [entry(objects)] });
  const imports = () => os.requests.filter((q) => q.method === "POST" && q.path.startsWith("/_dashboards/api/saved_objects/_import"));

  it("imports them into the Global tenant as the master, with Dashboards' xsrf header and an .ndjson file part", async () => {
    const r = await run({ plan: withObjects() });
    expect(r.code).toBe(0);
    expect(line(r, "dashboards objects dashboards/ad-tech.ndjson:")).toBe("dashboards objects dashboards/ad-tech.ndjson: imported 2 (2 new)");
    const [req] = imports();
    expect(req.path).toBe("/_dashboards/api/saved_objects/_import?overwrite=true");
    expect(req.headers["osd-xsrf"]).toBe("true");
    expect(String(req.headers.authorization)).toMatch(/^Basic /);
    expect(os.savedObjects.get("global")?.get("dashboard/ad-tech")?.attributes).toEqual(DASH.attributes);
    expect(os.savedObjects.get("(default)")?.size ?? 0).toBe(0);
  });

  it("a second run changes nothing; a changed object is re-imported, overwriting it", async () => {
    await run({ plan: withObjects() });
    const again = await run({ plan: withObjects() });
    expect(line(again, "dashboards objects")).toBe("dashboards objects dashboards/ad-tech.ndjson: up to date (2)");
    expect(imports()).toHaveLength(1);
    const changed = { ...DASH, attributes: { ...DASH.attributes, title: "Ad tech v2" } };
    const third = await run({ plan: withObjects([PATTERN, changed]) });
    expect(line(third, "dashboards objects")).toBe("dashboards objects dashboards/ad-tech.ndjson: imported 2 (1 changed (dashboard/ad-tech))");
    expect(os.savedObjects.get("global")?.get("dashboard/ad-tech")?.attributes).toEqual(changed.attributes);
  });

  it("--dry-run says what it would import and writes nothing", async () => {
    const r = await run({ plan: withObjects(), dryRun: true });
    expect(r.code).toBe(0);
    expect(r.out).toContain("[dry-run] would import dashboards/ad-tech.ndjson: 2 new");
    expect(imports()).toHaveLength(0);
  });

  it("the stand-in refuses what Dashboards refuses: no osd-xsrf header, a file part not named .ndjson", async () => {
    const auth = { authorization: `Basic ${Buffer.from(`${MASTER}:${INITIAL}`).toString("base64")}` };
    const form = (name: string) => importForm(name, `${JSON.stringify(PATTERN)}\n`, "b0undary");
    const post = (headers: Record<string, string>, body: string) =>
      fetch(`${os.url}/_dashboards/api/saved_objects/_import?overwrite=true`, { method: "POST", headers: { ...auth, "content-type": "multipart/form-data; boundary=b0undary", ...headers }, body });
    const noXsrf = await post({}, form("a.ndjson"));
    expect([noXsrf.status, ((await noXsrf.json()) as { message: string }).message]).toEqual([400, "Request must contain a osd-xsrf header."]);
    const json = await post({ "osd-xsrf": "true" }, form("a.json"));
    expect([json.status, ((await json.json()) as { message: string }).message]).toEqual([400, "Invalid file extension .json"]);
    const ok = await post({ "osd-xsrf": "true" }, form("a.ndjson"));
    expect(((await ok.json()) as { success: boolean }).success).toBe(true);
  });

  it("an import Dashboards refuses is a failed step, and the run exits 1 after the other steps", async () => {
    os.failNext({ method: "POST", path: /_import/, status: 200, times: 1, body: { success: false, successCount: 0, errors: [{ type: "dashboard", id: "ad-tech", error: { type: "missing_references" } }] } });
    const r = await run({ plan: withObjects() });
    expect(r.code).toBe(1);
    expect(line(r, "dashboards objects")).toBe("dashboards objects dashboards/ad-tech.ndjson: FAILED — import not successful (1 error(s): dashboard/ad-tech: missing_references)");
    expect(r.out).toContain("clicks: created");
  });
});

describe("retries and reachability", () => {
  it("retries a 429 and then succeeds", async () => {
    os.failNext({ method: "GET", path: "/impressions", status: 429, times: 1 });
    const r = await run();
    expect(r.code).toBe(0);
    expect(count("GET", "/impressions")).toBe(2);
    expect(r.out).toContain("impressions: created");
    expect(sleeps).toEqual([5]); // full jitter: random 0.5 x base 10 ms
    expect(r.err.some((l) => l.includes("retrying GET /impressions: HTTP 429 (attempt 2/5"))).toBe(true);
  });

  it("gives up on a 500 after the bounded number of attempts and reports the failure", async () => {
    os.failNext({ method: "PUT", path: "/impressions", status: 500, times: 1000 });
    const r = await run();
    expect(r.code).toBe(1);
    expect(count("PUT", "/impressions")).toBe(5);
    expect(r.out.find((l) => l.startsWith("impressions: FAILED"))).toMatch(/PUT \/impressions returned HTTP 500 after 5 attempts/);
    expect(sleeps).toEqual([5, 10, 20, 20]); // doubling, capped at maxDelayMs 40 (x 0.5 jitter)
    expect(r.out).toContain("clicks: created");
  });

  it("does not retry a 4xx other than 429", async () => {
    os.failNext({ method: "GET", path: "/clicks", status: 403, times: 1 });
    const r = await run();
    expect(r.code).toBe(1);
    expect(count("GET", "/clicks")).toBe(1);
    expect(r.out.find((l) => l.startsWith("clicks: FAILED"))).toMatch(/HTTP 403.*is your IAM role mapped\?/);
  });

  it("an unreachable endpoint stops early with 'is the VPN connected?'", async () => {
    const closed = http.createServer();
    await new Promise<void>((resolve) => closed.listen(0, "127.0.0.1", resolve));
    const port = (closed.address() as AddressInfo).port;
    await new Promise<void>((resolve) => closed.close(() => resolve()));
    const started = Date.now();
    const r = await run({ timeoutMs: 500 }, { baseUrl: `http://127.0.0.1:${port}` });
    expect(r.code).toBe(1);
    expect(r.err.join("\n")).toContain(`cannot reach http://127.0.0.1:${port} within 0.5s — is the VPN connected?`);
    expect(r.out).toEqual([]); // stopped before any user, index or sink
    expect(sm.requests.map((q) => q.target)).toEqual(["secretsmanager.DescribeSecret", "secretsmanager.GetSecretValue"]);
    expect(Date.now() - started).toBeLessThan(5000);
  });
  it("a server that accepts but never answers at all is unreachable too (a black-holed VPN route looks like this)", async () => {
    const silent = http.createServer(() => {
      /* never answers */
    });
    await new Promise<void>((resolve) => silent.listen(0, "127.0.0.1", resolve));
    const port = (silent.address() as AddressInfo).port;
    try {
      const started = Date.now();
      const r = await run({ timeoutMs: 150 }, { baseUrl: `http://127.0.0.1:${port}` });
      expect(r.code).toBe(1);
      expect(r.err.join("\n")).toContain(`cannot reach http://127.0.0.1:${port} within 0.2s — is the VPN connected? (no answer)`);
      expect(r.out).toEqual([]);
      expect(Date.now() - started).toBeLessThan(5000);
    } finally {
      silent.closeAllConnections();
      await new Promise<void>((resolve) => silent.close(() => resolve()));
    }
  });

  it("a read that hangs once the domain has answered is retried, then fails that index only (bounded)", async () => {
    os.failNext({ method: "GET", path: "/impressions", status: 0, hang: true, times: 2 });
    const started = Date.now();
    const r = await run({ timeoutMs: 300 }, { retry: { attempts: 2, baseDelayMs: 1, maxDelayMs: 1 } });
    expect(r.code).toBe(1);
    expect(line(r, "impressions:")).toBe("impressions: FAILED — GET /impressions failed after 2 attempt(s): no response within 300 ms");
    expect(line(r, "clicks:")).toBe("clicks: created");
    expect(Date.now() - started).toBeLessThan(10_000);
  });
});

describe("SigV4", () => {
  it("signs each request for service es in the plan's region, verifiable independently", async () => {
    await run();
    const req = os.requests.find((q) => q.method === "PUT" && q.path === "/impressions")!;
    const h = req.headers;
    const amzDate = String(h["x-amz-date"]);
    expect(amzDate).toMatch(/^\d{8}T\d{6}Z$/);
    const day = amzDate.slice(0, 8);
    expect(h["x-amz-security-token"]).toBe(CREDS.sessionToken);
    const payloadHash = createHash("sha256").update(req.body).digest("hex");
    expect(h["x-amz-content-sha256"]).toBe(payloadHash);

    const auth = String(h.authorization);
    const m = /^AWS4-HMAC-SHA256 Credential=([^,]+), SignedHeaders=([^,]+), Signature=([0-9a-f]{64})$/.exec(auth);
    expect(m).not.toBeNull();
    const [, credential, signedHeaders, signature] = m!;
    expect(credential).toBe(`${CREDS.accessKeyId}/${day}/${REGION}/es/aws4_request`);
    const signed = signedHeaders!.split(";");
    for (const must of ["host", "x-amz-date", "x-amz-content-sha256", "x-amz-security-token", "content-type"]) {
      expect(signed).toContain(must);
    }

    // Recompute from the recorded request with the static secret key.
    const canonicalHeaders = signed.map((name) => `${name}:${String(h[name]).trim().replace(/\s+/g, " ")}\n`).join("");
    const canonicalRequest = ["PUT", "/impressions", "", canonicalHeaders, signedHeaders, payloadHash].join("\n");
    const scope = `${day}/${REGION}/es/aws4_request`;
    const stringToSign = [
      "AWS4-HMAC-SHA256",
      amzDate,
      scope,
      createHash("sha256").update(canonicalRequest).digest("hex"),
    ].join("\n");
    const hmac = (key: Buffer | string, data: string): Buffer => createHmac("sha256", key).update(data).digest();
    let key = hmac(`AWS4${CREDS.secretAccessKey}`, day);
    for (const part of [REGION, "es", "aws4_request"]) key = hmac(key, part);
    expect(createHmac("sha256", key).update(stringToSign).digest("hex")).toBe(signature);

    // Index requests are signed; security API requests sign in as the master instead.
    for (const q of os.requests) {
      const auth = String(q.headers.authorization);
      if (q.path.startsWith("/_plugins/_security/api") || (q.path === "/_plugins/_security/authinfo" && auth.startsWith("Basic "))) {
        expect(auth).toMatch(/^Basic /);
      } else {
        expect(auth).toMatch(/^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE\//);
      }
    }
  });
});

describe("sinks", () => {
  const USER = "ad-tech-dev-ad-tech-sink";
  const storedSecret = (): { username: string; password: string } => JSON.parse(sm.current(SECRET_ID)!);

  it("creates user, role and mapping once, with the role limited to the sink's index patterns; a re-run writes nothing", async () => {
    const r = await run();
    expect(r.out).toContain(
      `sink ad-tech-sink: user created, role created, mapping created, password stored in secret ${SECRET_ID}`,
    );
    expect(count("PUT", `/_plugins/_security/api/internalusers/${USER}`)).toBe(1);
    const rolePut = os.requests.find((q) => q.method === "PUT" && q.path === `/_plugins/_security/api/roles/${USER}`)!;
    expect(JSON.parse(rolePut.body)).toEqual({
      cluster_permissions: [...SINK_CLUSTER_PERMISSIONS],
      index_permissions: [{ index_patterns: ["impressions", "clicks"], allowed_actions: [...SINK_INDEX_ACTIONS] }],
    });
    const mappingPut = os.requests.find((q) => q.method === "PUT" && q.path === `/_plugins/_security/api/rolesmapping/${USER}`)!;
    expect(JSON.parse(mappingPut.body)).toEqual({ users: [USER], backend_roles: [], hosts: [] });

    const before = os.requests.length;
    const again = await run();
    expect(again.code).toBe(0);
    expect(os.requests.slice(before).filter((q) => q.method !== "GET")).toEqual([]);
    expect(again.out).toContain("sink ad-tech-sink: user up to date, role up to date, mapping up to date");
  });

  it("updates a role that grants more than the sink needs, and a mapping with extra members", async () => {
    os.roles.set(USER, {
      cluster_permissions: ["cluster_all"],
      index_permissions: [{ index_patterns: ["*"], allowed_actions: ["indices_all"], fls: [], masked_fields: [] }],
      tenant_permissions: [],
    });
    os.rolesmapping.set(USER, { users: [USER, "someone-else"], backend_roles: [], hosts: [] });
    const r = await run();
    expect(r.out.find((l) => l.startsWith("sink"))).toMatch(/role updated, mapping updated/);
    expect(os.roles.get(USER)!.index_permissions).toEqual([
      { index_patterns: ["impressions", "clicks"], allowed_actions: [...SINK_INDEX_ACTIONS], fls: [], masked_fields: [] },
    ]);
    expect(os.rolesmapping.get(USER)!.users).toEqual([USER]);
  });

  it("stores username+password in the secret first, sets the same password on the user, and never prints it", async () => {
    const r = await run();
    const secret = storedSecret();
    expect(secret.username).toBe(USER);
    expect(secret.password).toMatch(/^.{32}$/);
    expect(secret.password).toMatch(/[A-Z]/);
    expect(secret.password).toMatch(/[a-z]/);
    expect(secret.password).toMatch(/[0-9]/);
    expect(secret.password).toMatch(/[^A-Za-z0-9]/);
    expect(os.passwords.get(USER)).toBe(secret.password);
    // Secret written before the internal user.
    const targets = sm.requests.filter((q) => q.body.SecretId === SECRET_ID).map((q) => q.target);
    expect(targets).toEqual(["secretsmanager.GetSecretValue", "secretsmanager.PutSecretValue"]);
    const again = await run({ dryRun: true });
    const printed = [...r.out, ...r.err, ...again.out, ...again.err].join("\n");
    expect(printed).not.toContain(secret.password);
  });

  it("recreates a deleted user with the stored password (no new secret version)", async () => {
    await run();
    const { password } = storedSecret();
    os.users.delete(USER);
    os.passwords.delete(USER);
    const r = await run();
    expect(r.out.find((l) => l.startsWith("sink"))).toBe("sink ad-tech-sink: user created, role up to date, mapping up to date");
    expect(os.passwords.get(USER)).toBe(password);
    expect(sm.versionCount(SECRET_ID)).toBe(1);
  });

  it("--rotate changes the password in both the secret and the user", async () => {
    await run();
    const first = storedSecret().password;
    const r = await run({ rotate: true });
    expect(r.code).toBe(0);
    const second = storedSecret().password;
    expect(second).not.toBe(first);
    expect(os.passwords.get(USER)).toBe(second);
    expect(sm.versionCount(SECRET_ID)).toBe(2);
    expect(r.out.find((l) => l.startsWith("sink"))).toBe(
      `sink ad-tech-sink: password rotated, role up to date, mapping up to date, password stored in secret ${SECRET_ID}`,
    );
    expect([...r.out, ...r.err].join("\n")).not.toContain(second);
  });

  it("reports a secret Terraform has not created (sink fails, exit 1, nothing written for it)", async () => {
    await sm.stop();
    sm = await new SecretsStandin().start(); // only the master's secret
    sm.createWith(MASTER_SECRET, JSON.stringify({ username: MASTER, password: INITIAL }), ["AWSCURRENT", "TERRAFORM_INITIAL"]);
    sm.createEmpty(ALICE_SECRET);
    const r = await run();
    expect(r.code).toBe(1);
    expect(r.out.find((l) => l.startsWith("sink"))).toMatch(/FAILED — cannot store the password in secret .*deploy the stack first/);
    expect(count("PUT", new RegExp(`internalusers/${SINK_USER}`))).toBe(0);
  });
});

describe("--dry-run", () => {
  it("makes no writes and prints one line per action", async () => {
    os.seedIndex("clicks", { mappings: { properties: { created_at: { type: "date", format: "yyyy-MM-dd HH:mm:ss" } } } });
    const r = await run({ dryRun: true, rotate: true });
    expect(r.code).toBe(0);
    expect(os.writes).toEqual([]);
    expect(sm.requests.map((q) => q.target).filter((t) => !/GetSecretValue|DescribeSecret/.test(t))).toEqual([]);
    expect(sm.current(SECRET_ID)).toBeUndefined();
    expect(sm.stages(MASTER_SECRET)).toEqual({ [initialVersion]: ["AWSCURRENT", "TERRAFORM_INITIAL"] });
    expect(os.passwords.get(MASTER)).toBe(INITIAL);
    expect(r.out).toEqual([
      `[dry-run] master ${MASTER}: would rotate the initial password (Terraform's, in state) into secret ${MASTER_SECRET} (value not shown)`,
      `[dry-run] dashboards user alice: would generate a password and store it in secret ${ALICE_SECRET} (value not shown)`,
      "[dry-run] dashboards user alice: would create internal user alice",
      "[dry-run] access: would update all_access mapping (2 IAM role(s), 1 user(s))",
      "[dry-run] access: would create role ad-tech-dev-read-only",
      "[dry-run] access: would create ad-tech-dev-read-only mapping (1 IAM role(s), 1 user(s))",
      "[dry-run] access: would turn audit logging on",
      "[dry-run] impressions: would create index (PUT /impressions)",
      "[dry-run] clicks: would add fields correlation_id (PUT /clicks/_mapping)",
      `[dry-run] sink ad-tech-sink: would generate a password and store it in secret ${SECRET_ID} (value not shown)`,
      "[dry-run] sink ad-tech-sink: would create internal user ad-tech-dev-ad-tech-sink",
      "[dry-run] sink ad-tech-sink: would create role ad-tech-dev-ad-tech-sink",
      "[dry-run] sink ad-tech-sink: would create role mapping ad-tech-dev-ad-tech-sink -> ad-tech-dev-ad-tech-sink",
    ]);
  });
});

/** A `_bulk` request as the sink connector sends it: basic auth as its internal user. */
async function sinkBulk(domain: OpenSearchStandin, username: string, password: string, index = "impressions"): Promise<{ status: number; body: any }> {
  const res = await fetch(`${domain.url}/_bulk`, {
    method: "POST",
    headers: { authorization: `Basic ${Buffer.from(`${username}:${password}`).toString("base64")}`, "content-type": "application/x-ndjson" },
    body: `${JSON.stringify({ index: { _index: index } })}\n${JSON.stringify({ bid_id: "b-1" })}\n`,
  });
  return { status: res.status, body: await res.json() };
}

describe("master: rotated out of Terraform's state, crash-safely", () => {
  it("first run: a new password goes to AWSPENDING, is set through the account API, then becomes AWSCURRENT; the initial version keeps its label", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(line(r, "master")).toBe(`master ${MASTER}: rotated the initial password (Terraform's, in state) into secret ${MASTER_SECRET} (AWSCURRENT)`);
    const rotated = masterPassword();
    expect(rotated).not.toBe(INITIAL);
    expect(os.passwords.get(MASTER)).toBe(rotated);
    const stages = sm.stages(MASTER_SECRET);
    expect(stages[initialVersion]).toEqual(["TERRAFORM_INITIAL", "AWSPREVIOUS"]);
    expect(Object.values(stages).filter((st) => st.includes("AWSPENDING"))).toEqual([]);
    // The order that makes a crash at any step survivable.
    const writes = sm.requests.filter((q) => q.body.SecretId === MASTER_SECRET && !/Describe|GetSecretValue/.test(q.target));
    expect(writes.map((q) => [q.target, q.body.VersionStages ?? q.body.VersionStage])).toEqual([
      ["secretsmanager.PutSecretValue", ["AWSPENDING"]],
      ["secretsmanager.UpdateSecretVersionStage", "AWSCURRENT"],
      ["secretsmanager.UpdateSecretVersionStage", "AWSPENDING"],
    ]);
    const account = os.requests.filter((q) => q.path === "/_plugins/_security/api/account");
    expect(account).toHaveLength(1);
    expect(JSON.parse(account[0]!.body)).toEqual({ current_password: INITIAL, password: rotated });
    expect([...r.out, ...r.err].join("\n")).not.toContain(rotated);
    // A second run leaves it alone.
    const again = await run();
    expect(line(again, "master")).toBe(`master ${MASTER}: up to date (break-glass password in secret ${MASTER_SECRET})`);
    expect(masterPassword()).toBe(rotated);
  });

  it("a crash before the password change (after AWSPENDING was written) leaves AWSCURRENT working; the next run finishes", async () => {
    os.failNext({ method: "PUT", path: "/_plugins/_security/api/account", status: 503, times: 5 });
    const crashed = await run();
    expect(crashed.code).toBe(1);
    expect(line(crashed, "master")).toMatch(/^master ad-tech-dev-master: FAILED — PUT \/_plugins\/_security\/api\/account returned HTTP 503 after 5 attempts/);
    expect(crashed.err).toContain("the master user cannot sign in, so nothing else was changed; fix the line above and re-run");
    expect(os.indexes.size).toBe(0);
    expect(os.passwords.get(MASTER)).toBe(INITIAL); // AWSCURRENT still signs in
    const pending = masterPassword("AWSPENDING");
    const r = await run();
    expect(r.code).toBe(0);
    expect(line(r, "master")).toBe(
      `master ${MASTER}: finished an interrupted rotation (password set, AWSPENDING promoted to AWSCURRENT in secret ${MASTER_SECRET})`,
    );
    expect(masterPassword()).toBe(pending);
    expect(os.passwords.get(MASTER)).toBe(pending);
    expect(sm.current(MASTER_SECRET, "AWSPENDING")).toBeUndefined();
  });

  it("a crash after the password change (before AWSCURRENT moved) leaves AWSPENDING working; the next run promotes it", async () => {
    sm.failNext("UpdateSecretVersionStage");
    const crashed = await run();
    expect(crashed.code).toBe(1);
    expect(line(crashed, "master")).toMatch(/FAILED — cannot move AWSCURRENT in secret ad-tech-dev\/opensearch\/master/);
    const pending = masterPassword("AWSPENDING");
    expect(os.passwords.get(MASTER)).toBe(pending);
    expect(masterPassword()).toBe(INITIAL);
    const r = await run();
    expect(r.code).toBe(0);
    expect(line(r, "master")).toBe(`master ${MASTER}: finished an interrupted rotation (AWSPENDING promoted to AWSCURRENT in secret ${MASTER_SECRET})`);
    expect(masterPassword()).toBe(pending);
    expect(os.requests.filter((q) => q.path === "/_plugins/_security/api/account")).toHaveLength(1);
  });

  it("a crash after AWSCURRENT moved (before AWSPENDING was dropped): the next run only drops the label", async () => {
    await run();
    const rotated = masterPassword();
    const ids = Object.keys(sm.stages(MASTER_SECRET));
    const current = ids.find((id) => sm.stages(MASTER_SECRET)[id]!.includes("AWSCURRENT"))!;
    // Put AWSPENDING back on the current version, as a crash between the two label calls leaves it.
    const client = new SecretsManagerClient({ region: REGION, endpoint: sm.url, credentials: CREDS, maxAttempts: 1 });
    const { UpdateSecretVersionStageCommand } = await import("@aws-sdk/client-secrets-manager");
    await client.send(new UpdateSecretVersionStageCommand({ SecretId: MASTER_SECRET, VersionStage: "AWSPENDING", MoveToVersionId: current }));
    const r = await run();
    expect(r.code).toBe(0);
    expect(line(r, "master")).toBe(`master ${MASTER}: up to date (break-glass password in secret ${MASTER_SECRET})`);
    expect(sm.stages(MASTER_SECRET)[current]).toEqual(["AWSCURRENT"]);
    expect(masterPassword()).toBe(rotated);
  });

  it("detects and repairs a reset to the initial password (Terraform re-sent advanced_security_options)", async () => {
    await run();
    const rotated = masterPassword();
    os.resetPassword(MASTER, INITIAL); // what UpdateDomainConfig with the state's password does
    const r = await run();
    expect(r.code).toBe(0);
    expect(line(r, "master")).toBe(
      `master ${MASTER}: repaired a reset (the domain had the TERRAFORM_INITIAL password; set back to AWSCURRENT of secret ${MASTER_SECRET})`,
    );
    expect(os.passwords.get(MASTER)).toBe(rotated);
    expect(masterPassword()).toBe(rotated);
  });

  it("no version signs in: one clear line with the repair command, exit 1, nothing else touched", async () => {
    os.resetPassword(MASTER, "Someone-Else-Set-This-1!");
    const r = await run();
    expect(r.code).toBe(1);
    expect(line(r, "master")).toBe(
      `master ${MASTER}: FAILED — no version of secret ${MASTER_SECRET} signs in (HTTP 401). Either the domain's internal user database is off ` +
        `(apply the stack first), or the master password was changed outside Terraform and the bootstrap: set it to the secret's AWSCURRENT value ` +
        `with "aws opensearch update-domain-config --domain-name ad-tech-dev-search --advanced-security-options ` +
        `'MasterUserOptions={MasterUserName=${MASTER},MasterUserPassword=<AWSCURRENT password>}'", then re-run`,
    );
    expect(os.writes).toEqual([]);
    expect(sm.requests.filter((q) => !/Describe|GetSecretValue/.test(q.target))).toEqual([]);
  });

  it("a master secret scheduled for deletion: one clear line, exit 1, nothing changed", async () => {
    sm.scheduleDeletion(MASTER_SECRET);
    const r = await run();
    expect(r.code).toBe(1);
    expect(line(r, "master")).toBe(
      `master ${MASTER}: FAILED — cannot describe secret ${MASTER_SECRET}: InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion. ` +
        `(the secret is scheduled for deletion: restore it with "aws secretsmanager restore-secret --secret-id ${MASTER_SECRET}", then re-run)`,
    );
    expect(os.writes).toEqual([]);
  });

  it("wrong AWS credentials: the access step says so in one line, the indexes are still set up as the master", async () => {
    const r = await run({}, { credentials: async () => ({ ...CREDS, accessKeyId: "AKIDWRONG" }) });
    expect(r.code).toBe(1);
    expect(line(r, "access:")).toBe(
      "access: FAILED — GET /_plugins/_security/authinfo returned HTTP 403: The security token included in the request is invalid. (your AWS credentials are not valid here: sign in to AWS again)",
    );
    expect(line(r, "impressions:")).toBe("impressions: created");
  });

  it("a sink secret scheduled for deletion: that sink fails with the restore command, the rest is applied", async () => {
    sm.scheduleDeletion(SECRET_ID);
    const r = await run();
    expect(r.code).toBe(1);
    expect(line(r, "sink ad-tech-sink:")).toBe(
      `sink ad-tech-sink: FAILED — cannot read secret ${SECRET_ID}: InvalidRequestException: You can't perform this operation on the secret because it was marked for deletion. ` +
        `(the secret is scheduled for deletion: restore it with "aws secretsmanager restore-secret --secret-id ${SECRET_ID}", then re-run)`,
    );
    expect(line(r, "clicks:")).toBe("clicks: created");
    expect(r.err).toContain("1 of 6 step(s) failed; the others were applied (a re-run finishes the job)");
  });

  it("--rotate rotates the master again (after a break-glass use)", async () => {
    await run();
    const first = masterPassword();
    const r = await run({ rotate: true });
    expect(r.code).toBe(0);
    expect(line(r, "master")).toBe(`master ${MASTER}: rotated the password (--rotate) into secret ${MASTER_SECRET} (AWSCURRENT)`);
    expect(masterPassword()).not.toBe(first);
    expect(os.passwords.get(MASTER)).toBe(masterPassword());
  });
});

describe("the old configuration (IAM master, internal user database off) fails; the new one lets the sink write", () => {
  it("with the internal user database off, basic auth is refused: the master cannot sign in and neither could the sink", async () => {
    await os.stop();
    os = await newDomain({ internalUserDatabase: false }).start();
    const r = await run();
    expect(r.code).toBe(1);
    expect(line(r, "master")).toMatch(/FAILED — no version of secret .* signs in \(HTTP 401\)\. Either the domain's internal user database is off/);
    // Even a sink user set up by hand gets a 401 security_exception, as AWS does under an IAM master.
    os.users.set(SINK_USER, { backend_roles: [] });
    os.passwords.set(SINK_USER, "Sink-Passw0rd!");
    const bulk = await sinkBulk(os, SINK_USER, "Sink-Passw0rd!");
    expect(bulk.status).toBe(401);
    expect(bulk.body.error.type).toBe("security_exception");
  });

  it("with the internal user database on, after the bootstrap the sink signs in with its secret and writes its index only", async () => {
    expect((await run()).code).toBe(0);
    const { username, password } = JSON.parse(sm.current(SECRET_ID)!) as { username: string; password: string };
    const ok = await sinkBulk(os, username, password, "impressions");
    expect(ok.status).toBe(200);
    expect(os.documents.get("impressions")).toEqual([{ bid_id: "b-1" }]);
    const other = await sinkBulk(os, username, password, "someone-elses-index");
    expect(other.status).toBe(403);
    expect(other.body.error.reason).toMatch(/^no permissions for \[indices:data\/write\/bulk\[s\]\] and User \[name=ad-tech-dev-ad-tech-sink/);
  });
});

describe("access: IAM roles from YAML, Dashboards users, audit logging", () => {
  it("maps the caller and the admin roles to all_access, the reader roles and reader users to the read-only role", async () => {
    const r = await run();
    expect(r.code).toBe(0);
    expect(os.rolesmapping.get("all_access")).toMatchObject({ backend_roles: [ADMIN, DEPLOYER], users: [MASTER], hosts: [] });
    expect(os.rolesmapping.get("ad-tech-dev-read-only")).toMatchObject({ backend_roles: [ANALYST], users: ["alice"], hosts: [] });
    expect(os.roles.get("ad-tech-dev-read-only")).toMatchObject({
      cluster_permissions: ["cluster_composite_ops_ro"],
      index_permissions: [{ index_patterns: ["clicks", "impressions", "impressions-read"], allowed_actions: ["read", "indices:admin/resolve/index"] }],
      tenant_permissions: [{ tenant_patterns: ["global_tenant"], allowed_actions: ["kibana_all_read"] }],
    });
  });

  it("waits until a new mapping reaches the caller's requests before the index steps rely on it", async () => {
    // authinfo as seen from a node that has not loaded the new mapping yet: identity known, no roles.
    const stale = { user_name: DEPLOYER, backend_roles: [DEPLOYER], roles: [] };
    os.failNext({ method: "GET", path: "/_plugins/_security/authinfo", auth: "iam", status: 200, body: stale, times: 3 });
    const r = await run();
    expect(r.code).toBe(0);
    expect(r.err.filter((l) => l.includes("waiting for all_access to reach"))).toEqual([
      `retrying waiting for all_access to reach ${DEPLOYER} (attempt 2/5 in 5 ms)`,
      `retrying waiting for all_access to reach ${DEPLOYER} (attempt 3/5 in 10 ms)`,
    ]);
    expect(line(r, "impressions:")).toBe("impressions: created");
    expect(String(os.requests.find((q) => q.method === "PUT" && q.path === "/impressions")!.headers.authorization)).toMatch(/^AWS4-HMAC-SHA256 /);
  });

  it("if the mapping never reaches the caller, the indexes are set up as the master and the line says so", async () => {
    const stale = { user_name: DEPLOYER, backend_roles: [DEPLOYER], roles: [] };
    os.failNext({ method: "GET", path: "/_plugins/_security/authinfo", auth: "iam", status: 200, body: stale, times: 100 });
    const r = await run();
    expect(r.code).toBe(0);
    expect(line(r, "access:")).toContain(`${DEPLOYER} does not have all_access yet (indexes are set up as the master)`);
    expect(String(os.requests.find((q) => q.method === "PUT" && q.path === "/impressions")!.headers.authorization)).toMatch(/^Basic /);
  });

  it("an admin Dashboards user is mapped to all_access by name; a role added by hand is removed (the YAML decides)", async () => {
    const plan = makePlan({ dashboards_users: [{ username: "alice", role: "admin", secret_id: ALICE_SECRET }] });
    os.rolesmapping.set("all_access", { users: [MASTER], backend_roles: ["arn:aws:iam::123456789012:role/AddedByHand"], hosts: [] });
    const r = await run({ plan });
    expect(r.code).toBe(0);
    expect(os.rolesmapping.get("all_access")).toMatchObject({ backend_roles: [ADMIN, DEPLOYER], users: [MASTER, "alice"] });
  });

  it("an IAM identity neither the YAML nor the run names gets a security_exception from the domain", async () => {
    await run();
    os.iamIdentities.AKIDSTRANGER = "arn:aws:iam::123456789012:role/Stranger";
    const signedAs = (accessKeyId: string) =>
      new OpenSearchClient({
        baseUrl: os.url,
        region: REGION,
        credentials: { ...CREDS, accessKeyId },
        timeoutMs: 2000,
        retry: { attempts: 1, baseDelayMs: 1, maxDelayMs: 1 },
        sleep: async () => undefined,
        random: () => 0,
        note: () => undefined,
      });
    const stranger = signedAs("AKIDSTRANGER");
    try {
      const err = (await stranger.request("GET", "/impressions").catch((e: unknown) => e)) as HttpStatusError;
      expect(err).toBeInstanceOf(HttpStatusError);
      expect(err.status).toBe(403);
      expect(err.message).toMatch(/security_exception: no permissions for \[indices:admin\/get\] and User \[name=arn:aws:iam::123456789012:role\/Stranger/);
      expect(err.message).toContain("is your IAM role mapped?");
      // The deployer, mapped by the run, reads it.
      const deployer = signedAs(CREDS.accessKeyId);
      expect((await deployer.request("GET", "/impressions")).status).toBe(200);
      await deployer.close();
    } finally {
      await stranger.close();
    }
  });

  it("a Dashboards user gets a generated password in its own secret, and signs in with it", async () => {
    const r = await run();
    expect(line(r, "dashboards user alice")).toBe(`dashboards user alice: user created, password stored in secret ${ALICE_SECRET} (reader)`);
    const { username, password } = JSON.parse(sm.current(ALICE_SECRET)!) as { username: string; password: string };
    expect(username).toBe("alice");
    expect(os.passwords.get("alice")).toBe(password);
    const res = await fetch(`${os.url}/_plugins/_security/authinfo`, {
      headers: { authorization: `Basic ${Buffer.from(`alice:${password}`).toString("base64")}` },
    });
    expect(res.status).toBe(200);
    expect(((await res.json()) as { roles: string[] }).roles).toEqual(["ad-tech-dev-read-only"]);
    expect([...r.out, ...r.err].join("\n")).not.toContain(password);
  });

  it("turns audit logging on, keeping the rest of the audit configuration; audit_logs false turns it off", async () => {
    const before = structuredClone(os.auditConfig);
    await run();
    expect(os.auditConfig).toEqual({ ...before, enabled: true });
    const off = makePlan();
    const r = await run({ plan: { ...off, access: { ...off.access, audit_logs: false } } });
    expect(line(r, "access")).toMatch(/audit logging turned off/);
    expect(os.auditConfig.enabled).toBe(false);
  });
});

describe("index settings", () => {
  it("updates a changed dynamic setting in place (replicas, refresh_interval)", async () => {
    await run();
    const plan = makePlan();
    plan.indexes[0]!.body.settings = { index: { number_of_shards: 1, number_of_replicas: 2, refresh_interval: "30s" } };
    const r = await run({ plan });
    expect(r.code).toBe(0);
    expect(line(r, "impressions:")).toBe("impressions: updated settings number_of_replicas 1 → 2, refresh_interval (unset) → 30s");
    const put = os.requests.find((q) => q.method === "PUT" && q.path === "/impressions/_settings")!;
    expect(JSON.parse(put.body)).toEqual({ index: { number_of_replicas: "2", refresh_interval: "30s" } });
    expect(os.indexes.get("impressions")!.settings.index).toMatchObject({ number_of_replicas: "2", refresh_interval: "30s" });
    expect(line(await run({ plan }), "impressions:")).toBe("impressions: up to date");
  });

  it("a changed static setting (shards) stops that index with index, setting, old → new, changing nothing", async () => {
    await run();
    const plan = makePlan();
    plan.indexes[0]!.body.settings = { index: { number_of_shards: 3, number_of_replicas: 2 } };
    plan.indexes[0]!.body.mappings!.properties!.new_field = { type: "keyword" };
    const before = os.writes.length;
    const r = await run({ plan });
    expect(r.code).toBe(1);
    expect(line(r, "impressions:")).toBe("impressions: FAILED — impressions, number_of_shards, 1 → 3 (needs a reindex); nothing changed");
    expect(os.writes.slice(before).filter((q) => q.path.startsWith("/impressions"))).toEqual([]);
    expect(line(r, "clicks:")).toBe("clicks: up to date");
  });
});

describe("endpoint and plan", () => {
  it("accepts the endpoint with or without https://, http:// only on loopback", () => {
    expect(normalizeEndpoint("vpc-x.ap-southeast-2.es.amazonaws.com")).toBe("https://vpc-x.ap-southeast-2.es.amazonaws.com");
    expect(normalizeEndpoint("https://vpc-x.ap-southeast-2.es.amazonaws.com/")).toBe("https://vpc-x.ap-southeast-2.es.amazonaws.com");
    expect(normalizeEndpoint("http://127.0.0.1:9200")).toBe("http://127.0.0.1:9200");
    expect(() => normalizeEndpoint("http://vpc-x.es.amazonaws.com")).toThrow(/refusing plain http/);
  });

  it.each([
    ["no state", async () => "{}\n", /no Terraform state with outputs .*deploy the stack first \(cdktf deploy dev\) or pass --endpoint HOST/],
    ["output missing", async () => JSON.stringify({ other: { value: "x" } }), /Terraform output "opensearch_endpoint" is missing/],
    [
      "terraform missing",
      async () => {
        throw Object.assign(new Error("spawn terraform ENOENT"), { code: "ENOENT" });
      },
      /terraform is not installed or not on PATH.*pass --endpoint HOST/,
    ],
  ])("without --endpoint, reads terraform output: %s -> clear message", async (_name, terraformOutput, message) => {
    const dir = mkdtempSync(path.join(tmpdir(), "stack-"));
    try {
      const plan = { ...makePlan(), stack_dir: dir };
      const r = await run({ plan }, { baseUrl: undefined, terraformOutput });
      expect(r.code).toBe(1);
      expect(r.err.join("\n")).toMatch(message);
      expect(os.requests).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a failed terraform output shows Terraform's own error, not its CLI-configuration warning", async () => {
    // Captured from terraform 1.x here (output -json -no-color on a corrupt state, no ~/.terraformrc).
    const stderr = [
      "There are some problems with the CLI configuration:",
      "╷",
      "│ Warning: Unable to open CLI configuration file",
      "│",
      '│ The CLI configuration file at "/root/.terraformrc" does not exist.',
      "╵",
      "",
      "",
      "Error: Unsupported state file format",
      "",
      "The state file could not be parsed as JSON: syntax error at byte offset 1.",
      "",
    ].join("\n");
    const dir = mkdtempSync(path.join(tmpdir(), "stack-"));
    try {
      const r = await run(
        { plan: { ...makePlan(), stack_dir: dir } },
        {
          baseUrl: undefined,
          terraformOutput: async () => {
            throw Object.assign(new Error("Command failed: terraform output -json -no-color"), { code: 1, stderr });
          },
        },
      );
      expect(r.code).toBe(1);
      expect(r.err).toEqual([
        `error: "terraform output -json" failed in ${dir} (Error: Unsupported state file format: The state file could not be parsed as JSON: syntax error at byte offset 1.): deploy the stack first (cdktf deploy dev) or pass --endpoint HOST`,
      ]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it.skipIf(spawnSync("terraform", ["version"]).error !== undefined)("the real terraform: its error on a corrupt state reaches the user", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stack-"));
    try {
      writeFileSync(path.join(dir, "terraform.tfstate"), "garbage");
      const r = await run({ plan: { ...makePlan(), stack_dir: dir } }, { baseUrl: undefined, terraformOutput: runTerraformOutput });
      expect(r.code).toBe(1);
      expect(r.err.join("\n")).toMatch(/\(Error: Unsupported state file format: The state file could not be parsed as JSON/);
      expect(r.err.join("\n")).not.toMatch(/CLI configuration/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("uses the endpoint from terraform output", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "stack-"));
    try {
      const plan = { ...makePlan(), stack_dir: dir };
      let ranIn = "";
      const r = await run(
        { plan },
        {
          baseUrl: undefined,
          terraformOutput: async (d) => {
            ranIn = d;
            return JSON.stringify({ opensearch_endpoint: { value: os.url, type: "string", sensitive: false } });
          },
        },
      );
      expect(ranIn).toBe(dir);
      expect(r.code).toBe(0);
      expect(os.indexes.has("impressions")).toBe(true);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("a bad plan file is a usage error (exit 2) listing each problem", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-"));
    try {
      const file = path.join(dir, "plan.json");
      const bad = { ...makePlan(), region: "sydney", indexes: [{ name: "Impressions", topic: "i", body: {} }] };
      writeFileSync(file, JSON.stringify(bad));
      const r = await run({ plan: undefined, planPath: file });
      expect(r.code).toBe(2);
      const text = r.err.join("\n");
      expect(text).toContain(`bootstrap plan ${file} is invalid:`);
      expect(text).toMatch(/region: must be an AWS region/);
      expect(text).toMatch(/indexes\.0\.name: must be a lowercase OpenSearch index name/);
      expect(os.requests).toEqual([]);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it("generated passwords meet OpenSearch's default policy", () => {
    for (let i = 0; i < 50; i++) {
      const p = generatePassword();
      expect(p).toHaveLength(32);
      expect(p).toMatch(/[A-Z]/);
      expect(p).toMatch(/[a-z]/);
      expect(p).toMatch(/\d/);
      expect(p).toMatch(/[!#%&*+\-.:=?@^_~]/);
      expect(p).not.toMatch(/[\s"'\\${}]/);
    }
  });
});

describe("CLI as a child process", () => {
  const script = path.join(ROOT, "scripts", "bootstrap-indexes.ts");

  function cli(args: string[], extraEnv: Record<string, string> = {}): Promise<{ code: number; stdout: string; stderr: string }> {
    const env: Record<string, string> = {};
    for (const [k, v] of Object.entries(process.env)) if (v !== undefined && !k.startsWith("AWS_")) env[k] = v;
    Object.assign(env, {
      AWS_ACCESS_KEY_ID: CREDS.accessKeyId,
      AWS_SECRET_ACCESS_KEY: CREDS.secretAccessKey,
      AWS_SESSION_TOKEN: CREDS.sessionToken,
      AWS_REGION: REGION,
      AWS_EC2_METADATA_DISABLED: "true",
      AWS_CONFIG_FILE: path.join(ROOT, "does-not-exist", "config"),
      AWS_SHARED_CREDENTIALS_FILE: path.join(ROOT, "does-not-exist", "credentials"),
      // The SDK's notice that Node 20 support ends in 2027: true, but noise for this assertion on stderr.
      AWS_SDK_JS_NODE_VERSION_SUPPORT_WARNING_DISABLED: "true",
      ...extraEnv,
    });
    return new Promise((resolve) => {
      execFile(process.execPath, ["--import", "tsx", script, ...args], { cwd: ROOT, env, timeout: 60_000 }, (error, stdout, stderr) => {
        const code = error ? (typeof error.code === "number" ? error.code : -1) : 0;
        resolve({ code, stdout: String(stdout), stderr: String(stderr) });
      });
    });
  }

  const noStack = (s: string): void => expect(s).not.toMatch(/^\s+at .+:\d+:\d+\)?$/m);

  it("a bad flag exits 2 with a message and no stack trace", async () => {
    const r = await cli(["--env", "dev", "--frobnicate"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toMatch(/error: Unknown option '--frobnicate'/);
    expect(r.stderr).toContain("usage: npx tsx scripts/bootstrap-indexes.ts --env ENV");
    noStack(r.stderr);
  });

  it("a missing plan exits 2 with a clear message", async () => {
    const r = await cli(["--env", "nope", "--endpoint", "127.0.0.1:1"]);
    expect(r.code).toBe(2);
    expect(r.stderr).toContain(`no bootstrap plan at ${path.join(ROOT, "cdktf.out/bootstrap/nope/plan.json")}: run "npm run synth" first`);
    noStack(r.stderr);
  });

  it("runs end to end against the stand-ins with credentials from the environment", async () => {
    const dir = mkdtempSync(path.join(tmpdir(), "plan-"));
    try {
      const file = path.join(dir, "plan.json");
      writeFileSync(file, JSON.stringify(makePlan()));
      const r = await cli(["--env", "dev", "--plan", file, "--endpoint", os.url, "--timeout-ms", "3000"], {
        AWS_ENDPOINT_URL_SECRETS_MANAGER: sm.url,
      });
      expect(r.stderr).toBe("");
      expect(r.code).toBe(0);
      expect(r.stdout.trim().split("\n")).toEqual([
        `master ${MASTER}: rotated the initial password (Terraform's, in state) into secret ${MASTER_SECRET} (AWSCURRENT)`,
        `dashboards user alice: user created, password stored in secret ${ALICE_SECRET} (reader)`,
        `access: all_access mapping (2 IAM role(s), 1 user(s)) updated, role ad-tech-dev-read-only created, ad-tech-dev-read-only mapping (1 IAM role(s), 1 user(s)) created, audit logging turned on (you are ${DEPLOYER})`,
        "impressions: created",
        "clicks: created",
        `sink ad-tech-sink: user created, role created, mapping created, password stored in secret ${SECRET_ID}`,
      ]);
      const password = (JSON.parse(sm.current(SECRET_ID)!) as { password: string }).password;
      expect(r.stdout + r.stderr).not.toContain(password);
      expect(r.stdout + r.stderr).not.toContain(masterPassword());
      expect(r.stdout + r.stderr).not.toContain(INITIAL);
      expect(String(os.requests.find((q) => q.path === "/impressions")!.headers.authorization)).toMatch(
        new RegExp(`^AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/\\d{8}/${REGION}/es/aws4_request`),
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe("IAM sinks (OpenSearch Ingestion): the pipeline role as the only backend role of a write-only role", () => {
  const PIPELINE_ROLE = "arn:aws:iam::123456789012:role/ad-tech-dev-ad-tech-ingest-osis";
  const ROLE = "ad-tech-dev-ad-tech-ingest-ingestion";
  const PIPELINE_KEY = "AKIDPIPELINE";
  const iamPlan = () =>
    makePlan({ iam_sinks: [{ connector: "ad-tech-ingest", role: ROLE, role_arn_output: "ingestion_role_arn_ad_tech_ingest", index_patterns: ["clicks", "impressions"] }] });
  const outputs = (arn = PIPELINE_ROLE) => async () => JSON.stringify({ ingestion_role_arn_ad_tech_ingest: { value: arn }, opensearch_endpoint: { value: "unused" } });
  /** A _bulk request signed (as far as the stand-in checks) with the pipeline role's credentials. */
  const pipelineBulk = async (index: string) => {
    const res = await fetch(`${os.url}/_bulk`, {
      method: "POST",
      headers: {
        authorization: `AWS4-HMAC-SHA256 Credential=${PIPELINE_KEY}/20261201/${REGION}/es/aws4_request, SignedHeaders=host, Signature=00`,
        "content-type": "application/x-ndjson",
      },
      body: `${JSON.stringify({ index: { _index: index } })}\n${JSON.stringify({ bid_id: "b-1" })}\n`,
    });
    return { status: res.status, body: (await res.json()) as any };
  };

  it("creates the role (the basic-auth sink's permissions) and maps the role ARN from the Terraform output; a re-run writes nothing", async () => {
    const r = await run({ plan: iamPlan() }, { terraformOutput: outputs() });
    expect(r.code).toBe(0);
    expect(r.out).toContain(`sink ad-tech-ingest: role created, mapping created (${PIPELINE_ROLE})`);
    const rolePut = os.requests.find((q) => q.method === "PUT" && q.path === `/_plugins/_security/api/roles/${ROLE}`)!;
    expect(JSON.parse(rolePut.body)).toEqual({
      cluster_permissions: [...SINK_CLUSTER_PERMISSIONS],
      index_permissions: [{ index_patterns: ["clicks", "impressions"], allowed_actions: [...SINK_INDEX_ACTIONS] }],
    });
    const mappingPut = os.requests.find((q) => q.method === "PUT" && q.path === `/_plugins/_security/api/rolesmapping/${ROLE}`)!;
    expect(JSON.parse(mappingPut.body)).toEqual({ users: [], backend_roles: [PIPELINE_ROLE], hosts: [] });
    // No internal user, no secret for it.
    expect(os.requests.filter((q) => q.method === "PUT" && q.path.includes("internalusers/ad-tech-dev-ad-tech-ingest"))).toEqual([]);

    const before = os.requests.length;
    const again = await run({ plan: iamPlan() }, { terraformOutput: outputs() });
    expect(again.code).toBe(0);
    expect(os.requests.slice(before).filter((q) => q.method !== "GET")).toEqual([]);
    expect(again.out).toContain(`sink ad-tech-ingest: role up to date, mapping up to date (${PIPELINE_ROLE})`);
  });

  it("after the bootstrap the pipeline role writes its indexes and nothing else", async () => {
    os.iamIdentities[PIPELINE_KEY] = PIPELINE_ROLE;
    expect((await pipelineBulk("impressions")).status).toBe(403);
    expect((await run({ plan: iamPlan() }, { terraformOutput: outputs() })).code).toBe(0);
    expect((await pipelineBulk("impressions")).status).toBe(200);
    const other = await pipelineBulk("someone-elses-index");
    expect(other.status).toBe(403);
    expect(other.body.error.reason).toMatch(/^no permissions for \[indices:data\/write\/bulk\[s\]\]/);
  });

  it("repairs drift: a role granting more and a mapping with another member or backend role", async () => {
    os.roles.set(ROLE, { cluster_permissions: ["cluster_all"], index_permissions: [{ index_patterns: ["*"], allowed_actions: ["indices_all"], fls: [], masked_fields: [] }], tenant_permissions: [] });
    os.rolesmapping.set(ROLE, { users: ["someone"], backend_roles: [PIPELINE_ROLE, "arn:aws:iam::123456789012:role/Other"], hosts: [] });
    const r = await run({ plan: iamPlan() }, { terraformOutput: outputs() });
    expect(r.out).toContain(`sink ad-tech-ingest: role updated, mapping updated (${PIPELINE_ROLE})`);
    expect(os.roles.get(ROLE)!.index_permissions).toEqual([{ index_patterns: ["clicks", "impressions"], allowed_actions: [...SINK_INDEX_ACTIONS], fls: [], masked_fields: [] }]);
    expect([os.rolesmapping.get(ROLE)!.users, os.rolesmapping.get(ROLE)!.backend_roles]).toEqual([[], [PIPELINE_ROLE]]);
  });

  it("takes the ARN from --iam-role without reading Terraform (the on-deploy runner)", async () => {
    const r = await run({ plan: iamPlan(), iamRoles: { "ad-tech-ingest": PIPELINE_ROLE } });
    expect(r.code).toBe(0);
    expect(os.rolesmapping.get(ROLE)!.backend_roles).toEqual([PIPELINE_ROLE]);
  });

  it("without the output (stack not deployed) that sink fails with the remedy; the rest is applied (exit 1)", async () => {
    const r = await run({ plan: iamPlan() }, { terraformOutput: async () => JSON.stringify({ opensearch_endpoint: { value: "x" } }) });
    expect(r.code).toBe(1);
    expect(r.out).toContain(
      'sink ad-tech-ingest: FAILED — no role ARN: Terraform output "ingestion_role_arn_ad_tech_ingest" is missing (deploy the stack first) and no --iam-role ad-tech-ingest=<arn> was given',
    );
    expect(line(r, "sink ad-tech-sink:")).toMatch(/mapping created/);
    expect(os.rolesmapping.has(ROLE)).toBe(false);
  });

  it("refuses a value that is not an IAM role ARN", async () => {
    const r = await run({ plan: iamPlan(), iamRoles: { "ad-tech-ingest": "arn:aws:iam::123456789012:user/bob" } });
    expect(r.code).toBe(1);
    expect(r.out).toContain('sink ad-tech-ingest: FAILED — role ARN "arn:aws:iam::123456789012:user/bob" (--iam-role) is not an IAM role ARN');
  });

  it("--dry-run says what it would do and writes nothing", async () => {
    const r = await run({ plan: iamPlan(), dryRun: true }, { terraformOutput: outputs() });
    expect(r.out).toContain(`[dry-run] sink ad-tech-ingest: would create role ${ROLE}`);
    expect(r.out).toContain(`[dry-run] sink ad-tech-ingest: would create role mapping ${ROLE} -> ${PIPELINE_ROLE}`);
    expect(os.rolesmapping.has(ROLE)).toBe(false);
  });
});
