/**
 * The Kafka stand-in's own refusals (it imitates MSK Serverless; see __tests__/support/kafka-standin.ts),
 * driven with the Kafka client library directly, not through the bootstrap's code.
 */
import * as net from "node:net";
import { Admin } from "@platformatic/kafka";
import { generateAuthTokenFromCredentialsProvider } from "aws-msk-iam-sasl-signer-js";
import { afterEach, beforeAll, beforeEach, describe, expect, it } from "vitest";
import { KafkaStandin, throwawayCertificate } from "../support/kafka-standin";

const REGION = "ap-southeast-2";
const CREDS = { accessKeyId: "AKIDSTANDIN", secretAccessKey: "standin-secret-key", sessionToken: "standin-session" };
let cert: { key: string; cert: string };
let kafka: KafkaStandin;
const admins: Admin[] = [];

beforeAll(() => {
  cert = throwawayCertificate();
});

beforeEach(async () => {
  kafka = await new KafkaStandin({ region: REGION, keys: { [CREDS.accessKeyId]: CREDS.secretAccessKey }, tls: cert }).start();
});

afterEach(async () => {
  await Promise.all(admins.splice(0).map((a) => a.close().catch(() => undefined)));
  await kafka.stop();
});

async function signedToken(region = REGION, creds = CREDS): Promise<string> {
  return (await generateAuthTokenFromCredentialsProvider({ region, awsCredentialsProvider: async () => creds })).token;
}

function admin(token: string | (() => Promise<string>) = () => signedToken()): Admin {
  const a = new Admin({
    clientId: "standin-test",
    bootstrapBrokers: [kafka.brokers],
    sasl: { mechanism: "OAUTHBEARER", token },
    tls: { ca: cert.cert },
    retries: 0,
    connectTimeout: 2000,
  });
  admins.push(a);
  return a;
}

/** Every error in a client error's tree (aggregated errors and causes). */
function tree(e: unknown): { apiId?: string; serverErrorMessage?: string | null; message: string }[] {
  if (!(e instanceof Error)) return [];
  const inner = [...((e as AggregateError).errors ?? []), (e as { cause?: unknown }).cause];
  return [e as { message: string }, ...inner.flatMap(tree)];
}

async function refusal(p: Promise<unknown>): Promise<{ apiId?: string; message?: string | null }> {
  const e = await p.then(
    () => undefined,
    (err: unknown) => err,
  );
  expect(e, "the stand-in accepted it").toBeDefined();
  const found = tree(e).find((x) => x.apiId);
  return { apiId: found?.apiId, message: found?.serverErrorMessage };
}

describe("SASL/IAM sign-in", () => {
  it("accepts a token from aws-msk-iam-sasl-signer-js and then answers", async () => {
    expect(await admin().listTopics()).toEqual([]);
    expect(kafka.acceptedTokens).toHaveLength(1);
    expect(kafka.calls("SaslHandshake")[0]?.body).toBe("OAUTHBEARER");
  });

  it.each([
    ["not a token", async () => "not-a-token", /token is not for kafka\.ap-southeast-2|not a base64url/],
    ["signed for another region", () => signedToken("eu-west-1"), /not for kafka\.ap-southeast-2\.amazonaws\.com/],
    ["an unknown access key", () => signedToken(REGION, { ...CREDS, accessKeyId: "AKIDUNKNOWN" }), /unknown access key/],
    ["a wrong secret key", () => signedToken(REGION, { ...CREDS, secretAccessKey: "wrong" }), /signature does not match/],
    [
      "another action",
      async () => {
        const url = new URL(Buffer.from(await signedToken(), "base64url").toString());
        url.searchParams.set("Action", "kafka-cluster:AlterCluster");
        return Buffer.from(url.toString()).toString("base64url");
      },
      /not for kafka-cluster:Connect/,
    ],
    [
      "a changed parameter",
      async () => {
        const url = new URL(Buffer.from(await signedToken(), "base64url").toString());
        url.searchParams.set("X-Amz-Security-Token", "someone-elses-session");
        return Buffer.from(url.toString()).toString("base64url");
      },
      /signature does not match/,
    ],
  ])("refuses %s with SASL_AUTHENTICATION_FAILED and answers nothing else", async (_, token, reason) => {
    const r = await refusal(admin(token).listTopics());
    expect(r.apiId).toBe("SASL_AUTHENTICATION_FAILED");
    expect(r.message).toMatch(reason);
    expect(kafka.calls("Metadata")).toHaveLength(0);
  });

  it("refuses an expired token", async () => {
    const late = await new KafkaStandin({
      region: REGION,
      keys: { [CREDS.accessKeyId]: CREDS.secretAccessKey },
      now: () => new Date(Date.now() + 16 * 60_000),
    }).start();
    const a = new Admin({ clientId: "t", bootstrapBrokers: [late.brokers], sasl: { mechanism: "OAUTHBEARER", token: () => signedToken() }, retries: 0 });
    try {
      expect((await refusal(a.listTopics())).message).toMatch(/token has expired/);
    } finally {
      await a.close();
      await late.stop();
    }
  });

  it("closes a connection that asks for metadata before signing in, as a SASL listener does", async () => {
    const plain = await new KafkaStandin({ region: REGION, keys: {} }).start();
    try {
      const socket = net.connect(Number(plain.brokers.split(":")[1]), "127.0.0.1");
      await new Promise((resolve) => socket.once("connect", resolve));
      const closed = new Promise((resolve) => socket.once("close", resolve));
      const answers: Buffer[] = [];
      socket.on("data", (d: Buffer) => answers.push(d));
      // Metadata v12 (all topics), header v2 with client id "test", sent without SASL first.
      socket.write(Buffer.from("000000130003000c000000010004746573740000000000", "hex"));
      await closed;
      expect(answers).toEqual([]);
      expect(plain.requests).toEqual([{ api: "Metadata", apiKey: 3, version: 12, body: "before SASL" }]);
    } finally {
      await plain.stop();
    }
  });
});

describe("topics, as MSK Serverless allows them", () => {
  it("creates a topic with the configs Serverless lets you set, and describes them", async () => {
    const a = admin();
    await a.createTopics({ topics: ["ok"], partitions: 3, configs: [{ name: "max.message.bytes", value: "8388608" }] });
    expect(kafka.topics.get("ok")?.partitions).toBe(3);
    const [described] = await a.describeConfigs({ resources: [{ resourceType: 2, resourceName: "ok" }] });
    expect(described?.configs.find((c) => c.name === "max.message.bytes")?.value).toBe("8388608");
    expect(described?.configs.find((c) => c.name === "retention.ms")?.value).toBe("604800000");
  });

  it.each([
    ["a config Serverless does not allow", { configs: [{ name: "segment.bytes", value: "1073741824" }] }, "POLICY_VIOLATION", /segment\.bytes/],
    ["max.message.bytes above 8 MiB", { configs: [{ name: "max.message.bytes", value: "8388609" }] }, "POLICY_VIOLATION", /8388608/],
    ["a replication factor", { replicas: 3 }, "INVALID_REPLICATION_FACTOR", /replication factor/],
    ["a malformed value", { configs: [{ name: "retention.ms", value: "a week" }] }, "INVALID_CONFIG", /retention\.ms/],
  ])("refuses to create a topic with %s", async (_, extra, apiId, message) => {
    const r = await refusal(admin().createTopics({ topics: ["t"], partitions: 1, ...extra }));
    expect(r).toEqual({ apiId, message: expect.stringMatching(message) });
    expect(kafka.topics.has("t")).toBe(false);
  });

  it("refuses a name that exists", async () => {
    kafka.addTopic("t", 1);
    expect((await refusal(admin().createTopics({ topics: ["t"], partitions: 1 }))).apiId).toBe("TOPIC_ALREADY_EXISTS");
  });

  it("refuses cleanup.policy after creation, even unchanged, and applies none of that request", async () => {
    kafka.addTopic("t", 1, { "cleanup.policy": "compact" });
    const r = await refusal(
      admin().incrementalAlterConfigs({
        resources: [
          {
            resourceType: 2,
            resourceName: "t",
            configs: [
              { name: "retention.ms", value: "1000", configOperation: 0 },
              { name: "cleanup.policy", value: "compact", configOperation: 0 },
            ],
          },
        ],
      }),
    );
    expect(r).toEqual({ apiId: "POLICY_VIOLATION", message: "Amazon MSK Serverless can't alter topic configuration cleanup.policy" });
    expect(kafka.topics.get("t")?.configs.get("retention.ms")).toBeUndefined();
  });

  it("adds partitions, refuses fewer or the same", async () => {
    kafka.addTopic("t", 4);
    const a = admin();
    const fewer = await refusal(a.createPartitions({ topics: [{ name: "t", count: 2, assignments: [] }] }));
    expect(fewer).toEqual({ apiId: "INVALID_PARTITIONS", message: "Topic currently has 4 partitions, which is higher than the requested 2." });
    expect((await refusal(a.createPartitions({ topics: [{ name: "t", count: 4, assignments: [] }] }))).apiId).toBe("INVALID_PARTITIONS");
    await a.createPartitions({ topics: [{ name: "t", count: 6, assignments: [] }] });
    expect(kafka.topics.get("t")?.partitions).toBe(6);
  });
});
