import { createHash } from "node:crypto";
import { DataResource, Fn, type IResolvable, type ITerraformDependable, TerraformStack, Token, ref } from "cdktf";
import { Construct } from "constructs";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { MskconnectConnector, type MskconnectConnectorCapacity } from "@cdktf/provider-aws/lib/mskconnect-connector";
import { SecretsmanagerSecret } from "@cdktf/provider-aws/lib/secretsmanager-secret";
import { LOG_RETENTION_DAYS, connectorClassOf, isSink, type ConnectorSpec, type TopicSpec } from "../config/schema";
import { policyDocument, type PolicyStatement } from "../iam-policy";
import type { ConnectorPlugin } from "./connector-plugin";
import { SECRETS_MANAGER_PROVIDER_NAME, type WorkerConfiguration } from "./worker-configuration";

/** The MSK cluster a connector talks to. */
export interface MskConnectorCluster {
  /** Cluster ARN (arn:<partition>:kafka:<region>:<account>:cluster/<name>/<uuid>). */
  readonly arn: string;
  /** bootstrap_brokers_sasl_iam of the cluster. */
  readonly bootstrapBrokersSaslIam: string;
}

export interface MskConnectorProps {
  /** Prefix of every name (the environment's name_prefix). */
  readonly namePrefix: string;
  /** The connector, validated by the config loader. */
  readonly connector: ConnectorSpec;
  /** Every topic of the pipeline; the connector uses those it lists. */
  readonly topics: readonly TopicSpec[];
  /** The custom plugin that provides the connector class. */
  readonly plugin: ConnectorPlugin;
  /**
   * Worker configuration. An opensearch-sink needs one that declares the Secrets Manager config
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
   * OpenSearch domain endpoint (host name, no scheme). Required for opensearch-sink connectors.
   * @default - none
   */
  readonly opensearchEndpoint?: string;
  /**
   * Kafka Connect version when the connector does not set one.
   * @default "2.7.1"
   */
  readonly defaultKafkaConnectVersion?: string;
  /**
   * Log retention when the connector does not set one, in days.
   * @default 30
   */
  readonly defaultLogRetentionDays?: number;
  /**
   * Replication factor of the dead-letter topic when the connector does not set one (the
   * cluster's default.replication.factor).
   * @default 3
   */
  readonly defaultReplicationFactor?: number;
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
  c: ConnectorSpec,
  topics: readonly TopicSpec[],
  sink?: { readonly connectionUrl: string; readonly secretName: string },
  defaults: { readonly replicationFactor?: number } = {},
): Record<string, string> {
  const out: Record<string, string> = {
    "connector.class": connectorClassOf(c),
    "tasks.max": String(c.tasks_max),
    ...CONVERTERS,
  };
  if (isSink(c)) out.topics = c.topics.join(",");

  if (c.kind === "msk-datagen") {
    const byName = new Map(topics.map((t) => [t.name, t]));
    for (const name of c.topics) {
      const g = byName.get(name)?.generator;
      if (!g) throw new Error(`MskConnector ${c.name}: topic ${name} has no generator section`);
      if (g.key) out[`genkp.${name}.with`] = g.key.with;
      for (const [field, f] of Object.entries(g.fields)) {
        const base = `genv.${name}.${field}`;
        if (f.with !== undefined) out[`${base}.with`] = f.with;
        if (f.matching !== undefined) out[`${base}.matching`] = f.matching;
        if (f.sometimes?.with !== undefined) out[`${base}.sometimes.with`] = f.sometimes.with;
        if (f.sometimes?.matching !== undefined) out[`${base}.sometimes.matching`] = f.sometimes.matching;
      }
    }
    out["global.throttle.ms"] = String(c.datagen.throttle_ms);
    out["global.history.records.max"] = String(c.datagen.history_records_max);
  }

  if (c.kind === "opensearch-sink") {
    if (!sink) throw new Error(`MskConnector ${c.name}: an opensearch-sink needs the domain endpoint and its secret`);
    const o = c.opensearch;
    out["connection.url"] = sink.connectionUrl;
    out["connection.username"] = configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, sink.secretName, "username");
    out["connection.password"] = configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, sink.secretName, "password");
    // MSK Connect restarts a connector that uses a config provider periodically unless told not to.
    out["config.action.reload"] = "none";
    out["key.ignore"] = String(o.key_ignore);
    out["schema.ignore"] = String(o.schema_ignore);
    out["behavior.on.malformed.documents"] = o.behavior_on_malformed_documents;
    out["behavior.on.null.values"] = o.behavior_on_null_values;
    out["behavior.on.version.conflict"] = o.behavior_on_version_conflict;
    if (o.batch_size !== undefined) out["batch.size"] = String(o.batch_size);
    if (o.max_retries !== undefined) out["max.retries"] = String(o.max_retries);
  }

  // Kafka's defaults (tolerance none, nothing logged) are left implicit.
  if (c.errors.tolerance !== "none") {
    out["errors.tolerance"] = c.errors.tolerance;
    out["errors.log.enable"] = String(c.errors.log_errors);
  }
  const dlq = c.errors.dead_letter_queue;
  if (dlq) {
    out["errors.deadletterqueue.topic.name"] = dlq.topic;
    // Terraform creates the topic (KafkaTopic); Connect only creates it if it is missing.
    out["errors.deadletterqueue.topic.replication.factor"] = String(dlq.replication_factor ?? defaults.replicationFactor ?? 3);
    out["errors.deadletterqueue.context.headers.enable"] = String(dlq.context_headers);
  }

  if (c.transforms.length > 0) {
    out.transforms = c.transforms.map((t) => t.name).join(",");
    for (const t of c.transforms) {
      out[`transforms.${t.name}.type`] = t.type;
      for (const [k, v] of Object.entries(t.config)) out[`transforms.${t.name}.${k}`] = String(v);
    }
  }
  for (const [k, v] of Object.entries(c.config)) out[k] = String(v);

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
  /** Connector name in MSK Connect: <namePrefix>-<connector>. */
  public readonly connectorName: string;
  /** The connector's spec. */
  public readonly spec: ConnectorSpec;
  /** ARN of the connector; only meaningful when created (count = 1). */
  public readonly arn: string;
  public readonly role: IamRole;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly resource: MskconnectConnector;
  /** terraform_data holding the configuration hash. */
  public readonly configHash: DataResource;
  /** The rendered connector configuration (keys sorted). */
  public readonly configuration: Readonly<Record<string, string>>;
  /** opensearch-sink only: Secrets Manager secret with {"username","password"} (filled by the index bootstrap). */
  public readonly secretName?: string;
  public readonly secretArn?: string;
  /** opensearch-sink only: the FGAC internal user the bootstrap creates. */
  public readonly fgacUsername?: string;

  constructor(scope: Construct, id: string, props: MskConnectorProps) {
    super(scope, id);
    const c = props.connector;
    const sink = isSink(c);
    this.validate(props);

    this.spec = c;
    this.connectorName = `${props.namePrefix}-${c.name}`;
    const retention = c.log_retention_days ?? props.defaultLogRetentionDays ?? 30;
    const version = c.kafka_connect_version ?? props.defaultKafkaConnectVersion ?? "2.7.1";

    // ---- secret (opensearch-sink) ---------------------------------------------------------
    let secret: SecretsmanagerSecret | undefined;
    if (c.kind === "opensearch-sink") {
      this.secretName = sinkSecretName(props.namePrefix, c.name);
      this.fgacUsername = sinkUsername(props.namePrefix, c.name);
      secret = new SecretsmanagerSecret(this, "secret", {
        name: this.secretName,
        description: `OpenSearch credentials of connector ${this.connectorName} (user ${this.fgacUsername}): {"username","password"}, written by the index bootstrap. No version is managed by Terraform.`,
        recoveryWindowInDays: props.secretRecoveryWindowDays ?? 7,
      });
      this.secretArn = secret.arn;
    }

    // ---- configuration --------------------------------------------------------------------
    this.configuration = renderConnectorConfig(
      c,
      props.topics,
      c.kind === "opensearch-sink" ? { connectionUrl: `https://${props.opensearchEndpoint}`, secretName: this.secretName! } : undefined,
      { replicationFactor: props.defaultReplicationFactor },
    );

    // ---- log group --------------------------------------------------------------------------
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      name: `/msk-connect/${props.namePrefix}/${c.name}`,
      retentionInDays: retention,
    });

    // ---- execution role ---------------------------------------------------------------------
    const trust: PolicyStatement = {
      Effect: "Allow",
      Principal: { Service: "kafkaconnect.amazonaws.com" },
      Action: "sts:AssumeRole",
      // Confused-deputy guard: only this account's MSK Connect, for this connector.
      Condition: {
        StringEquals: { "aws:SourceAccount": props.accountId },
        ArnLike: { "aws:SourceArn": `arn:${props.partition}:kafkaconnect:${props.region}:${props.accountId}:connector/${this.connectorName}/*` },
      },
    };
    this.role = new IamRole(this, "role", {
      name: `${this.connectorName}-connect`,
      description: `Execution role of MSK Connect connector ${this.connectorName}`,
      assumeRolePolicy: policyDocument([trust]),
    });

    // arn:…:cluster/<name>/<uuid> -> arn:…:topic/<name>/<uuid> and arn:…:group/<name>/<uuid>
    const topicArn = (t: string) => `${Fn.replace(props.cluster.arn, ":cluster/", ":topic/")}/${t}`;
    const groupArn = (g: string) => `${Fn.replace(props.cluster.arn, ":cluster/", ":group/")}/${g}`;
    const statements: PolicyStatement[] = [
      { Sid: "Cluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [props.cluster.arn] },
      sink
        ? { Sid: "ReadOwnTopics", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: c.topics.map(topicArn) }
        : {
            Sid: "WriteOwnTopics",
            Effect: "Allow",
            // No CreateTopic: Terraform creates every topic (KafkaTopic) before the connector starts.
            Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
            Resource: c.topics.map(topicArn),
          },
    ];
    const dlq = c.errors.dead_letter_queue;
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
    const rolePolicy = new IamRolePolicy(this, "policy", {
      name: "connector",
      role: this.role.id,
      policy: policyDocument(statements),
    });

    // ---- config hash (#47004) -------------------------------------------------------------
    this.configHash = new DataResource(this, "config-hash", { triggersReplace: configTriggers(this.configuration) });

    // ---- connector --------------------------------------------------------------------------
    const cap = c.capacity;
    const capacity: MskconnectConnectorCapacity = cap.autoscaling
      ? {
          autoscaling: {
            minWorkerCount: cap.autoscaling.min_workers,
            maxWorkerCount: cap.autoscaling.max_workers,
            mcuCount: cap.autoscaling.mcu,
            scaleInPolicy: { cpuUtilizationPercentage: cap.autoscaling.scale_in_cpu_percent },
            scaleOutPolicy: { cpuUtilizationPercentage: cap.autoscaling.scale_out_cpu_percent },
          },
        }
      : { provisionedCapacity: { workerCount: cap.provisioned!.workers, mcuCount: cap.provisioned!.mcu } };

    this.resource = new MskconnectConnector(this, "resource", {
      count: Fn.conditional(props.create, 1, 0) as unknown as number,
      name: this.connectorName,
      description: c.description,
      kafkaconnectVersion: version,
      capacity,
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
          s3: { enabled: true, bucket: props.logBucketName, prefix: `logs/msk/connect/${c.name}/` },
        },
      },
      serviceExecutionRoleArn: this.role.arn,
      // The role's policy must exist before the workers start.
      dependsOn: [rolePolicy, ...(props.dependsOn ?? [])],
      // The plain address: a construct here renders as "${terraform_data.x}", which Terraform
      // rejects in replace_triggered_by (hashicorp/terraform-cdk#3196).
      lifecycle: { replaceTriggeredBy: [`${this.configHash.terraformResourceType}.${this.configHash.friendlyUniqueId}`] },
    });
    // count = 0|1: one(<resource>[*].arn) is the ARN or null.
    this.arn = Token.asString(Fn.one(ref(`${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}[*].arn`, TerraformStack.of(this))));
  }

  private validate(props: MskConnectorProps): void {
    const c = props.connector;
    const where = `MskConnector ${c.name}`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(c.name)) throw new Error(`${where}: connector name must be lowercase letters, digits and '-', got "${c.name}"`);
    const roleName = `${props.namePrefix}-${c.name}-connect`;
    if (!Token.isUnresolved(props.namePrefix) && roleName.length > 64) {
      throw new Error(`${where}: IAM role name "${roleName}" is ${roleName.length} characters; name_prefix + connector name must stay within 56`);
    }
    const known = new Set(props.topics.map((t) => t.name));
    for (const t of c.topics) if (!known.has(t)) throw new Error(`${where}: topic "${t}" is not among the pipeline's topics`);
    const retention = c.log_retention_days ?? props.defaultLogRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) {
      throw new Error(`${where}: log retention must be one of ${LOG_RETENTION_DAYS.join(", ")} days, got ${retention}`);
    }
    const w = props.secretRecoveryWindowDays ?? 7;
    if (!(w === 0 || (Number.isInteger(w) && w >= 7 && w <= 30))) {
      throw new Error(`${where}: secretRecoveryWindowDays must be 0 or 7-30, got ${w}`);
    }
    if (c.kind === "opensearch-sink") {
      if (props.opensearchEndpoint === undefined) throw new Error(`${where}: an opensearch-sink needs opensearchEndpoint`);
      if (!props.workerConfiguration.hasSecretsManagerProvider) {
        throw new Error(`${where}: an opensearch-sink needs a worker configuration with the Secrets Manager config provider (secretsManagerProvider: true)`);
      }
    }
    if (props.subnetIds.length === 0) throw new Error(`${where}: subnetIds must name at least one private subnet`);
    if (props.securityGroupIds.length === 0) throw new Error(`${where}: securityGroupIds must name at least one security group`);
    const cap = c.capacity;
    if ((cap.autoscaling === undefined) === (cap.provisioned === undefined)) {
      throw new Error(`${where}: capacity needs exactly one of provisioned or autoscaling`);
    }
  }
}

