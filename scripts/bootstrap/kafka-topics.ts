/**
 * MSK Serverless topics, over the Kafka protocol: MSK's topic API (what Terraform's aws_msk_topic
 * uses) is Provisioned-only, so the bootstrap creates and keeps in step the topics of
 * `plan.kafka_topics` itself, as a Kafka admin client signed in with SASL/IAM (OAUTHBEARER carrying
 * an MSK IAM token from aws-msk-iam-sasl-signer-js, made from the same AWS credentials as the rest
 * of the bootstrap), over TLS with certificate verification on.
 *
 * It converges and never deletes: a missing topic is created with its partitions and configs (the
 * replication factor is the service's); an existing one gets the configs that differ from the plan
 * (IncrementalAlterConfigs, only the keys that differ: a plain AlterConfigs would reset every other
 * config and repeat cleanup.policy, which Serverless refuses) and more partitions when the plan has
 * more. What cannot be done is reported and nothing of that topic is changed: fewer partitions than
 * the topic has (Kafka cannot remove partitions) and a cleanup.policy change (Serverless sets it at
 * creation only). Configs set on the topic but absent from the plan are reported, not reset. The
 * broker's own refusals (a config Serverless does not allow, max.message.bytes above 8 MiB) are
 * reported with the broker's message.
 */
import type { ConnectionOptions } from "node:tls";
import { Admin } from "@platformatic/kafka";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { generateAuthTokenFromCredentialsProvider } from "aws-msk-iam-sasl-signer-js";
import type { PlanKafkaTopic } from "../../modules/search/bootstrap-plan";

/** A problem that stops the Kafka part of the run (and so the run): brokers unreachable, sign-in refused. */
export class KafkaConnectionError extends Error {
  override readonly name = "KafkaConnectionError";
}

/** A malformed broker list (the --kafka-brokers flag or the Terraform output). */
export class BrokersError extends Error {
  override readonly name = "BrokersError";
}

/** `host:port,host:port` (MSK's BootstrapBrokerStringSaslIam) as a list; throws BrokersError. */
export function parseBrokers(raw: string): string[] {
  const brokers = raw
    .split(",")
    .map((b) => b.trim())
    .filter(Boolean);
  if (!brokers.length) throw new BrokersError("the Kafka broker list is empty");
  for (const b of brokers) {
    const m = /^([A-Za-z0-9.-]+|\[[0-9A-Fa-f:]+\]):(\d{1,5})$/.exec(b);
    if (!m || Number(m[2]) < 1 || Number(m[2]) > 65535) {
      throw new BrokersError(`"${b}" is not a Kafka broker address (expected host:port, e.g. boot-abc.c1.kafka-serverless.ap-southeast-2.amazonaws.com:9098)`);
    }
  }
  return brokers;
}

export interface KafkaAdminOptions {
  readonly brokers: readonly string[];
  /** Region of the cluster: the IAM token is signed for it. */
  readonly region: string;
  readonly credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Connect timeout and Kafka request timeout, in ms. */
  readonly timeoutMs: number;
  /**
   * Extra TLS options (tests: the stand-in's CA). Verification stays on whatever is passed.
   * @default - the system's CAs (MSK's certificates are publicly trusted)
   */
  readonly tls?: ConnectionOptions;
}

/** The few admin calls the topic bootstrap makes, with errors turned into readable messages. */
export class KafkaTopicAdmin {
  private readonly admin: Admin;
  private readonly brokers: readonly string[];
  private readonly timeoutMs: number;

  constructor(options: KafkaAdminOptions) {
    const credentials = options.credentials;
    const provider: AwsCredentialIdentityProvider = typeof credentials === "function" ? credentials : async () => credentials;
    this.brokers = options.brokers;
    this.timeoutMs = options.timeoutMs;
    this.admin = new Admin({
      clientId: "msk-opensearch-pipeline-bootstrap",
      bootstrapBrokers: [...options.brokers],
      // A token per connection (and per re-authentication), signed when it is needed.
      sasl: {
        mechanism: "OAUTHBEARER",
        token: async () => (await generateAuthTokenFromCredentialsProvider({ region: options.region, awsCredentialsProvider: provider })).token,
      },
      tls: { ...options.tls, rejectUnauthorized: true },
      connectTimeout: options.timeoutMs,
      requestTimeout: options.timeoutMs * 3,
      timeout: options.timeoutMs,
      retries: 1,
      retryDelay: 250,
    });
    // A connection that failed or dropped can emit a second "error" that nothing listens to, which
    // Node turns into an uncaught exception (a stack trace). Its requests already fail through their
    // callbacks, so later errors of a connection are ignored here.
    const quiet = ({ connection }: { connection: { on(event: "error", listener: () => void): unknown } }) => {
      connection.on("error", () => undefined);
    };
    this.admin.on("client:broker:connect", quiet);
    this.admin.on("client:broker:failed", quiet);
  }

  async listTopics(): Promise<Set<string>> {
    return new Set(await this.call(() => this.admin.listTopics()));
  }

  async partitionCounts(topics: readonly string[]): Promise<Map<string, number>> {
    if (!topics.length) return new Map();
    const metadata = await this.call(() => this.admin.metadata({ topics: [...topics], forceUpdate: true }));
    return new Map(topics.map((t) => [t, metadata.topics.get(t)?.partitionsCount ?? 0]));
  }

  /** Each topic's current config values, and which of them are set on the topic (not defaults). */
  async configs(topics: readonly string[]): Promise<Map<string, { values: Map<string, string>; setOnTopic: Set<string> }>> {
    if (!topics.length) return new Map();
    const described = await this.call(() =>
      this.admin.describeConfigs({ resources: topics.map((t) => ({ resourceType: TOPIC, resourceName: t })) }),
    );
    const result = new Map<string, { values: Map<string, string>; setOnTopic: Set<string> }>();
    for (const d of described) {
      const values = new Map<string, string>();
      const setOnTopic = new Set<string>();
      for (const c of d.configs) {
        if (c.value !== null && c.value !== undefined) values.set(c.name, c.value);
        if (c.configSource === DYNAMIC_TOPIC_CONFIG) setOnTopic.add(c.name);
      }
      result.set(d.resourceName, { values, setOnTopic });
    }
    return result;
  }

  async create(topic: PlanKafkaTopic): Promise<void> {
    await this.call(() =>
      this.admin.createTopics({
        topics: [topic.name],
        partitions: topic.partitions,
        // -1: the service's replication factor (MSK Serverless manages replication).
        replicas: -1,
        configs: Object.entries(topic.configs).map(([name, value]) => ({ name, value })),
      }),
    );
  }

  async setConfigs(topic: string, configs: Readonly<Record<string, string>>): Promise<void> {
    await this.call(() =>
      this.admin.incrementalAlterConfigs({
        resources: [
          {
            resourceType: TOPIC,
            resourceName: topic,
            configs: Object.entries(configs).map(([name, value]) => ({ name, value, configOperation: SET })),
          },
        ],
      }),
    );
  }

  async addPartitions(topic: string, count: number): Promise<void> {
    await this.call(() => this.admin.createPartitions({ topics: [{ name: topic, count, assignments: [] }] }));
  }

  async close(): Promise<void> {
    await this.admin.close().catch(() => undefined);
  }

  /** Runs a client call; connection problems become KafkaConnectionError, broker refusals plain Errors with the broker's words. */
  private async call<T>(run: () => Promise<T>): Promise<T> {
    try {
      return await run();
    } catch (e) {
      throw this.explain(e);
    }
  }

  private explain(e: unknown): Error {
    const all = flatten(e);
    const where = this.brokers.join(", ");
    const signer = all.find((x) => x.code === "PLT_KFK_AUTHENTICATION" && /token provider/.test(x.message));
    if (signer) {
      const cause = all[all.indexOf(signer) + 1];
      return new KafkaConnectionError(`could not sign the MSK IAM token (${cause?.message ?? signer.message}); sign in to AWS again (e.g. aws sso login)`);
    }
    const saslRefused = all.find((x) => x.apiId === "SASL_AUTHENTICATION_FAILED");
    if (saslRefused || all.some((x) => x.code === "PLT_KFK_AUTHENTICATION")) {
      const detail = saslRefused?.serverErrorMessage ?? all.find((x) => x.code === "PLT_KFK_AUTHENTICATION")?.message ?? "";
      return new KafkaConnectionError(
        `the Kafka brokers (${where}) refused the SASL/IAM sign-in${detail ? ` (${detail})` : ""}: the AWS identity needs kafka-cluster:Connect on the cluster, and the credentials must be current`,
      );
    }
    const tlsError = all.find((x) => typeof x.code === "string" && TLS_CODES.test(x.code));
    if (tlsError) {
      return new KafkaConnectionError(`the TLS certificate of the Kafka brokers (${where}) was not accepted (${tlsError.code}: ${tlsError.message})`);
    }
    const refusal = all.find((x) => x.code === "PLT_KFK_PROTOCOL" && x.apiId);
    if (refusal) return new Error(`${refusal.apiId}${refusal.serverErrorMessage ? `: ${refusal.serverErrorMessage}` : ""}`);
    const network = all.find((x) => x.code === "PLT_KFK_NETWORK" || x.code === "PLT_KFK_TIMEOUT" || (typeof x.code === "string" && /^E[A-Z]+$/.test(x.code)));
    if (network) {
      const cause = [...all].reverse().find((x) => typeof x.code === "string" && /^E[A-Z]+$/.test(x.code)) ?? network;
      return new KafkaConnectionError(
        `cannot reach the Kafka brokers (${where}) within ${Number((this.timeoutMs / 1000).toFixed(1))}s — is the VPN connected? (${cause.message})`,
      );
    }
    return e instanceof Error ? e : new Error(String(e));
  }
}

const TOPIC = 2; // ConfigResourceTypes.TOPIC
const SET = 0; // IncrementalAlterConfigOperationTypes.SET
const DYNAMIC_TOPIC_CONFIG = 1; // ConfigSources.DYNAMIC_TOPIC_CONFIG
const TLS_CODES = /CERT|SELF_SIGNED|UNABLE_TO_VERIFY|ERR_TLS|ERR_SSL/;

interface ErrorLike {
  readonly message: string;
  readonly code?: unknown;
  readonly apiId?: string;
  readonly serverErrorMessage?: string | null;
}

/** The error, the errors it aggregates and their causes, depth first. */
function flatten(e: unknown, seen = new Set<unknown>()): ErrorLike[] {
  if (!(e instanceof Error) || seen.has(e)) return [];
  seen.add(e);
  const inner = [...((e as AggregateError).errors ?? []), (e as { cause?: unknown }).cause];
  return [e as ErrorLike, ...inner.flatMap((x) => flatten(x, seen))];
}

export interface TopicStepResult {
  readonly ok: boolean;
  readonly line: string;
  readonly actions: readonly string[];
}

/** cleanup.policy compares as a set ("compact,delete" = "delete, compact"); the rest as trimmed text. */
function sameValue(key: string, a: string, b: string): boolean {
  if (key === "cleanup.policy") {
    const norm = (v: string) => v.split(",").map((s) => s.trim()).filter(Boolean).sort().join(",");
    return norm(a) === norm(b);
  }
  return a.trim() === b.trim();
}

function describeConfigs(configs: Readonly<Record<string, string>>): string {
  const entries = Object.entries(configs);
  return entries.length ? `, ${entries.map(([k, v]) => `${k}=${v}`).join(" ")}` : "";
}

export interface TopicState {
  readonly exists: boolean;
  readonly partitions: number;
  readonly values: ReadonlyMap<string, string>;
  readonly setOnTopic: ReadonlySet<string>;
}

/**
 * One topic: what to do (or why not), then do it unless dry-run. A failed call is reported on the
 * result line; a KafkaConnectionError propagates (it stops the run).
 */
export async function ensureKafkaTopic(
  admin: KafkaTopicAdmin,
  topic: PlanKafkaTopic,
  state: TopicState,
  dryRun: boolean,
): Promise<TopicStepResult> {
  const label = `kafka topic ${topic.name}`;
  const attempt = async (actions: string[], run: () => Promise<void>, done: string): Promise<TopicStepResult> => {
    if (dryRun) return { ok: true, line: `${label}: ${actions.length ? "would change" : "up to date"}`, actions };
    try {
      await run();
    } catch (e) {
      if (e instanceof KafkaConnectionError) throw e;
      return { ok: false, line: `${label}: FAILED — ${(e as Error).message}`, actions };
    }
    return { ok: true, line: `${label}: ${done}`, actions };
  };

  if (!state.exists) {
    const actions = [`create kafka topic ${topic.name} (${topic.partitions} partitions${describeConfigs(topic.configs)})`];
    return attempt(actions, () => admin.create(topic), "created");
  }

  // What Kafka or Serverless cannot do: report it and change nothing of this topic.
  const refused: string[] = [];
  if (topic.partitions < state.partitions) {
    refused.push(
      `it has ${state.partitions} partitions and the plan asks for ${topic.partitions}: Kafka cannot remove partitions (set partitions back to ${state.partitions} in its topic file, or recreate the topic, which deletes its data)`,
    );
  }
  const policy = topic.configs["cleanup.policy"];
  const currentPolicy = state.values.get("cleanup.policy");
  if (policy !== undefined && currentPolicy !== undefined && !sameValue("cleanup.policy", policy, currentPolicy)) {
    refused.push(
      `cleanup.policy is ${currentPolicy} and the plan asks for ${policy}: MSK Serverless sets cleanup.policy only when a topic is created (keep ${currentPolicy}, or recreate the topic, which deletes its data)`,
    );
  }
  if (refused.length) {
    return { ok: false, line: `${label}: REFUSED, nothing changed — ${refused.join("; ")}`, actions: [] };
  }

  const changes: Record<string, string> = {};
  const actions: string[] = [];
  for (const [key, value] of Object.entries(topic.configs)) {
    const current = state.values.get(key);
    if (current === undefined || !sameValue(key, value, current)) {
      changes[key] = value;
      actions.push(`set ${key} on kafka topic ${topic.name}: ${current ?? "(unset)"} -> ${value}`);
    }
  }
  if (topic.partitions > state.partitions) {
    actions.push(`add partitions to kafka topic ${topic.name}: ${state.partitions} -> ${topic.partitions}`);
  }
  const unmanaged = [...state.setOnTopic].filter((k) => !(k in topic.configs)).sort();
  const note = unmanaged.length
    ? ` (set on the topic but not in the plan, left as they are: ${unmanaged.map((k) => `${k}=${state.values.get(k)}`).join(" ")})`
    : "";
  if (!actions.length) return { ok: true, line: `${label}: up to date${note}`, actions };
  return attempt(
    actions,
    async () => {
      if (Object.keys(changes).length) await admin.setConfigs(topic.name, changes);
      if (topic.partitions > state.partitions) await admin.addPartitions(topic.name, topic.partitions);
    },
    `updated${note}`,
  );
}

/** Reads the cluster once (topics, partition counts, configs of the plan's existing topics). */
export async function readTopicStates(admin: KafkaTopicAdmin, topics: readonly PlanKafkaTopic[]): Promise<Map<string, TopicState>> {
  const existing = await admin.listTopics();
  const present = topics.map((t) => t.name).filter((n) => existing.has(n));
  const [counts, configs] = [await admin.partitionCounts(present), await admin.configs(present)];
  return new Map(
    topics.map((t) => {
      const c = configs.get(t.name);
      return [
        t.name,
        {
          exists: existing.has(t.name),
          partitions: counts.get(t.name) ?? 0,
          values: c?.values ?? new Map(),
          setOnTopic: c?.setOnTopic ?? new Set(),
        },
      ];
    }),
  );
}
