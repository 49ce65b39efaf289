/**
 * A local stand-in for an Amazon MSK Serverless cluster's Kafka protocol, as far as the topic
 * bootstrap uses it. It is NOT Kafka (there is none on these machines): one broker on 127.0.0.1,
 * topics in memory, and exactly the API versions the bootstrap's client (@platformatic/kafka)
 * sends, captured from its requests:
 *   SaslHandshake v1, SaslAuthenticate v2, ApiVersions v3, Metadata v12, CreateTopics v7,
 *   DescribeConfigs v4, IncrementalAlterConfigs v1, CreatePartitions v3.
 * Anything else is recorded as unexpected and the connection is closed.
 *
 * What it imitates of MSK Serverless, including what it refuses (rules written from AWS's docs,
 * independently of the production code):
 * - TLS (when given a certificate) and SASL: only after a successful SaslAuthenticate does it
 *   answer anything but ApiVersions/SaslHandshake (Kafka closes such connections). Mechanisms
 *   AWS_MSK_IAM and OAUTHBEARER ("MSK Serverless requires IAM access control"); the OAUTHBEARER
 *   token must be an MSK IAM token: base64url of a SigV4-presigned
 *   `https://kafka.<region>.amazonaws.com/?Action=kafka-cluster%3AConnect&X-Amz-...` URL, signed
 *   for service `kafka-cluster` with a key the stand-in knows, not expired (X-Amz-Date +
 *   X-Amz-Expires, at most 900 s, as aws-msk-iam-sasl-signer-js signs it). The signature is
 *   checked over every query parameter but X-Amz-Signature and User-Agent (AWS's signers add
 *   User-Agent after signing). Refusal: SASL_AUTHENTICATION_FAILED (58).
 * - Topic configs ("Configuration properties for MSK Serverless clusters",
 *   https://docs.aws.amazon.com/msk/latest/developerguide/serverless-config.html): only
 *   cleanup.policy, compression.type, max.message.bytes, message.timestamp.difference.max.ms,
 *   message.timestamp.type, retention.bytes, retention.ms may be set; "All other topic-level
 *   configuration properties are not configurable"; max.message.bytes at most 8388608 (8 MiB);
 *   cleanup.policy "Yes, but only at topic creation time". Refusals are POLICY_VIOLATION (44), the
 *   code Kafka's topic policies return (KIP-108/KIP-133); the cleanup.policy text is the one MSK
 *   Serverless gives (quoted in Mongey/terraform-provider-kafka#446), and it refuses cleanup.policy
 *   in any alter, even with the value it already has.
 * - Replication is the service's: a CreateTopics replication_factor other than -1 (let the broker
 *   choose) is refused with INVALID_REPLICATION_FACTOR (38). AWS's own tutorial creates topics
 *   without one (msk-serverless-create-topic); that the service refuses an explicit factor is this
 *   stand-in's strict reading, not a documented rule.
 * - Kafka's own rules: an existing name is TOPIC_ALREADY_EXISTS (36); a partition count that is
 *   not higher than the current one is INVALID_PARTITIONS (37) with Kafka's messages; an unknown
 *   topic is UNKNOWN_TOPIC_OR_PARTITION (3); a malformed config value is INVALID_CONFIG (40).
 * Not imitated: partition quotas, throughput, consumer groups, produce/fetch, several brokers,
 * NOT_CONTROLLER redirects, validate_only (recorded, not honoured: the bootstrap never sets it).
 */
import { execFileSync } from "node:child_process";
import { createHash, createHmac, randomUUID, timingSafeEqual } from "node:crypto";
import { mkdtempSync, readFileSync, rmSync } from "node:fs";
import * as net from "node:net";
import { tmpdir } from "node:os";
import * as path from "node:path";
import * as tls from "node:tls";

export const API = {
  Metadata: 3,
  SaslHandshake: 17,
  ApiVersions: 18,
  CreateTopics: 19,
  DescribeConfigs: 32,
  SaslAuthenticate: 36,
  CreatePartitions: 37,
  IncrementalAlterConfigs: 44,
} as const;
const API_NAMES = Object.fromEntries(Object.entries(API).map(([k, v]) => [v, k])) as Record<number, string>;
/** The one version of each API this stand-in speaks (the client picks the highest both sides know). */
const VERSIONS: Record<number, number> = {
  [API.Metadata]: 12,
  [API.SaslHandshake]: 1,
  [API.ApiVersions]: 3,
  [API.CreateTopics]: 7,
  [API.DescribeConfigs]: 4,
  [API.SaslAuthenticate]: 2,
  [API.CreatePartitions]: 3,
  [API.IncrementalAlterConfigs]: 1,
};

/** Kafka error codes used here (org.apache.kafka.common.protocol.Errors). */
export const ERR = {
  NONE: 0,
  UNKNOWN_TOPIC_OR_PARTITION: 3,
  UNSUPPORTED_SASL_MECHANISM: 33,
  ILLEGAL_SASL_STATE: 34,
  UNSUPPORTED_VERSION: 35,
  TOPIC_ALREADY_EXISTS: 36,
  INVALID_PARTITIONS: 37,
  INVALID_REPLICATION_FACTOR: 38,
  INVALID_CONFIG: 40,
  POLICY_VIOLATION: 44,
  SASL_AUTHENTICATION_FAILED: 58,
} as const;

/** MSK Serverless topic configs: editable ones and their defaults (serverless-config page). */
const EDITABLE_DEFAULTS: Record<string, string> = {
  "cleanup.policy": "delete",
  "compression.type": "producer",
  "max.message.bytes": "1048588",
  "message.timestamp.difference.max.ms": "9223372036854775807",
  "message.timestamp.type": "CreateTime",
  "retention.bytes": String(250 * 1024 ** 3),
  "retention.ms": String(7 * 24 * 3600 * 1000),
};
/** A few of the configs MSK Serverless describes but does not let anyone set. */
const READ_ONLY_DEFAULTS: Record<string, string> = { "segment.bytes": "134217728", "min.insync.replicas": "2" };
/** What a SASL listener answers before the client has authenticated. */
const BEFORE_SASL = new Set<number>([API.ApiVersions, API.SaslHandshake, API.SaslAuthenticate]);
const MAX_MESSAGE_BYTES = 8 * 1024 * 1024;
const MAX_TOKEN_SECONDS = 900;

export interface StandinTopic {
  readonly id: string;
  partitions: number;
  /** Configs set on the topic (Kafka: DYNAMIC_TOPIC_CONFIG); the rest are defaults. */
  readonly configs: Map<string, string>;
}

export interface RecordedKafkaRequest {
  readonly api: string;
  readonly apiKey: number;
  readonly version: number;
  /** What was asked, decoded (topic names, configs, counts); for the SASL calls, the mechanism or token. */
  readonly body: unknown;
}

export interface KafkaStandinOptions {
  readonly region: string;
  /** Secret access key for each access key id the "IAM" accepts. */
  readonly keys: Readonly<Record<string, string>>;
  /** Serve TLS with this certificate (as MSK does on 9098). @default - plain TCP */
  readonly tls?: { readonly key: string; readonly cert: string };
  readonly now?: () => Date;
}

export class KafkaStandin {
  readonly topics = new Map<string, StandinTopic>();
  readonly requests: RecordedKafkaRequest[] = [];
  /** Tokens that passed SASL (decoded URLs), for tests that check what the client signed. */
  readonly acceptedTokens: URL[] = [];
  private server?: net.Server;
  private readonly sockets = new Set<net.Socket>();
  private port = 0;

  constructor(private readonly options: KafkaStandinOptions) {}

  get brokers(): string {
    return `127.0.0.1:${this.port}`;
  }

  async start(): Promise<this> {
    const onSocket = (socket: net.Socket) => this.serve(socket);
    this.server = this.options.tls ? tls.createServer({ ...this.options.tls }, onSocket) : net.createServer(onSocket);
    await new Promise<void>((resolve) => this.server!.listen(0, "127.0.0.1", resolve));
    this.port = (this.server.address() as net.AddressInfo).port;
    return this;
  }

  async stop(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    await new Promise<void>((resolve) => (this.server ? this.server.close(() => resolve()) : resolve()));
  }

  /** A topic as if someone had created it earlier. */
  addTopic(name: string, partitions: number, configs: Record<string, string> = {}): void {
    this.topics.set(name, { id: randomUUID(), partitions, configs: new Map(Object.entries(configs)) });
  }

  /** Requests of one API (by name), e.g. writes("CreateTopics"). */
  calls(api: keyof typeof API | "unexpected"): RecordedKafkaRequest[] {
    return this.requests.filter((r) => r.api === api);
  }

  /** Requests that change something. */
  writes(): RecordedKafkaRequest[] {
    return this.requests.filter((r) => ["CreateTopics", "IncrementalAlterConfigs", "CreatePartitions"].includes(r.api));
  }

  // ---- connection handling --------------------------------------------------------------------

  private serve(socket: net.Socket): void {
    this.sockets.add(socket);
    socket.on("close", () => this.sockets.delete(socket));
    socket.on("error", () => socket.destroy());
    let buffered = Buffer.alloc(0);
    let authenticated = false;
    socket.on("data", (chunk: Buffer) => {
      buffered = Buffer.concat([buffered, chunk]);
      while (buffered.length >= 4 && buffered.length >= 4 + buffered.readInt32BE(0)) {
        const frame = buffered.subarray(4, 4 + buffered.readInt32BE(0));
        buffered = buffered.subarray(4 + frame.length);
        const r = new Reader(frame);
        const apiKey = r.int16();
        const version = r.int16();
        const correlationId = r.int32();
        r.legacyNullableString(); // client_id
        const supported = VERSIONS[apiKey];
        const name = API_NAMES[apiKey];
        if (supported === undefined || name === undefined || (supported !== version && apiKey !== API.ApiVersions)) {
          this.requests.push({ api: "unexpected", apiKey, version, body: null });
          socket.destroy();
          return;
        }
        // Flexible versions (all but SaslHandshake v1) carry tagged fields in the request header.
        if (apiKey !== API.SaslHandshake) r.taggedFields();
        if (!authenticated && !BEFORE_SASL.has(apiKey)) {
          // Kafka: "Unexpected Kafka request of type ... during SASL handshake": the connection is closed.
          this.requests.push({ api: name, apiKey, version, body: "before SASL" });
          socket.destroy();
          return;
        }
        let body: Writer;
        let recorded: unknown;
        switch (apiKey) {
          case API.ApiVersions:
            [recorded, body] = [null, this.apiVersions()];
            break;
          case API.SaslHandshake:
            [recorded, body] = this.saslHandshake(r);
            break;
          case API.SaslAuthenticate: {
            const [ok, rec, w] = this.saslAuthenticate(r);
            authenticated = authenticated || ok;
            [recorded, body] = [rec, w];
            break;
          }
          case API.Metadata:
            [recorded, body] = this.metadata(r);
            break;
          case API.CreateTopics:
            [recorded, body] = this.createTopics(r);
            break;
          case API.DescribeConfigs:
            [recorded, body] = this.describeConfigs(r);
            break;
          case API.IncrementalAlterConfigs:
            [recorded, body] = this.incrementalAlterConfigs(r);
            break;
          default:
            [recorded, body] = this.createPartitions(r);
        }
        this.requests.push({ api: name, apiKey, version, body: recorded });
        // Response header v0 for ApiVersions and SaslHandshake v1, v1 (with tagged fields) for the rest.
        const header = new Writer().int32(correlationId);
        if (apiKey !== API.ApiVersions && apiKey !== API.SaslHandshake) header.taggedFields();
        const payload = Buffer.concat([header.bytes(), body.bytes()]);
        const size = Buffer.alloc(4);
        size.writeInt32BE(payload.length);
        socket.write(Buffer.concat([size, payload]));
        // Kafka closes the connection after a failed authentication (KIP-152).
        if (apiKey === API.SaslAuthenticate && !authenticated) {
          socket.end();
          return;
        }
      }
    });
  }

  // ---- APIs -----------------------------------------------------------------------------------

  private apiVersions(): Writer {
    const keys = Object.entries(VERSIONS).map(([k, v]) => [Number(k), v] as const);
    return new Writer()
      .int16(ERR.NONE)
      .array(keys, (w, [k, v]) => w.int16(k).int16(v).int16(v).taggedFields())
      .int32(0)
      .taggedFields();
  }

  private saslHandshake(r: Reader): [unknown, Writer] {
    const mechanism = r.legacyString();
    const mechanisms = ["AWS_MSK_IAM", "OAUTHBEARER"];
    const w = new Writer().int16(mechanisms.includes(mechanism) ? ERR.NONE : ERR.UNSUPPORTED_SASL_MECHANISM);
    w.int32(mechanisms.length);
    mechanisms.forEach((m) => w.legacyString(m));
    return [mechanism, w];
  }

  private saslAuthenticate(r: Reader): [boolean, unknown, Writer] {
    const auth = r.compactBytes().toString("utf8");
    r.taggedFields();
    // RFC 7628 client-first message: "n,,\x01auth=Bearer <token>\x01\x01"
    const [gs2, authField] = auth.split("\u0001");
    const token = gs2?.startsWith("n,") && authField?.startsWith("auth=Bearer ") ? authField.slice("auth=Bearer ".length) : undefined;
    const problem = token ? this.checkToken(token) : "not an OAUTHBEARER client-first message";
    const w = new Writer();
    if (typeof problem === "string") {
      w.int16(ERR.SASL_AUTHENTICATION_FAILED).compactNullableString(`[${randomUUID()}]: Access denied (${problem})`);
      w.compactBytes(Buffer.alloc(0)).int64(0n).taggedFields();
      return [false, token ?? auth, w];
    }
    this.acceptedTokens.push(problem.url);
    w.int16(ERR.NONE).compactNullableString(null).compactBytes(Buffer.alloc(0));
    w.int64(BigInt(problem.lifetimeMs)).taggedFields();
    return [true, token, w];
  }

  /** Checks an MSK IAM token; returns what is wrong, or the URL and the session lifetime. */
  private checkToken(token: string): string | { url: URL; lifetimeMs: number } {
    let url: URL;
    try {
      url = new URL(Buffer.from(token, "base64url").toString("utf8"));
    } catch {
      return "token is not a base64url-encoded URL";
    }
    const q = url.searchParams;
    const host = `kafka.${this.options.region}.amazonaws.com`;
    if (url.protocol !== "https:" || url.host !== host || url.pathname !== "/") return `token is not for ${host}`;
    if (q.get("Action") !== "kafka-cluster:Connect") return "token is not for kafka-cluster:Connect";
    if (q.get("X-Amz-Algorithm") !== "AWS4-HMAC-SHA256") return "token is not signed with AWS4-HMAC-SHA256";
    if (q.get("X-Amz-SignedHeaders") !== "host") return "token must sign exactly the host header";
    const [keyId, date, region, service, terminator] = (q.get("X-Amz-Credential") ?? "").split("/");
    if (!keyId || terminator !== "aws4_request" || service !== "kafka-cluster" || region !== this.options.region) {
      return "token credential scope is not <key>/<date>/<region>/kafka-cluster/aws4_request";
    }
    const secret = this.options.keys[keyId];
    if (!secret) return "unknown access key";
    const amzDate = q.get("X-Amz-Date") ?? "";
    const m = /^(\d{4})(\d{2})(\d{2})T(\d{2})(\d{2})(\d{2})Z$/.exec(amzDate);
    const expires = Number(q.get("X-Amz-Expires"));
    if (!m || m[1]! + m[2]! + m[3]! !== date || !Number.isInteger(expires) || expires < 1 || expires > MAX_TOKEN_SECONDS) {
      return "token date or expiry is malformed";
    }
    const signedAt = Date.UTC(+m[1]!, +m[2]! - 1, +m[3]!, +m[4]!, +m[5]!, +m[6]!);
    const now = (this.options.now?.() ?? new Date()).getTime();
    if (now > signedAt + expires * 1000) return "token has expired";
    // SigV4 presigned URL: canonical request over the sorted, RFC 3986-encoded query.
    const enc = (s: string) => encodeURIComponent(s).replace(/[!'()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
    const query = [...q.entries()]
      .filter(([k]) => k !== "X-Amz-Signature" && k !== "User-Agent")
      .map(([k, v]) => `${enc(k)}=${enc(v)}`)
      .sort()
      .join("&");
    const emptyHash = createHash("sha256").update("").digest("hex");
    const canonical = ["GET", "/", query, `host:${host}`, "", "host", emptyHash].join("\n");
    const scope = `${date}/${region}/${service}/aws4_request`;
    const toSign = ["AWS4-HMAC-SHA256", amzDate, scope, createHash("sha256").update(canonical).digest("hex")].join("\n");
    let key: Buffer = createHmac("sha256", `AWS4${secret}`).update(date).digest();
    for (const part of [region, service, "aws4_request"]) key = createHmac("sha256", key).update(part).digest();
    const expected = createHmac("sha256", key).update(toSign).digest();
    const given = Buffer.from(q.get("X-Amz-Signature") ?? "", "hex");
    if (given.length !== expected.length || !timingSafeEqual(given, expected)) return "signature does not match";
    return { url, lifetimeMs: Math.max(1000, signedAt + expires * 1000 - now) };
  }

  private metadata(r: Reader): [unknown, Writer] {
    const asked = r.compactNullableArray((r) => {
      r.uuid();
      const name = r.compactNullableString();
      r.taggedFields();
      return name ?? "";
    });
    r.boolean(); // allow_auto_topic_creation (MSK Serverless does not auto-create)
    r.boolean();
    r.taggedFields();
    const names = asked ?? [...this.topics.keys()].sort();
    const w = new Writer()
      .int32(0)
      .array([1], (w, id) => w.int32(id).compactString("127.0.0.1").int32(this.port).compactNullableString(null).taggedFields())
      .compactNullableString("standin-serverless-cluster")
      .int32(1);
    w.array(names, (w, name) => {
      const t = this.topics.get(name);
      w.int16(t ? ERR.NONE : ERR.UNKNOWN_TOPIC_OR_PARTITION).compactNullableString(name).uuid(t?.id).boolean(false);
      w.array(t ? [...Array(t.partitions).keys()] : [], (w, p) =>
        w.int16(ERR.NONE).int32(p).int32(1).int32(0).int32Array([1]).int32Array([1]).int32Array([]).taggedFields(),
      );
      w.int32(-2147483648).taggedFields();
    });
    return [asked, w.taggedFields()];
  }

  private createTopics(r: Reader): [unknown, Writer] {
    const topics = r.compactArray((r) => {
      const name = r.compactString();
      const partitions = r.int32();
      const replicationFactor = r.int16();
      const assignments = r.compactArray((r) => {
        r.int32();
        r.compactArray((r) => r.int32());
        r.taggedFields();
        return 1;
      });
      const configs = r.compactArray((r) => {
        const entry = [r.compactString(), r.compactNullableString()] as const;
        r.taggedFields();
        return entry;
      });
      r.taggedFields();
      return { name, partitions, replicationFactor, assignments: assignments.length, configs: Object.fromEntries(configs) };
    });
    const timeoutMs = r.int32();
    const validateOnly = r.boolean();
    r.taggedFields();
    const w = new Writer().int32(0);
    w.array(topics, (w, t) => {
      const [code, message] = this.refuseCreate(t);
      if (code === ERR.NONE) this.addTopic(t.name, t.partitions, t.configs as Record<string, string>);
      const created = this.topics.get(t.name);
      w.compactString(t.name).uuid(code === ERR.NONE ? created?.id : undefined).int16(code).compactNullableString(message);
      w.int32(code === ERR.NONE ? t.partitions : -1).int16(code === ERR.NONE ? 3 : -1);
      w.array(code === ERR.NONE ? this.described(t.name) : [], (w, c) =>
        w.compactString(c.name).compactNullableString(c.value).boolean(c.readOnly).int8(c.source).boolean(false).taggedFields(),
      );
      w.taggedFields();
    });
    return [{ topics, timeoutMs, validateOnly }, w.taggedFields()];
  }

  private refuseCreate(t: { name: string; partitions: number; replicationFactor: number; assignments: number; configs: Record<string, string | null> }): [number, string | null] {
    if (this.topics.has(t.name)) return [ERR.TOPIC_ALREADY_EXISTS, `Topic '${t.name}' already exists.`];
    if (t.partitions < 1 || t.assignments) return [ERR.INVALID_PARTITIONS, "Number of partitions must be larger than 0."];
    if (t.replicationFactor !== -1) {
      return [ERR.INVALID_REPLICATION_FACTOR, `Amazon MSK Serverless sets the replication factor; got ${t.replicationFactor}.`];
    }
    for (const [name, value] of Object.entries(t.configs)) {
      const problem = configProblem(name, value, "create");
      if (problem) return problem;
    }
    return [ERR.NONE, null];
  }

  private described(name: string): { name: string; value: string; readOnly: boolean; source: number }[] {
    const t = this.topics.get(name)!;
    const editable = Object.entries(EDITABLE_DEFAULTS).map(([k, v]) => {
      const set = t.configs.get(k);
      // config_source: 1 DYNAMIC_TOPIC_CONFIG, 5 DEFAULT_CONFIG
      return { name: k, value: set ?? v, readOnly: false, source: set === undefined ? 5 : 1 };
    });
    const fixed = Object.entries(READ_ONLY_DEFAULTS).map(([k, v]) => ({ name: k, value: v, readOnly: true, source: 5 }));
    return [...editable, ...fixed];
  }

  private describeConfigs(r: Reader): [unknown, Writer] {
    const resources = r.compactArray((r) => {
      const type = r.int8();
      const name = r.compactString();
      const keys = r.compactNullableArray((r) => r.compactString());
      r.taggedFields();
      return { type, name, keys };
    });
    r.boolean();
    r.boolean();
    r.taggedFields();
    const w = new Writer().int32(0);
    w.array(resources, (w, res) => {
      const known = res.type === 2 && this.topics.has(res.name);
      const code = res.type !== 2 ? ERR.INVALID_CONFIG : known ? ERR.NONE : ERR.UNKNOWN_TOPIC_OR_PARTITION;
      w.int16(code).compactNullableString(code ? `cannot describe ${res.name}` : null).int8(res.type).compactString(res.name);
      const configs = known ? this.described(res.name).filter((c) => !res.keys || res.keys.includes(c.name)) : [];
      w.array(configs, (w, c) => {
        w.compactString(c.name).compactNullableString(c.value).boolean(c.readOnly).int8(c.source).boolean(false);
        w.array([], () => undefined).int8(2).compactNullableString(null).taggedFields();
      });
      w.taggedFields();
    });
    return [resources.map((x) => x.name), w.taggedFields()];
  }

  private incrementalAlterConfigs(r: Reader): [unknown, Writer] {
    const resources = r.compactArray((r) => {
      const type = r.int8();
      const name = r.compactString();
      const configs = r.compactArray((r) => {
        const c = { name: r.compactString(), op: r.int8(), value: r.compactNullableString() };
        r.taggedFields();
        return c;
      });
      r.taggedFields();
      return { type, name, configs };
    });
    const validateOnly = r.boolean();
    r.taggedFields();
    const w = new Writer().int32(0);
    w.array(resources, (w, res) => {
      const t = this.topics.get(res.name);
      let problem: [number, string] | undefined = !t ? [ERR.UNKNOWN_TOPIC_OR_PARTITION, `Topic ${res.name} does not exist`] : undefined;
      for (const c of res.configs) {
        if (problem) break;
        if (c.op !== 0 && c.op !== 1) problem = [ERR.INVALID_CONFIG, `operation ${c.op} is not supported for ${c.name}`];
        else problem = configProblem(c.name, c.op === 0 ? c.value : null, "alter");
      }
      // All of a resource's changes apply, or none do (as Kafka does).
      if (!problem && t) {
        for (const c of res.configs) {
          if (c.op === 0) t.configs.set(c.name, c.value ?? "");
          else t.configs.delete(c.name);
        }
      }
      w.int16(problem?.[0] ?? ERR.NONE).compactNullableString(problem?.[1] ?? null).int8(res.type).compactString(res.name).taggedFields();
    });
    return [{ resources, validateOnly }, w.taggedFields()];
  }

  private createPartitions(r: Reader): [unknown, Writer] {
    const topics = r.compactArray((r) => {
      const name = r.compactString();
      const count = r.int32();
      r.compactNullableArray((r) => {
        r.compactArray((r) => r.int32());
        r.taggedFields();
        return 0;
      });
      r.taggedFields();
      return { name, count };
    });
    r.int32();
    const validateOnly = r.boolean();
    r.taggedFields();
    const w = new Writer().int32(0);
    w.array(topics, (w, req) => {
      const t = this.topics.get(req.name);
      let problem: [number, string] | undefined;
      if (!t) problem = [ERR.UNKNOWN_TOPIC_OR_PARTITION, `The topic '${req.name}' does not exist.`];
      else if (req.count === t.partitions) problem = [ERR.INVALID_PARTITIONS, `Topic already has ${t.partitions} partitions.`];
      else if (req.count < t.partitions) {
        problem = [ERR.INVALID_PARTITIONS, `Topic currently has ${t.partitions} partitions, which is higher than the requested ${req.count}.`];
      } else t.partitions = req.count;
      w.compactString(req.name).int16(problem?.[0] ?? ERR.NONE).compactNullableString(problem?.[1] ?? null).taggedFields();
    });
    return [{ topics, validateOnly }, w.taggedFields()];
  }
}

/** MSK Serverless's topic-config rules (serverless-config page); `value` null = reset to default. */
function configProblem(name: string, value: string | null, when: "create" | "alter"): [number, string] | undefined {
  if (!(name in EDITABLE_DEFAULTS)) return [ERR.POLICY_VIOLATION, `Amazon MSK Serverless doesn't allow topic configuration ${name}`];
  if (name === "cleanup.policy" && when === "alter") {
    return [ERR.POLICY_VIOLATION, "Amazon MSK Serverless can't alter topic configuration cleanup.policy"];
  }
  if (value === null) return undefined;
  const numeric = ["max.message.bytes", "message.timestamp.difference.max.ms", "retention.bytes", "retention.ms"];
  if (numeric.includes(name) && !/^-?\d+$/.test(value)) return [ERR.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}`];
  if (name === "max.message.bytes" && Number(value) > MAX_MESSAGE_BYTES) {
    return [ERR.POLICY_VIOLATION, `Config property 'max.message.bytes' with value '${value}' exceeded the maximum allowed value of ${MAX_MESSAGE_BYTES}.`];
  }
  const choices: Record<string, string[]> = {
    "cleanup.policy": ["delete", "compact", "compact,delete", "delete,compact"],
    "compression.type": ["uncompressed", "zstd", "lz4", "snappy", "gzip", "producer"],
    "message.timestamp.type": ["CreateTime", "LogAppendTime"],
  };
  if (choices[name] && !choices[name]!.includes(value.replace(/\s+/g, ""))) {
    return [ERR.INVALID_CONFIG, `Invalid value ${value} for configuration ${name}`];
  }
  return undefined;
}

// ---- Kafka's primitive types (https://kafka.apache.org/protocol#protocol_types) ------------------

class Reader {
  private at = 0;
  constructor(private readonly buf: Buffer) {}
  int8(): number {
    return this.buf.readInt8(this.at++);
  }
  boolean(): boolean {
    return this.int8() !== 0;
  }
  int16(): number {
    const v = this.buf.readInt16BE(this.at);
    this.at += 2;
    return v;
  }
  int32(): number {
    const v = this.buf.readInt32BE(this.at);
    this.at += 4;
    return v;
  }
  uvarint(): number {
    let value = 0;
    for (let shift = 0; ; shift += 7) {
      const b = this.buf[this.at++]!;
      value |= (b & 0x7f) << shift;
      if (!(b & 0x80)) return value >>> 0;
    }
  }
  uuid(): string {
    const hex = this.buf.subarray(this.at, this.at + 16).toString("hex");
    this.at += 16;
    return hex;
  }
  private take(n: number): Buffer {
    const b = this.buf.subarray(this.at, this.at + n);
    this.at += n;
    return b;
  }
  compactNullableString(): string | null {
    const n = this.uvarint();
    return n === 0 ? null : this.take(n - 1).toString("utf8");
  }
  compactString(): string {
    return this.compactNullableString() ?? "";
  }
  compactBytes(): Buffer {
    return this.take(this.uvarint() - 1);
  }
  legacyNullableString(): string | null {
    const n = this.int16();
    return n < 0 ? null : this.take(n).toString("utf8");
  }
  legacyString(): string {
    return this.legacyNullableString() ?? "";
  }
  /** Compact array (a struct element reads its own tagged fields in `each`). */
  compactNullableArray<T>(each: (r: Reader) => T): T[] | null {
    const n = this.uvarint();
    if (n === 0) return null;
    return Array.from({ length: n - 1 }, () => each(this));
  }
  compactArray<T>(each: (r: Reader) => T): T[] {
    return this.compactNullableArray(each) ?? [];
  }
  taggedFields(): void {
    for (let n = this.uvarint(); n > 0; n--) {
      this.uvarint();
      this.take(this.uvarint());
    }
  }
}

class Writer {
  private readonly parts: Buffer[] = [];
  bytes(): Buffer {
    return Buffer.concat(this.parts);
  }
  private fixed(size: number, write: (b: Buffer) => void): this {
    const b = Buffer.alloc(size);
    write(b);
    this.parts.push(b);
    return this;
  }
  int8(v: number): this {
    return this.fixed(1, (b) => b.writeInt8(v));
  }
  boolean(v: boolean): this {
    return this.int8(v ? 1 : 0);
  }
  int16(v: number): this {
    return this.fixed(2, (b) => b.writeInt16BE(v));
  }
  int32(v: number): this {
    return this.fixed(4, (b) => b.writeInt32BE(v));
  }
  int64(v: bigint): this {
    return this.fixed(8, (b) => b.writeBigInt64BE(v));
  }
  uvarint(v: number): this {
    const out: number[] = [];
    do {
      out.push((v & 0x7f) | (v > 0x7f ? 0x80 : 0));
      v >>>= 7;
    } while (v > 0);
    this.parts.push(Buffer.from(out));
    return this;
  }
  uuid(id: string | undefined): this {
    this.parts.push(id ? Buffer.from(id.replace(/-/g, ""), "hex") : Buffer.alloc(16));
    return this;
  }
  compactNullableString(s: string | null): this {
    if (s === null) return this.uvarint(0);
    const b = Buffer.from(s, "utf8");
    this.uvarint(b.length + 1);
    this.parts.push(b);
    return this;
  }
  compactString(s: string): this {
    return this.compactNullableString(s);
  }
  compactBytes(b: Buffer): this {
    this.uvarint(b.length + 1);
    this.parts.push(b);
    return this;
  }
  legacyString(s: string): this {
    const b = Buffer.from(s, "utf8");
    this.int16(b.length);
    this.parts.push(b);
    return this;
  }
  array<T>(items: readonly T[], each: (w: Writer, item: T) => unknown): this {
    this.uvarint(items.length + 1);
    for (const item of items) each(this, item);
    return this;
  }
  int32Array(items: readonly number[]): this {
    return this.array(items, (w, v) => w.int32(v));
  }
  taggedFields(): this {
    return this.uvarint(0);
  }
}

/** A self-signed certificate for 127.0.0.1, made with openssl in a temporary directory (test use only). */
export function throwawayCertificate(): { key: string; cert: string } {
  const dir = mkdtempSync(path.join(tmpdir(), "kafka-standin-"));
  try {
    execFileSync("openssl", [
      "req", "-x509", "-newkey", "ec", "-pkeyopt", "ec_paramgen_curve:prime256v1", "-nodes", "-days", "1",
      "-subj", "/CN=127.0.0.1", "-addext", "subjectAltName=IP:127.0.0.1",
      "-keyout", path.join(dir, "key.pem"), "-out", path.join(dir, "cert.pem"),
    ], { stdio: "ignore" });
    return { key: readFileSync(path.join(dir, "key.pem"), "utf8"), cert: readFileSync(path.join(dir, "cert.pem"), "utf8") };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
