/**
 * The bootstrap run, with every outside effect injected (base URL, credentials, secrets, sleep,
 * randomness, output), so tests drive it in-process against stand-ins.
 *
 * Order: on MSK Serverless, the Kafka topics first (plan.kafka_topics; see kafka-topics.ts): they
 * depend on nothing in OpenSearch, both the source and the sink connectors need them, and brokers
 * that cannot be reached or refuse the sign-in stop the run before OpenSearch is touched, so a run
 * never leaves the domain configured for topics that do not exist. Then the master (rotated or
 * repaired; everything else signs in with it or needs the mappings it makes), then Dashboards
 * users, access (role mappings, read-only role, audit logging), the indexes (with IAM: the caller
 * is mapped by then), the sinks' users, roles and mappings, and the Dashboards saved objects.
 */
import * as path from "node:path";
import type { ConnectionOptions } from "node:tls";
import type { AwsCredentialIdentity, AwsCredentialIdentityProvider } from "@smithy/types";
import { EndpointError, endpointFromTerraform, normalizeEndpoint, type TerraformOutputRunner } from "./endpoint";
import { ensureAccess } from "./access";
import { DEFAULT_RETRY, OpenSearchClient, UnreachableError, type RetryPolicy } from "./client";
import { ensureIndex } from "./indexes";
import { BrokersError, ensureKafkaTopic, KafkaConnectionError, KafkaTopicAdmin, parseBrokers, readTopicStates } from "./kafka-topics";
import { ensureMaster } from "./master";
import { defaultPlanPath, PLAN_IAM_ROLE_ARN, PlanError, type BootstrapPlan } from "../../modules/search/bootstrap-plan";
import { loadPlan } from "./plan-file";
import type { SecretStore } from "./secrets";
import { ensureSavedObjects } from "./saved-objects";
import { ensureDashboardsUser, ensureIamSink, ensureSink } from "./sinks";
import { EXIT_FAILED, EXIT_OK, EXIT_USAGE, parseCommandLine, UsageError, usageErrorText } from "../cli";

export { EXIT_FAILED, EXIT_OK, EXIT_USAGE };

export interface BootstrapOptions {
  readonly env: string;
  /** @default cdktf.out/bootstrap/<env>/plan.json (relative to `cwd`) */
  readonly planPath?: string;
  /** Already-loaded plan (tests); takes precedence over planPath. */
  readonly plan?: BootstrapPlan;
  /** Host name, with or without https://. @default - the stack's Terraform output */
  readonly endpoint?: string;
  /**
   * MSK Serverless brokers, `host:port,...` (SASL/IAM). Only for a plan with kafka_topics.
   * @default - the stack's Terraform output the plan names
   */
  readonly kafkaBrokers?: string;
  readonly dryRun?: boolean;
  readonly rotate?: boolean;
  /** Connect timeout and response timeout of each request. @default 10000 */
  readonly timeoutMs?: number;
  /**
   * IAM sinks' role ARNs by connector (`--iam-role <connector>=<arn>`, what the on-deploy runner
   * passes). @default - each from the stack's Terraform output the plan names (role_arn_output)
   */
  readonly iamRoles?: Readonly<Record<string, string>>;
}

export interface BootstrapDeps {
  /** Overrides the endpoint entirely, e.g. `http://127.0.0.1:PORT` for a stand-in. */
  readonly baseUrl?: string;
  /** IAM credentials for SigV4 (the AWS SDK chain in the CLI). */
  readonly credentials: AwsCredentialIdentityProvider | AwsCredentialIdentity;
  /** Built once the plan (and so the region) is known. */
  readonly secrets: (region: string) => SecretStore;
  readonly terraformOutput: TerraformOutputRunner;
  /**
   * Extra TLS options for the Kafka brokers (tests: the stand-in's CA); verification stays on.
   * @default - the system's CAs
   */
  readonly kafkaTls?: ConnectionOptions;
  readonly sleep: (ms: number) => Promise<void>;
  readonly random: () => number;
  readonly retry?: RetryPolicy;
  /** Result lines (stdout). */
  readonly out: (line: string) => void;
  /** Notes and errors (stderr). */
  readonly err: (line: string) => void;
  /** Project root that relative plan and stack paths are resolved against. @default process.cwd() */
  readonly cwd?: string;
}

export const DEFAULT_TIMEOUT_MS = 10_000;

export async function runBootstrap(options: BootstrapOptions, deps: BootstrapDeps): Promise<number> {
  const cwd = deps.cwd ?? process.cwd();
  const dryRun = options.dryRun ?? false;
  const prefix = dryRun ? "[dry-run] " : "";

  let plan: BootstrapPlan;
  try {
    plan = options.plan ?? loadPlan(path.resolve(cwd, options.planPath ?? defaultPlanPath(options.env)), options.env);
  } catch (e) {
    if (e instanceof PlanError) {
      deps.err(`error: ${e.message}`);
      return EXIT_USAGE;
    }
    throw e;
  }

  // The stack's outputs are read once, whichever of the endpoint and the brokers need them.
  const outputs = new Map<string, Promise<string>>();
  const terraformOutput: TerraformOutputRunner = (dir) => {
    if (!outputs.has(dir)) outputs.set(dir, deps.terraformOutput(dir));
    return outputs.get(dir)!;
  };

  if (options.kafkaBrokers !== undefined && !plan.kafka_topics) {
    deps.err(
      "error: --kafka-brokers was given, but the plan has no kafka_topics (a provisioned cluster: Terraform creates its topics)",
    );
    return EXIT_USAGE;
  }

  let baseUrl: string;
  try {
    baseUrl =
      deps.baseUrl ??
      normalizeEndpoint(
        options.endpoint ??
          (await endpointFromTerraform(path.resolve(cwd, plan.stack_dir), plan.endpoint_output, plan.environment, terraformOutput)),
      );
  } catch (e) {
    if (e instanceof EndpointError) {
      deps.err(`error: ${e.message}`);
      // A malformed --endpoint is a usage error; an undeployed stack is not.
      return options.endpoint !== undefined ? EXIT_USAGE : EXIT_FAILED;
    }
    throw e;
  }

  let brokers: string[] | undefined;
  if (plan.kafka_topics) {
    try {
      brokers = parseBrokers(
        options.kafkaBrokers ??
          (await endpointFromTerraform(
            path.resolve(cwd, plan.stack_dir),
            plan.kafka_topics.bootstrap_brokers_output,
            plan.environment,
            terraformOutput,
            { what: "Kafka broker list", flag: "--kafka-brokers HOST:PORT,..." },
          )),
      );
    } catch (e) {
      if (e instanceof EndpointError || e instanceof BrokersError) {
        deps.err(`error: ${e.message}`);
        return options.kafkaBrokers !== undefined ? EXIT_USAGE : EXIT_FAILED;
      }
      throw e;
    }
  }

  // Resolve credentials once up front: a missing login is one clear message, not a failure per index.
  try {
    if (typeof deps.credentials === "function") await deps.credentials();
  } catch (e) {
    deps.err(
      `error: no AWS credentials (${messageOf(e)}); sign in to AWS first (e.g. aws sso login, AWS_PROFILE=...)`,
    );
    return EXIT_FAILED;
  }

  const os = new OpenSearchClient({
    baseUrl,
    region: plan.region,
    credentials: deps.credentials,
    timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
    retry: deps.retry ?? DEFAULT_RETRY,
    sleep: deps.sleep,
    random: deps.random,
    note: (line) => deps.err(`${prefix}${line}`),
  });
  const secrets = deps.secrets(plan.region);

  let failures = 0;
  let steps = 0;
  // One step per user, access, index or sink: its action lines, then its result line; a failure is
  // reported and counted, and the next step still runs (only an unreachable endpoint, or a master
  // that cannot sign in, stops the run).
  const step = async (label: string, run: () => Promise<{ ok: boolean; line: string; actions: readonly string[] }>) => {
    steps++;
    try {
      const r = await run();
      r.actions.forEach((a) => deps.out(`${prefix}${a}`));
      if (!dryRun || !r.actions.length) deps.out(`${prefix}${r.line}`);
      if (!r.ok) failures++;
      return r.ok;
    } catch (e) {
      if (e instanceof UnreachableError || e instanceof KafkaConnectionError) throw e;
      failures++;
      deps.out(`${prefix}${label}: FAILED — ${messageOf(e)}`);
      return false;
    }
  };
  const rotate = options.rotate ?? false;
  try {
    if (plan.kafka_topics && brokers) {
      const admin = new KafkaTopicAdmin({
        brokers,
        region: plan.region,
        credentials: deps.credentials,
        timeoutMs: options.timeoutMs ?? DEFAULT_TIMEOUT_MS,
        tls: deps.kafkaTls,
      });
      try {
        const topics = plan.kafka_topics.topics;
        let states: Awaited<ReturnType<typeof readTopicStates>>;
        try {
          states = await readTopicStates(admin, topics);
        } catch (e) {
          if (e instanceof KafkaConnectionError) throw e;
          deps.err(`error: cannot read the Kafka topics (${messageOf(e)}); nothing was changed`);
          return EXIT_FAILED;
        }
        for (const topic of topics) {
          await step(`kafka topic ${topic.name}`, () => ensureKafkaTopic(admin, topic, states.get(topic.name)!, dryRun));
        }
      } finally {
        await admin.close();
      }
    }
    let master: Awaited<ReturnType<typeof ensureMaster>>["credentials"];
    await step(`master ${plan.master.username}`, async () => {
      const r = await ensureMaster(os, secrets, plan.master, { dryRun, rotate });
      master = r.credentials;
      return r;
    });
    if (!master) {
      deps.err("the master user cannot sign in, so nothing else was changed; fix the line above and re-run");
      return EXIT_FAILED;
    }
    const m = master;
    for (const user of plan.dashboards_users) {
      await step(`dashboards user ${user.username}`, () => ensureDashboardsUser(os, m, secrets, user, { dryRun, rotate }));
    }
    let iamMapped = false;
    await step("access", async () => {
      const r = await ensureAccess(os, m, plan, { dryRun });
      iamMapped = r.identityMapped;
      return r;
    });
    // Indexes with IAM, as people and CI work; as the master only while the caller is not mapped
    // yet (a first --dry-run, or the access step failed).
    const indexes = os.as(iamMapped ? undefined : m);
    for (const index of plan.indexes) await step(index.name, () => ensureIndex(indexes, index, dryRun));
    for (const sink of plan.sinks) {
      await step(`sink ${sink.connector}`, () => ensureSink(os, m, secrets, sink, { dryRun, rotate }));
    }
    const roleArn = iamRoleArns(plan, options, cwd, deps);
    for (const sink of plan.iam_sinks ?? []) {
      await step(`sink ${sink.connector}`, async () => ensureIamSink(os, m, sink, await roleArn(sink.connector, sink.role_arn_output), { dryRun }));
    }
    // Dashboards objects last: their index patterns name the indexes created above.
    for (const entry of plan.dashboards_saved_objects ?? []) {
      await step(`dashboards objects ${entry.file}`, () => ensureSavedObjects(os.as(m), entry, { dryRun }));
    }
  } catch (e) {
    if (e instanceof UnreachableError) {
      deps.err(`error: ${e.message}`);
      return EXIT_FAILED;
    }
    if (e instanceof KafkaConnectionError) {
      deps.err(`error: ${e.message}`);
      deps.err("OpenSearch was not touched; fix the line above and re-run (what was already done is kept)");
      return EXIT_FAILED;
    }
    throw e;
  } finally {
    await os.close();
  }

  if (failures) {
    deps.err(`${failures} of ${steps} step(s) failed; the others were applied (a re-run finishes the job)`);
    return EXIT_FAILED;
  }
  return EXIT_OK;
}

/**
 * An IAM sink's role ARN: from --iam-role, else from the stack's Terraform outputs (read once, only
 * when needed). A missing or malformed ARN fails that sink's step, not the run.
 */
function iamRoleArns(plan: BootstrapPlan, options: BootstrapOptions, cwd: string, deps: BootstrapDeps): (connector: string, output: string) => Promise<string> {
  let outputs: Promise<Record<string, { value?: unknown }>> | undefined;
  const readOutputs = () =>
    (outputs ??= deps.terraformOutput(path.resolve(cwd, plan.stack_dir)).then(
      (stdout) => JSON.parse(stdout || "{}") as Record<string, { value?: unknown }>,
      (e: unknown) => {
        throw new Error(`"terraform output -json" failed in ${plan.stack_dir} (${messageOf(e)}): deploy the stack first or pass --iam-role <connector>=<arn>`);
      },
    ));
  return async (connector, output) => {
    const given = options.iamRoles?.[connector];
    const value = given ?? (await readOutputs())[output]?.value;
    if (typeof value !== "string" || !value) {
      throw new Error(`no role ARN: Terraform output "${output}" is missing (deploy the stack first) and no --iam-role ${connector}=<arn> was given`);
    }
    if (!PLAN_IAM_ROLE_ARN.test(value)) throw new Error(`role ARN "${value}" ${given ? "(--iam-role)" : `(output ${output})`} is not an IAM role ARN`);
    return value;
  };
}

function messageOf(e: unknown): string {
  if (e instanceof Error) return e.message.split("\n")[0] ?? e.name;
  return String(e);
}

export const USAGE = `usage: npx tsx scripts/bootstrap-indexes.ts --env ENV [--plan FILE] [--endpoint HOST] [--kafka-brokers HOST:PORT,...] [--dry-run] [--rotate] [--timeout-ms N]

  --env ENV         environment name (configs/environments/ENV.yaml)
  --plan FILE       bootstrap plan (default: cdktf.out/bootstrap/ENV/plan.json)
  --endpoint HOST   OpenSearch domain endpoint (default: the stack's Terraform output)
  --kafka-brokers HOST:PORT,...
                    MSK Serverless SASL/IAM bootstrap brokers, for a plan with Kafka topics
                    (default: the stack's Terraform output the plan names)
  --dry-run         read only: print what would change, change nothing
  --rotate          new passwords for the master, the sinks and the Dashboards users (secret first)
  --timeout-ms N    per-request connect/response timeout in ms (default: ${DEFAULT_TIMEOUT_MS})
  --iam-role C=ARN  role ARN of IAM sink C (OpenSearch Ingestion; default: the stack's Terraform output)`;

/** Parse argv (without node and script). Throws UsageError; returns undefined for --help. */
export function parseCliArgs(argv: readonly string[]): BootstrapOptions | undefined {
  const parsed = parseCommandLine(argv, {
    usage: USAGE,
    options: {
      env: { type: "string" },
      plan: { type: "string" },
      endpoint: { type: "string" },
      "kafka-brokers": { type: "string" },
      "dry-run": { type: "boolean" },
      rotate: { type: "boolean" },
      "timeout-ms": { type: "string" },
      "iam-role": { type: "string", multiple: true },
    },
  });
  if (parsed === undefined) return undefined;
  const { values } = parsed;
  const env = values.env;
  if (!env) throw new UsageError("--env is required");
  if (!/^[A-Za-z0-9][A-Za-z0-9_-]*$/.test(env)) throw new UsageError(`--env "${env}" is not a valid environment name`);
  let timeoutMs: number | undefined;
  const rawTimeout = values["timeout-ms"];
  if (rawTimeout !== undefined) {
    if (!/^\d+$/.test(rawTimeout) || Number(rawTimeout) < 1) {
      throw new UsageError(`--timeout-ms must be a positive whole number of milliseconds, got "${rawTimeout}"`);
    }
    timeoutMs = Number(rawTimeout);
  }
  const kafkaBrokers = values["kafka-brokers"];
  if (kafkaBrokers !== undefined) {
    try {
      parseBrokers(kafkaBrokers);
    } catch (e) {
      if (e instanceof BrokersError) throw new UsageError(`--kafka-brokers: ${e.message}`);
      throw e;
    }
  }
  const iamRoles: Record<string, string> = {};
  for (const pair of values["iam-role"] ?? []) {
    const m = /^([a-z][a-z0-9-]*)=(.+)$/.exec(pair);
    if (!m) throw new UsageError(`--iam-role must be <connector>=<role ARN>, got "${pair}"`);
    iamRoles[m[1]!] = m[2]!;
  }
  return {
    env,
    ...(Object.keys(iamRoles).length ? { iamRoles } : {}),
    planPath: values.plan,
    endpoint: values.endpoint,
    kafkaBrokers,
    dryRun: Boolean(values["dry-run"]),
    rotate: Boolean(values.rotate),
    timeoutMs,
  };
}

/** The CLI: parse, run, map every user mistake to a message and an exit code. */
export async function runCli(argv: readonly string[], deps: BootstrapDeps): Promise<number> {
  let options: BootstrapOptions | undefined;
  try {
    options = parseCliArgs(argv);
  } catch (e) {
    if (e instanceof UsageError) {
      deps.err(usageErrorText(e.message, USAGE).trimEnd());
      return EXIT_USAGE;
    }
    throw e;
  }
  if (!options) {
    deps.out(USAGE);
    return EXIT_OK;
  }
  return runBootstrap(options, deps);
}
