import { createHash } from "node:crypto";
import { DataResource, Fn, type IResolvable, type ITerraformDependable, TerraformStack, Token, ref } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { MskconnectConnector, type MskconnectConnectorCapacity } from "@cdktf/provider-aws/lib/mskconnect-connector";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { LOG_RETENTION_DAYS } from "../validators/aws-values";
import { policyDocument, serviceTrustStatement, type PolicyStatement } from "../iam-policy";
import type { ConnectorPlugin } from "./connector-plugin";
import { SECRETS_MANAGER_PROVIDER_NAME, type WorkerConfiguration } from "./worker-configuration";

/** The MSK cluster a connector talks to. */
export interface MskConnectorCluster {
  /** Cluster ARN (arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>). */
  readonly arn: string;
  /** bootstrap_brokers_sasl_iam of the cluster. */
  readonly bootstrapBrokersSaslIam: string;
}

/** One field of a generated record value (MSK Data Generator `genv.<topic>.<field>.*`). */
export interface DatagenField {
  /** Java Faker expression. @default - none */
  readonly with?: string;
  /** Reuse a value generated for another topic (`<topic>.value.<field>`). @default - none */
  readonly matching?: string;
  /** An alternative the generator uses some of the time. @default - none */
  readonly sometimes?: { readonly with?: string; readonly matching?: string };
}

/** How the MSK Data Generator fills one topic. */
export interface DatagenTopic {
  /** Record key expression (`genkp.<topic>.with`). @default - no key */
  readonly key?: string;
  /** Record value fields by name. */
  readonly fields: Readonly<Record<string, DatagenField>>;
}

/** Settings of an MSK Data Generator source. */
export interface MskConnectorDatagen {
  /** global.throttle.ms */
  readonly throttleMs: number;
  /** global.history.records.max */
  readonly historyRecordsMax: number;
  /** The generator of each of the connector's topics, by topic name (every topic needs one). */
  readonly topics: Readonly<Record<string, DatagenTopic>>;
}

/** Settings of Aiven's OpenSearch sink. */
export interface MskConnectorOpenSearchSink {
  readonly keyIgnore: boolean;
  readonly schemaIgnore: boolean;
  readonly behaviorOnMalformedDocuments: string;
  readonly behaviorOnNullValues: string;
  readonly behaviorOnVersionConflict: string;
  /** batch.size. @default - the connector's (2000) */
  readonly batchSize?: number;
  /** max.retries. @default - the connector's (5) */
  readonly maxRetries?: number;
}

/** Workers: exactly one of a fixed number or autoscaling. */
export interface MskConnectorCapacity {
  /** @default - none */
  readonly provisioned?: { readonly workers: number; readonly mcu: number };
  /** @default - none */
  readonly autoscaling?: {
    readonly minWorkers: number;
    readonly maxWorkers: number;
    readonly mcu: number;
    readonly scaleInCpuPercent: number;
    readonly scaleOutCpuPercent: number;
  };
}

/** Dead-letter topic of a sink (`errors.deadletterqueue.*`). */
export interface MskConnectorDeadLetterQueue {
  readonly topic: string;
  /** @default 3 */
  readonly replicationFactor?: number;
  /** errors.deadletterqueue.context.headers.enable. @default true */
  readonly contextHeaders?: boolean;
}

/** Error handling (`errors.*`). */
export interface MskConnectorErrors {
  /** errors.tolerance. @default "none" */
  readonly tolerance?: "none" | "all";
  /** errors.log.enable (written only when tolerance is all). @default true */
  readonly logErrors?: boolean;
  /** @default - no dead-letter topic */
  readonly deadLetterQueue?: MskConnectorDeadLetterQueue;
}

/** One single message transform (`transforms.<name>.*`). */
export interface MskConnectorTransform {
  readonly name: string;
  /** SMT class. */
  readonly type: string;
  /** Properties after transforms.<name>. */
  readonly config: Readonly<Record<string, string | number | boolean>>;
}

export interface MskConnectorProps {
  /** Prefix of every name (the environment's name_prefix). */
  readonly namePrefix: string;
  /** Connector name (lowercase letters, digits, '-'); MSK Connect's name is <namePrefix>-<name>. */
  readonly name: string;
  /**
   * Free text on the connector.
   * @default - none
   */
  readonly description?: string;
  /** connector.class (one of the plugin's classes). */
  readonly connectorClass: string;
  /** Whether it writes (source) or reads (sink) its topics. */
  readonly direction: "source" | "sink";
  /** Topics it writes or reads. */
  readonly topics: readonly string[];
  /**
   * MSK Data Generator settings (a source whose class is the generator).
   * @default - not a data generator
   */
  readonly datagen?: MskConnectorDatagen;
  /**
   * OpenSearch sink settings: the connector then gets a Secrets Manager secret with its FGAC
   * user's credentials, referenced through the worker's config provider.
   * @default - not an OpenSearch sink
   */
  readonly opensearchSink?: MskConnectorOpenSearchSink;
  /**
   * Kafka Connect properties of the connector's kind (e.g. an S3 sink's bucket and format), from
   * the kind's construct in this folder. Written after the built-in kinds' settings and before
   * errors, transforms and `extraConfig`. Values are Terraform strings (tokens allowed).
   * @default {}
   */
  readonly kindProperties?: Readonly<Record<string, string>>;
  /**
   * What the kind needs beyond its topics, added to the connector's role policy (e.g.
   * `s3:PutObject` on its bucket prefix). Each needs a Sid unique in the policy.
   * @default []
   */
  readonly additionalStatements?: readonly PolicyStatement[];
  /**
   * Secrets Manager secrets (by name) that the configuration reads through the worker's config
   * provider (`${secretsmanager:<name>:<key>}`): the role may read exactly these, and the worker
   * configuration must declare the provider.
   * @default []
   */
  readonly referencedSecretNames?: readonly string[];
  /**
   * tasks.max
   * @default 1
   */
  readonly tasksMax?: number;
  /**
   * Workers.
   * @default - provisioned: 1 worker of 1 MCU
   */
  readonly capacity?: MskConnectorCapacity;
  /**
   * Error handling.
   * @default - tolerance none, no dead-letter topic
   */
  readonly errors?: MskConnectorErrors;
  /**
   * Single message transforms, applied in this order.
   * @default []
   */
  readonly transforms?: readonly MskConnectorTransform[];
  /**
   * Extra Kafka Connect properties, written last (they win). Never secrets. Values are Terraform
   * strings: a literal `${` must be written `$${` (see `configProviderReference`).
   * @default {}
   */
  readonly extraConfig?: Readonly<Record<string, string | number | boolean>>;
  /**
   * Kafka Connect version.
   * @default "2.7.1"
   */
  readonly kafkaConnectVersion?: string;
  /**
   * Log retention of the connector's log group, in days.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /** The custom plugin that provides the connector class. */
  readonly plugin: ConnectorPlugin;
  /**
   * Worker configuration. An OpenSearch sink needs one that declares the Secrets Manager config
   * provider (and a plugin that bundles it).
   */
  readonly workerConfiguration: WorkerConfiguration;
  /**
   * Whether the connector exists: the `to_create_connector` variable's booleanValue. Only the
   * connector itself is counted; its role, log group and secret exist in both deploy phases.
   */
  readonly create: boolean | IResolvable;
  readonly cluster: MskConnectorCluster;
  /** Private subnets the workers run in. */
  readonly subnetIds: string[];
  /** Security groups of the workers (a ConnectorSecurityGroup). */
  readonly securityGroupIds: string[];
  /** AWS account id (token), for the trust policy's confused-deputy conditions. */
  readonly accountId: string;
  /** AWS partition (token), e.g. aws. */
  readonly partition: string;
  /** Region of the stack (literal or token). */
  readonly region: string;
  /** Bucket that receives worker logs under logs/msk/connect/<connector>/ (inside the prefix the bucket policy opens to log delivery). */
  readonly logBucketName: string;
  /**
   * OpenSearch domain endpoint (host name, no scheme). Required for an OpenSearch sink.
   * @default - none
   */
  readonly opensearchEndpoint?: string;
  /**
   * Days Secrets Manager keeps a deleted sink secret (0 deletes at once; 7-30 otherwise).
   * @default 7
   */
  readonly secretRecoveryWindowDays?: number;
  /**
   * What the connector waits for (e.g. the source connector, the index bootstrap).
   * @default []
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** What renders a connector's Kafka Connect properties: the connector's own settings. */
export type MskConnectorSettings = Pick<
  MskConnectorProps,
  | "name"
  | "connectorClass"
  | "direction"
  | "topics"
  | "datagen"
  | "opensearchSink"
  | "kindProperties"
  | "tasksMax"
  | "errors"
  | "transforms"
  | "extraConfig"
>;

const CONVERTERS: Record<string, string> = {
  "key.converter": "org.apache.kafka.connect.storage.StringConverter",
  "key.converter.schemas.enable": "false",
  "value.converter": "org.apache.kafka.connect.json.JsonConverter",
  "value.converter.schemas.enable": "false",
};

/**
 * A Kafka Connect property value that contains `${provider:path:key}` must reach MSK Connect
 * literally. In Terraform JSON a string is a template, so `${` is written `$${`.
 */
export function configProviderReference(provider: string, path: string, key: string): string {
  return `$\${${provider}:${path}:${key}}`;
}

/** Renders the connector's Kafka Connect properties (values are strings; keys sorted). */
export function renderConnectorConfig(
  c: MskConnectorSettings,
  sink?: { readonly connectionUrl: string; readonly secretName: string },
): Record<string, string> {
  const out: Record<string, string> = {
    "connector.class": c.connectorClass,
    "tasks.max": String(c.tasksMax ?? 1),
    ...CONVERTERS,
  };
  if (c.direction === "sink") out.topics = c.topics.join(",");

  if (c.datagen) {
    for (const name of c.topics) {
      const g = c.datagen.topics[name];
      if (!g) throw new Error(`MskConnector ${c.name}: topic ${name} has no generator section`);
      if (g.key !== undefined) out[`genkp.${name}.with`] = g.key;
      for (const [field, f] of Object.entries(g.fields)) {
        const base = `genv.${name}.${field}`;
        if (f.with !== undefined) out[`${base}.with`] = f.with;
        if (f.matching !== undefined) out[`${base}.matching`] = f.matching;
        if (f.sometimes?.with !== undefined) out[`${base}.sometimes.with`] = f.sometimes.with;
        if (f.sometimes?.matching !== undefined) out[`${base}.sometimes.matching`] = f.sometimes.matching;
      }
    }
    out["global.throttle.ms"] = String(c.datagen.throttleMs);
    out["global.history.records.max"] = String(c.datagen.historyRecordsMax);
  }

  const o = c.opensearchSink;
  if (o) {
    if (!sink) throw new Error(`MskConnector ${c.name}: an opensearch-sink needs the domain endpoint and its secret`);
    out["connection.url"] = sink.connectionUrl;
    out["connection.username"] = configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, sink.secretName, "username");
    out["connection.password"] = configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, sink.secretName, "password");
    // MSK Connect restarts a connector that uses a config provider periodically unless told not to.
    out["config.action.reload"] = "none";
    out["key.ignore"] = String(o.keyIgnore);
    out["schema.ignore"] = String(o.schemaIgnore);
    out["behavior.on.malformed.documents"] = o.behaviorOnMalformedDocuments;
    out["behavior.on.null.values"] = o.behaviorOnNullValues;
    out["behavior.on.version.conflict"] = o.behaviorOnVersionConflict;
    if (o.batchSize !== undefined) out["batch.size"] = String(o.batchSize);
    if (o.maxRetries !== undefined) out["max.retries"] = String(o.maxRetries);
  }

  for (const [k, v] of Object.entries(c.kindProperties ?? {})) out[k] = v;

  // Kafka's defaults (tolerance none, nothing logged) are left implicit.
  const errors = c.errors ?? {};
  if ((errors.tolerance ?? "none") !== "none") {
    out["errors.tolerance"] = errors.tolerance!;
    out["errors.log.enable"] = String(errors.logErrors ?? true);
  }
  const dlq = errors.deadLetterQueue;
  if (dlq) {
    out["errors.deadletterqueue.topic.name"] = dlq.topic;
    // Terraform creates the topic (KafkaTopic); Connect only creates it if it is missing.
    out["errors.deadletterqueue.topic.replication.factor"] = String(dlq.replicationFactor ?? 3);
    out["errors.deadletterqueue.context.headers.enable"] = String(dlq.contextHeaders ?? true);
  }

  const transforms = c.transforms ?? [];
  if (transforms.length > 0) {
    // A kind's own transforms (kindProperties) run first, then the YAML's.
    out.transforms = [...(out.transforms ? [out.transforms] : []), ...transforms.map((t) => t.name)].join(",");
    for (const t of transforms) {
      out[`transforms.${t.name}.type`] = t.type;
      for (const [k, v] of Object.entries(t.config)) out[`transforms.${t.name}.${k}`] = String(v);
    }
  }
  for (const [k, v] of Object.entries(c.extraConfig ?? {})) out[k] = String(v);

  const sorted: Record<string, string> = {};
  for (const k of Object.keys(out).sort()) sorted[k] = out[k];
  return sorted;
}

/**
 * What replaces the connector: a sha256 of the literal part of the configuration (computed here,
 * so no escaped `$${...}` has to survive a Terraform expression) plus every value that is only
 * known at apply time (e.g. the OpenSearch endpoint), by key.
 */
function configTriggers(config: Readonly<Record<string, string>>): Record<string, string> {
  const literal = Object.keys(config).map((k) => [k, Token.isUnresolved(config[k]) ? "<resolved at apply>" : config[k]]);
  const triggers: Record<string, string> = { config_sha256: createHash("sha256").update(JSON.stringify(literal)).digest("hex") };
  for (const k of Object.keys(config)) if (Token.isUnresolved(config[k])) triggers[k] = config[k];
  return triggers;
}

/** FGAC internal user (and role) an OpenSearch sink signs in as. */
export function sinkUsername(namePrefix: string, connector: string): string {
  return `${namePrefix}-${connector}`;
}

/** Secrets Manager secret holding an OpenSearch sink's FGAC credentials ({"username","password"}). */
export function sinkSecretName(namePrefix: string, connector: string): string {
  return `${namePrefix}/msk-connect/${connector}/opensearch`;
}

/**
 * One MSK Connect connector with everything it needs: its own execution role (least privilege:
 * its topics, its groups, its secret), its log group and (opensearch-sink) the secret holding its
 * OpenSearch user's credentials. Only the connector is gated by `create`.
 *
 * Config updates replace the connector. hashicorp/terraform-provider-aws#47004: an in-place
 * update of connector_configuration can report success while MSK Connect keeps the old
 * configuration. A terraform_data holds the sha256 of the rendered configuration and the
 * connector has `replace_triggered_by` on it, so every configuration change creates a new
 * connector. Sinks resume from their consumer group (connect-<name>); a source's offsets live in
 * the per-connector internal topic, so a replaced source starts over (harmless for the generator).
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-connect-service-execution-role.html
 */
export class MskConnector extends Construct {
  /** Connector name in MSK Connect: <namePrefix>-<name>. */
  public readonly connectorName: string;
  /** Whether it writes (source) or reads (sink) its topics. */
  public readonly direction: "source" | "sink";
  /** ARN of the connector; only meaningful when created (count = 1). */
  public readonly arn: string;
  public readonly role: IamRole;
  /** The role's policy: its topics, groups and (OpenSearch sink) secret. */
  public readonly rolePolicy: IamRolePolicy;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly resource: MskconnectConnector;
  /** terraform_data holding the configuration hash. */
  public readonly configHash: DataResource;
  /** The rendered connector configuration (keys sorted). */
  public readonly configuration: Readonly<Record<string, string>>;
  /** OpenSearch sink only: Secrets Manager secret with {"username","password"} (filled by the index bootstrap). */
  public readonly secretName?: string;
  public readonly secretArn?: string;
  /** OpenSearch sink only: the FGAC internal user the bootstrap creates. */
  public readonly fgacUsername?: string;

  constructor(scope: Construct, id: string, props: MskConnectorProps) {
    super(scope, id);
    this.validate(props);
    this.connectorName = `${props.namePrefix}-${props.name}`;
    this.direction = props.direction;

    let secret: SecretsmanagerSecret | undefined;
    if (props.opensearchSink) {
      this.secretName = sinkSecretName(props.namePrefix, props.name);
      this.fgacUsername = sinkUsername(props.namePrefix, props.name);
      secret = this.buildSinkSecret(props, this.secretName, this.fgacUsername);
      this.secretArn = secret.arn;
    }
    this.configuration = renderConnectorConfig(
      props,
      this.secretName ? { connectionUrl: `https://${props.opensearchEndpoint}`, secretName: this.secretName } : undefined,
    );
    this.logGroup = this.buildLogGroup(props);
    this.role = this.buildRole(props);
    this.rolePolicy = this.buildRolePolicy(props, secret);
    this.configHash = new DataResource(this, "config-hash", { triggersReplace: configTriggers(this.configuration) });
    this.resource = this.buildConnector(props);
    // count = 0|1: one(<resource>[*].arn) is the ARN or null.
    this.arn = Token.asString(Fn.one(ref(`${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}[*].arn`, TerraformStack.of(this))));
  }

  /** The secret an OpenSearch sink's FGAC credentials live in (no version: the bootstrap writes it). */
  private buildSinkSecret(props: MskConnectorProps, name: string, username: string): SecretsmanagerSecret {
    return new SecretsmanagerSecret(this, "secret", {
      name,
      description: `OpenSearch credentials of connector ${this.connectorName} (user ${username}): {"username","password"}, written by the index bootstrap. No version is managed by Terraform.`,
      recoveryWindowInDays: props.secretRecoveryWindowDays ?? 7,
    });
  }

  private buildLogGroup(props: MskConnectorProps): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, "log-group", {
      name: `/msk-connect/${props.namePrefix}/${props.name}`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
  }

  /** The execution role, assumable only by this account's MSK Connect for this connector. */
  private buildRole(props: MskConnectorProps): IamRole {
    // Confused-deputy guard: only this account's MSK Connect, for this connector.
    const trust = serviceTrustStatement(
      "kafkaconnect.amazonaws.com",
      props.accountId,
      `arn:${props.partition}:kafkaconnect:${props.region}:${props.accountId}:connector/${this.connectorName}/*`,
    );
    return new IamRole(this, "role", {
      name: `${this.connectorName}-connect`,
      description: `Execution role of MSK Connect connector ${this.connectorName}`,
      assumeRolePolicy: policyDocument([trust]),
    });
  }

  /** Least privilege: the cluster, its own topics, groups and internal topics, and its secret. */
  private buildRolePolicy(props: MskConnectorProps, secret: SecretsmanagerSecret | undefined): IamRolePolicy {
    const sink = props.direction === "sink";
    // arn:…:cluster/<name>/<uuid> -> arn:…:topic/<name>/<uuid> and arn:…:group/<name>/<uuid>
    const topicArn = (t: string) => `${Fn.replace(props.cluster.arn, ":cluster/", ":topic/")}/${t}`;
    const groupArn = (g: string) => `${Fn.replace(props.cluster.arn, ":cluster/", ":group/")}/${g}`;
    const statements: PolicyStatement[] = [
      { Sid: "Cluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [props.cluster.arn] },
      sink
        ? { Sid: "ReadOwnTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: props.topics.map(topicArn) }
        : {
            Sid: "WriteOwnTopics",
            Effect: "Allow",
            // No CreateTopic: Terraform creates every topic (KafkaTopic) before the connector starts.
            Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
            Resource: props.topics.map(topicArn),
          },
    ];
    const dlq = props.errors?.deadLetterQueue;
    if (dlq) {
      statements.push({
        Sid: "DeadLetterTopic",
        Effect: "Allow",
        // No CreateTopic: Terraform creates it; Connect's reporter finds it (DescribeTopic) and writes.
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
        Resource: [topicArn(dlq.topic)],
      });
    }
    // MSK Connect's internal topics: __amazon_msk_connect_{configs,offsets,status}_<connector>_<id>.
    statements.push({
      Sid: "ConnectInternalTopics",
      Effect: "Allow",
      Action: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:ReadData", "kafka-cluster:WriteData"],
      Resource: ["configs", "offsets", "status"].map((k) => topicArn(`__amazon_msk_connect_${k}_${this.connectorName}_*`)),
    });
    // The workers' group (__amazon_msk_connect_…<connector>_<id>) and, for sinks, the consumer group.
    statements.push({
      Sid: "OwnGroups",
      Effect: "Allow",
      Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
      Resource: [
        groupArn(`__amazon_msk_connect_${this.connectorName}_*`),
        groupArn(`__amazon_msk_connect_*_${this.connectorName}_*`),
        ...(sink ? [groupArn(`connect-${this.connectorName}`)] : []),
      ],
    });
    if (secret) {
      statements.push({ Sid: "OwnSecret", Effect: "Allow", Action: ["secretsmanager:GetSecretValue"], Resource: [secret.arn] });
    }
    const referenced = [...new Set(props.referencedSecretNames ?? [])].sort();
    if (referenced.length > 0) {
      statements.push({
        Sid: "ReferencedSecrets",
        Effect: "Allow",
        Action: ["secretsmanager:GetSecretValue"],
        // A secret's ARN ends in -<6 random characters>; `??????` matches exactly those.
        Resource: referenced.map((n) => `arn:${props.partition}:secretsmanager:${props.region}:${props.accountId}:secret:${n}-??????`),
      });
    }
    statements.push(...(props.additionalStatements ?? []));
    return new IamRolePolicy(this, "policy", {
      name: "connector",
      role: this.role.id,
      policy: policyDocument(statements),
    });
  }

  /** The connector itself, counted by `create` and replaced when its configuration hash changes (#47004). */
  private buildConnector(props: MskConnectorProps): MskconnectConnector {
    return new MskconnectConnector(this, "resource", {
      count: Fn.conditional(props.create, 1, 0) as unknown as number,
      name: this.connectorName,
      description: props.description,
      kafkaconnectVersion: props.kafkaConnectVersion ?? "2.7.1",
      capacity: connectorCapacity(props.capacity),
      connectorConfiguration: this.configuration,
      kafkaCluster: {
        apacheKafkaCluster: {
          bootstrapServers: props.cluster.bootstrapBrokersSaslIam,
          vpc: { subnets: props.subnetIds, securityGroups: props.securityGroupIds },
        },
      },
      kafkaClusterClientAuthentication: { authenticationType: "IAM" },
      kafkaClusterEncryptionInTransit: { encryptionType: "TLS" },
      plugin: [{ customPlugin: { arn: props.plugin.arn, revision: props.plugin.latestRevision } }],
      workerConfiguration: { arn: props.workerConfiguration.arn, revision: props.workerConfiguration.latestRevision },
      logDelivery: {
        workerLogDelivery: {
          cloudwatchLogs: { enabled: true, logGroup: this.logGroup.name },
          s3: { enabled: true, bucket: props.logBucketName, prefix: `logs/msk/connect/${props.name}/` },
        },
      },
      serviceExecutionRoleArn: this.role.arn,
      // The role's policy must exist before the workers start.
      dependsOn: [this.rolePolicy, ...(props.dependsOn ?? [])],
      // The plain address: a construct here renders as "${terraform_data.x}", which Terraform
      // rejects in replace_triggered_by (hashicorp/terraform-cdk#3196).
      lifecycle: { replaceTriggeredBy: [`${this.configHash.terraformResourceType}.${this.configHash.friendlyUniqueId}`] },
    });
  }

  private validate(props: MskConnectorProps): void {
    const where = `MskConnector ${props.name}`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.name)) throw new Error(`${where}: connector name must be lowercase letters, digits and '-', got "${props.name}"`);
    const roleName = `${props.namePrefix}-${props.name}-connect`;
    if (!Token.isUnresolved(props.namePrefix) && roleName.length > 64) {
      throw new Error(`${where}: IAM role name "${roleName}" is ${roleName.length} characters; name_prefix + connector name must stay within 56`);
    }
    if (props.topics.length === 0) throw new Error(`${where}: topics must name at least one topic`);
    const retention = props.logRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
      throw new Error(`${where}: log retention must be one of ${LOG_RETENTION_DAYS.join(", ")} days, got ${retention}`);
    }
    const w = props.secretRecoveryWindowDays ?? 7;
    if (!(w === 0 || (Number.isInteger(w) && w >= 7 && w <= 30))) {
      throw new Error(`${where}: secretRecoveryWindowDays must be 0 or 7-30, got ${w}`);
    }
    if (props.datagen && props.direction !== "source") throw new Error(`${where}: a data generator is a source, got direction ${props.direction}`);
    if (props.datagen) {
      for (const t of props.topics) if (!props.datagen.topics[t]) throw new Error(`${where}: topic ${t} has no generator section`);
    }
    if (props.opensearchSink) {
      if (props.direction !== "sink") throw new Error(`${where}: an opensearch-sink is a sink, got direction ${props.direction}`);
      if (props.opensearchEndpoint === undefined) throw new Error(`${where}: an opensearch-sink needs opensearchEndpoint`);
      if (!props.workerConfiguration.hasSecretsManagerProvider) {
        throw new Error(`${where}: an opensearch-sink needs a worker configuration with the Secrets Manager config provider (secretsManagerProvider: true)`);
      }
    }
    if ((props.referencedSecretNames ?? []).length > 0 && !props.workerConfiguration.hasSecretsManagerProvider) {
      throw new Error(`${where}: a configuration that reads secrets needs a worker configuration with the Secrets Manager config provider (secretsManagerProvider: true)`);
    }
    const sids = new Set(["Cluster", "ReadOwnTopics", "WriteOwnTopics", "DeadLetterTopic", "ConnectInternalTopics", "OwnGroups", "OwnSecret", "ReferencedSecrets"]);
    for (const st of props.additionalStatements ?? []) {
      if (!st.Sid || !/^[A-Za-z0-9]+$/.test(st.Sid)) throw new Error(`${where}: every additional statement needs a Sid of letters and digits, got ${JSON.stringify(st.Sid)}`);
      if (sids.has(st.Sid)) throw new Error(`${where}: statement Sid "${st.Sid}" is used twice in the role policy`);
      if (st.Effect !== "Allow") throw new Error(`${where}: additional statement ${st.Sid} must be an Allow statement`);
      sids.add(st.Sid);
    }
    if (props.subnetIds.length === 0) throw new Error(`${where}: subnetIds must name at least one private subnet`);
    if (props.securityGroupIds.length === 0) throw new Error(`${where}: securityGroupIds must name at least one security group`);
    const cap = props.capacity;
    if (cap && (cap.autoscaling === undefined) === (cap.provisioned === undefined)) {
      throw new Error(`${where}: capacity needs exactly one of provisioned or autoscaling`);
    }
  }
}

/** The provider's capacity block: autoscaling, or provisioned (1 worker of 1 MCU unless given). */
function connectorCapacity(cap: MskConnectorCapacity | undefined): MskconnectConnectorCapacity {
  const a = cap?.autoscaling;
  if (a) {
    return {
      autoscaling: {
        minWorkerCount: a.minWorkers,
        maxWorkerCount: a.maxWorkers,
        mcuCount: a.mcu,
        scaleInPolicy: { cpuUtilizationPercentage: a.scaleInCpuPercent },
        scaleOutPolicy: { cpuUtilizationPercentage: a.scaleOutCpuPercent },
      },
    };
  }
  const p = cap?.provisioned ?? { workers: 1, mcu: 1 };
  return { provisionedCapacity: { workerCount: p.workers, mcuCount: p.mcu } };
}
