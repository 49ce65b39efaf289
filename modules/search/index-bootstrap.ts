import { createHash } from "node:crypto";
import { DataResource, Fn, Token, type IResolvable, type ITerraformDependable } from "cdktf";
import { Construct } from "constructs";
import { PROJECT_ROOT_FROM_STACK } from "../stack-layout";
import type { MappingType } from "../validators/opensearch-values";
import { BootstrapPlanSchema, INDEX_NAME, type BootstrapPlan, type IndexBody } from "./bootstrap-plan";

/**
 * One field of an index mapping.
 * @see https://opensearch.org/docs/latest/field-types/
 */
export interface IndexFieldMapping {
  readonly type: MappingType;
  /** Date format (date, date_nanos and date_range fields). @default - OpenSearch's strict_date_optional_time||epoch_millis */
  readonly format?: string;
  /** Whether the field is searchable. @default - OpenSearch's (true) */
  readonly index?: boolean;
  /** Whether the field is stored for sorting and aggregations (`doc_values`). @default - OpenSearch's (true for most types) */
  readonly docValues?: boolean;
  /** Longer strings are not indexed (`ignore_above`; keyword and wildcard fields). @default - no limit */
  readonly ignoreAbove?: number;
  /** Analyzer of a text field. @default - the index's default analyzer */
  readonly analyzer?: string;
  /** `scaling_factor` of a scaled_float field (required there). @default - none */
  readonly scalingFactor?: number;
  /** `dimension` of a knn_vector field (required there). @default - none */
  readonly dimension?: number;
  /** Sub-fields of an object or nested field, by name (required there). @default - none */
  readonly properties?: Readonly<Record<string, IndexFieldMapping>>;
}

/** The OpenSearch index of one topic, created with explicit mappings before any sink writes. */
export interface IndexBootstrapIndex {
  /** Index name. */
  readonly name: string;
  /** Primary shards (`number_of_shards`). @default 1 */
  readonly shards?: number;
  /** Replica shards per primary (`number_of_replicas`). @default 1 */
  readonly replicas?: number;
  /** `index.refresh_interval`, e.g. `1s`, `30s` or `-1`. @default - OpenSearch's 1s (not written) */
  readonly refreshInterval?: string;
  /** Mapping of fields not listed in `mappings`. @default true */
  readonly dynamic?: boolean | "strict";
  /** Aliases created with the index. @default [] */
  readonly aliases?: readonly string[];
  /** Field mappings by field name (at least one). */
  readonly mappings: Readonly<Record<string, IndexFieldMapping>>;
}

/** A topic whose index exists before any sink writes. */
export interface IndexBootstrapTopic {
  /** Topic name. */
  readonly name: string;
  readonly index: IndexBootstrapIndex;
}

/** One OpenSearch sink whose FGAC user, role and mapping the bootstrap manages. */
export interface IndexBootstrapSink {
  /** Connector name. */
  readonly connector: string;
  /** FGAC internal user the sink signs in as. */
  readonly username: string;
  /** FGAC role with the sink's index permissions, mapped to `username` only. */
  readonly role: string;
  /** Name of the Secrets Manager secret (created empty) that receives the user's password. */
  readonly secretName: string;
  /** Indexes the sink writes (its topics' index names). */
  readonly indexes: readonly string[];
}

/** A sink that signs in with an IAM role (an OpenSearch Ingestion pipeline): its role is mapped as a backend role. */
export interface IndexBootstrapIamSink {
  /** Connector name. */
  readonly connector: string;
  /** FGAC role with the sink's index permissions, mapped to the IAM role only. */
  readonly role: string;
  /** Terraform output holding the IAM role's ARN (what `npm run bootstrap` reads). */
  readonly roleArnOutput: string;
  /** The IAM role's ARN (token): what the on-deploy runner passes with --iam-role. */
  readonly roleArn: string;
  /** Indexes the sink writes (its topics' index names). */
  readonly indexes: readonly string[];
}

/** A person who signs in on the Dashboards login page as an internal user. */
export interface IndexBootstrapDashboardsUser {
  readonly username: string;
  readonly role: "admin" | "reader";
  /** Name of the Secrets Manager secret (created empty) that receives the user's password. */
  readonly secretName: string;
}

/** A Dashboards saved objects file the bootstrap imports. */
export interface IndexBootstrapSavedObjects {
  /** Name shown in messages (the path the environment YAML gives). */
  readonly file: string;
  /** One saved object per line. */
  readonly ndjson: string;
  /** What it holds, by type and id. */
  readonly objects: readonly { readonly type: string; readonly id: string }[];
}

/** A Kafka topic the bootstrap creates over the Kafka protocol (MSK Serverless: no topic API for Terraform). */
export interface IndexBootstrapKafkaTopic {
  /** Topic name. */
  readonly name: string;
  /** Partitions at creation (the bootstrap may add partitions, never remove them). */
  readonly partitions: number;
  /** Topic-level configs by Kafka name, values as Kafka takes them (`compact,delete`, `604800000`). */
  readonly configs: Readonly<Record<string, string>>;
}

export interface IndexBootstrapProps {
  /** Environment (stack) name. */
  readonly environmentName: string;
  readonly region: string;
  /** Topics whose indexes exist before any sink writes, keyed by topic name. */
  readonly topics: readonly IndexBootstrapTopic[];
  readonly sinks: readonly IndexBootstrapSink[];
  /**
   * Sinks that sign in with an IAM role.
   * @default []
   */
  readonly iamSinks?: readonly IndexBootstrapIamSink[];
  /** The domain's internal master user and its secret (rotated by the bootstrap). */
  readonly master: {
    readonly domainName: string;
    readonly username: string;
    readonly secretName: string;
    readonly initialStage: string;
  };
  /**
   * IAM roles the bootstrap maps as backend roles.
   * @default - none: only the identity that runs the bootstrap gets all_access
   */
  readonly access?: {
    readonly adminRoleArns?: readonly string[];
    readonly readerRoleArns?: readonly string[];
  };
  /**
   * Dashboards users (internal users with a generated password in their own secret).
   * @default - none
   */
  readonly dashboardsUsers?: readonly IndexBootstrapDashboardsUser[];
  /**
   * Dashboards saved objects (dashboards, visualizations, index patterns) imported into the Global
   * tenant, overwriting objects of the same type and id, after the indexes exist.
   * @default - none
   */
  readonly dashboardsSavedObjects?: readonly IndexBootstrapSavedObjects[];
  /**
   * Audit logging in the security plugin (the domain publishes AUDIT_LOGS when on).
   * @default true
   */
  readonly auditLogs?: boolean;
  /**
   * Name of the read-only role the bootstrap manages.
   * @default `<environmentName>-read-only`
   */
  readonly readerRole?: string;
  /**
   * Kafka topics the bootstrap creates before anything else (MSK Serverless), and the Terraform
   * output holding the SASL/IAM bootstrap brokers it connects to.
   * @default - none: Terraform creates the topics (aws_msk_topic), and the plan has no kafka_topics
   */
  readonly kafkaTopics?: {
    readonly bootstrapBrokersOutput: string;
    readonly topics: readonly IndexBootstrapKafkaTopic[];
  };
  /**
   * Name of the Terraform output holding the OpenSearch endpoint.
   * @default "opensearch_endpoint"
   */
  readonly endpointOutput?: string;
  /**
   * Run the bootstrap from Terraform, before the sinks are created, whenever connectors are
   * created and the plan or the domain endpoint changed: a `terraform_data` with a local-exec provisioner, counted by
   * `create`. The deploying machine must reach the domain (VPN connected).
   * @default - not run from Terraform; run `npm run bootstrap -- --env <env>` by hand
   */
  readonly runOnDeploy?: {
    /** `to_create_connector` (its `booleanValue`). */
    readonly create: boolean | IResolvable;
    /** Token of the domain endpoint. */
    readonly endpoint: string;
    /**
     * Token of the SASL/IAM bootstrap brokers, passed as `--kafka-brokers` (`terraform output` is
     * not readable mid-apply); a change (a new cluster) re-runs the bootstrap, which creates the
     * topics there. Required when `kafkaTopics` is set, refused without it.
     * @default - none (no kafkaTopics)
     */
    readonly kafkaBrokers?: string;
    /**
     * What must be in place before the bootstrap talks to the domain besides the domain itself:
     * its access policy and the security-group rules that let the deploying machine (through the
     * VPN) reach it. Without them the run can meet a half-open domain and fail.
     * @default []
     */
    readonly dependsOn?: readonly ITerraformDependable[];
    /**
     * More values whose change re-runs the bootstrap, e.g. domain settings whose update makes
     * Terraform re-send the initial master password (the bootstrap then repairs it).
     * @default - the plan's hash only
     */
    readonly rerunWhen?: Readonly<Record<string, string>>;
  };
}

/** Mapping parameters in the order they are written, with their OpenSearch names. */
const FIELD_PARAMETERS = [
  ["format", "format"],
  ["index", "index"],
  ["docValues", "doc_values"],
  ["ignoreAbove", "ignore_above"],
  ["analyzer", "analyzer"],
  ["scalingFactor", "scaling_factor"],
  ["dimension", "dimension"],
] as const satisfies readonly (readonly [keyof IndexFieldMapping, string])[];

/** One field as OpenSearch takes it; nested properties are rendered recursively. */
function renderField(field: IndexFieldMapping): Record<string, unknown> {
  const out: Record<string, unknown> = { type: field.type };
  for (const [prop, name] of FIELD_PARAMETERS) if (field[prop] !== undefined) out[name] = field[prop];
  if (field.properties) out.properties = renderProperties(field.properties);
  return out;
}

function renderProperties(props: Readonly<Record<string, IndexFieldMapping>>): Record<string, unknown> {
  return Object.fromEntries(
    Object.keys(props)
      .sort()
      .map((name) => [name, renderField(props[name])]),
  );
}

/**
 * The index-mapping bootstrap of one environment: turns each topic's `index` section into the exact
 * `PUT /<index>` body and, with the sinks' FGAC users and roles, into the plan the bootstrap command
 * (`scripts/bootstrap-indexes.ts`) applies. The plan is data (`plan`, `documents`); main.ts writes
 * it under cdktf.out/bootstrap/<env>/ after synth.
 */
export class IndexBootstrap extends Construct {
  /** What the bootstrap command applies. */
  public readonly plan: BootstrapPlan;
  /** SHA-256 of the plan: changes exactly when an index or sink changes. */
  public readonly planHash: string;
  /** The `terraform_data` that runs the bootstrap on deploy, when `runOnDeploy` is set. */
  public readonly runner?: DataResource;

  /** The body `PUT /<index>` receives for a topic's index. */
  public static indexBody(index: IndexBootstrapIndex): IndexBody {
    const settings: Record<string, unknown> = {
      number_of_shards: index.shards ?? 1,
      number_of_replicas: index.replicas ?? 1,
    };
    if (index.refreshInterval !== undefined) settings.refresh_interval = index.refreshInterval;
    return {
      settings: { index: settings },
      mappings: { dynamic: String(index.dynamic ?? true), properties: renderProperties(index.mappings) },
      aliases: Object.fromEntries([...(index.aliases ?? [])].sort().map((a) => [a, {}])),
    };
  }

  private static validateIndex({ name, index }: IndexBootstrapTopic): void {
    const where = `IndexBootstrap: topic ${name}, index ${index.name}`;
    if (!INDEX_NAME.test(index.name)) throw new Error(`${where}: the name must be a lowercase OpenSearch index name (a-z 0-9 . _ -)`);
    if (index.shards !== undefined && !(Number.isInteger(index.shards) && index.shards >= 1 && index.shards <= 1024)) {
      throw new Error(`${where}: shards must be an integer from 1 to 1024, got ${index.shards}`);
    }
    if (index.replicas !== undefined && !(Number.isInteger(index.replicas) && index.replicas >= 0 && index.replicas <= 15)) {
      throw new Error(`${where}: replicas must be an integer from 0 to 15, got ${index.replicas}`);
    }
    if (Object.keys(index.mappings).length === 0) throw new Error(`${where}: mappings must name at least one field`);
  }

  private static validateKafkaTopics(topics: readonly IndexBootstrapKafkaTopic[]): void {
    if (topics.length === 0) throw new Error("IndexBootstrap: kafkaTopics needs at least one topic (leave kafkaTopics out when Terraform creates them)");
    const seen = new Set<string>();
    for (const t of topics) {
      if (seen.has(t.name)) throw new Error(`IndexBootstrap: two Kafka topics named ${t.name}`);
      seen.add(t.name);
      if (!Number.isInteger(t.partitions) || t.partitions < 1) throw new Error(`IndexBootstrap: Kafka topic ${t.name}: partitions must be a positive integer, got ${t.partitions}`);
    }
  }

  constructor(scope: Construct, id: string, props: IndexBootstrapProps) {
    super(scope, id);
    const indexNames = new Set<string>();
    for (const topic of props.topics) {
      IndexBootstrap.validateIndex(topic);
      if (indexNames.has(topic.index.name)) throw new Error(`IndexBootstrap: two topics declare index ${topic.index.name}`);
      indexNames.add(topic.index.name);
    }
    for (const sink of props.sinks) {
      const unknown = sink.indexes.filter((i) => !indexNames.has(i));
      if (unknown.length > 0) {
        throw new Error(`IndexBootstrap: sink ${sink.connector} writes index(es) ${unknown.join(", ")} that no topic declares`);
      }
      if (sink.indexes.length === 0) throw new Error(`IndexBootstrap: sink ${sink.connector} writes no index`);
    }
    if (props.kafkaTopics) IndexBootstrap.validateKafkaTopics(props.kafkaTopics.topics);
    const iamSinks = props.iamSinks ?? [];
    for (const sink of iamSinks) {
      const unknown = sink.indexes.filter((i) => !indexNames.has(i));
      if (unknown.length > 0) throw new Error(`IndexBootstrap: sink ${sink.connector} writes index(es) ${unknown.join(", ")} that no topic declares`);
      if (sink.indexes.length === 0) throw new Error(`IndexBootstrap: sink ${sink.connector} writes no index`);
    }
    const roles = [...props.sinks.map((s) => s.role), ...iamSinks.map((s) => s.role)];
    const twice = roles.find((r, i) => roles.indexOf(r) !== i);
    if (twice !== undefined) throw new Error(`IndexBootstrap: two sinks use the OpenSearch role ${twice}`);
    const users = props.dashboardsUsers ?? [];
    const taken = new Set([props.master.username, ...props.sinks.map((s) => s.username)]);
    for (const u of users) {
      if (taken.has(u.username)) {
        throw new Error(`IndexBootstrap: Dashboards user ${u.username} has the name of the master or a sink user`);
      }
    }
    const byName = <T>(items: readonly T[], key: (t: T) => string) => [...items].sort((a, b) => (key(a) < key(b) ? -1 : key(a) > key(b) ? 1 : 0));

    this.plan = BootstrapPlanSchema.parse({
      environment: props.environmentName,
      region: props.region,
      stack_dir: `cdktf.out/stacks/${props.environmentName}`,
      endpoint_output: props.endpointOutput ?? "opensearch_endpoint",
      master: {
        domain_name: props.master.domainName,
        username: props.master.username,
        secret_id: props.master.secretName,
        initial_stage: props.master.initialStage,
      },
      access: {
        admin_backend_roles: [...new Set(props.access?.adminRoleArns ?? [])].sort(),
        reader_backend_roles: [...new Set(props.access?.readerRoleArns ?? [])].sort(),
        reader_role: props.readerRole ?? `${props.environmentName}-read-only`,
        audit_logs: props.auditLogs ?? true,
      },
      dashboards_users: byName(users, (u) => u.username).map((u) => ({ username: u.username, role: u.role, secret_id: u.secretName })),
      indexes: byName(props.topics, (t) => t.index.name).map((t) => ({
        name: t.index.name,
        topic: t.name,
        body: IndexBootstrap.indexBody(t.index),
      })),
      sinks: byName(props.sinks, (s) => s.connector).map((s) => ({
        connector: s.connector,
        username: s.username,
        role: s.role,
        secret_id: s.secretName,
        index_patterns: [...s.indexes].sort(),
      })),
      // Absent when there are none: a plan without IAM sinks is what it was before they existed.
      ...(iamSinks.length
        ? {
            iam_sinks: byName(iamSinks, (s) => s.connector).map((s) => ({
              connector: s.connector,
              role: s.role,
              role_arn_output: s.roleArnOutput,
              index_patterns: [...s.indexes].sort(),
            })),
          }
        : {}),
      // Absent when there are none, so a plan (and its hash, the runner's trigger) without
      // saved objects is what it was before they existed.
      ...(props.dashboardsSavedObjects?.length
        ? {
            dashboards_saved_objects: props.dashboardsSavedObjects.map((f) => ({
              file: f.file,
              ndjson: f.ndjson,
              objects: f.objects.map((o) => ({ type: o.type, id: o.id })),
            })),
          }
        : {}),
      // Absent on a provisioned cluster, so its plan (and hash) is what it was before Serverless.
      ...(props.kafkaTopics
        ? {
            kafka_topics: {
              bootstrap_brokers_output: props.kafkaTopics.bootstrapBrokersOutput,
              topics: byName(props.kafkaTopics.topics, (t) => t.name).map((t) => ({
                name: t.name,
                partitions: t.partitions,
                configs: Object.fromEntries(Object.keys(t.configs).sort().map((k) => [k, t.configs[k]])),
              })),
            },
          }
        : {}),
    });
    this.planHash = createHash("sha256").update(JSON.stringify(this.plan)).digest("hex");

    const run = props.runOnDeploy;
    if (run && (run.kafkaBrokers !== undefined) !== (props.kafkaTopics !== undefined)) {
      throw new Error("IndexBootstrap: runOnDeploy.kafkaBrokers goes with kafkaTopics (the run passes the brokers of the topics it creates), and only with it");
    }
    if (run) {
      this.runner = new DataResource(this, "run", {
        count: Token.asNumber(Fn.conditional(run.create, 1, 0)),
        // Runs again when the plan changes, and when the domain is replaced (a new endpoint): a new
        // domain has none of the indexes, and a sink would otherwise create them with dynamic mappings.
        triggersReplace: {
          ...(run.rerunWhen ?? {}),
          plan_sha256: this.planHash,
          endpoint: run.endpoint,
          ...(run.kafkaBrokers !== undefined ? { kafka_brokers: run.kafkaBrokers } : {}),
        },
        dependsOn: run.dependsOn?.length ? [...run.dependsOn] : undefined,
        provisioners: [
          {
            type: "local-exec",
            workingDir: PROJECT_ROOT_FROM_STACK,
            // IAM sinks' role ARNs on the command line: `terraform output` is not readable mid-apply.
            command: `npx tsx scripts/bootstrap-indexes.ts --env ${props.environmentName} --endpoint '${run.endpoint}'${byName(iamSinks, (s) => s.connector)
              .map((s) => ` --iam-role '${s.connector}=${s.roleArn}'`)
              .join("")}${run.kafkaBrokers !== undefined ? ` --kafka-brokers '${run.kafkaBrokers}'` : ""}`,
          },
        ],
      });
    }
  }

  /** Files to write under cdktf.out/bootstrap/<env>/: the plan and one mapping document per index. */
  public get documents(): Record<string, string> {
    const docs: Record<string, string> = { "plan.json": `${JSON.stringify(this.plan, null, 2)}\n` };
    for (const index of this.plan.indexes) docs[`indexes/${index.name}.json`] = `${JSON.stringify(index.body, null, 2)}\n`;
    return docs;
  }
}
