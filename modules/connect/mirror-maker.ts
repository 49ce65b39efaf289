import { Fn, Token } from "cdktf";
import { Construct } from "constructs";
import { VpcSecurityGroupEgressRule } from "@cdktf/provider-aws/lib/vpc-security-group-egress-rule";
import type { PolicyStatement } from "../iam-policy";
import type { ConnectorKindParts } from "./connector-kind";
import { configProviderReference } from "./msk-connector";
import { SECRETS_MANAGER_PROVIDER_NAME } from "./worker-configuration";

/**
 * Every MirrorMaker 2 key below is checked against Apache Kafka's source (connect/mirror and
 * connect/mirror-client, org.apache.kafka.connect.mirror):
 * - MirrorConnectorConfig: source.cluster.alias, replication.policy.class, and the
 *   `source.cluster.` / `target.cluster.` client prefixes (sourceAdminConfig, targetAdminConfig, ...).
 * - MirrorSourceConfig: topics ("comma-separated topic names and regexes"), replication.factor,
 *   sync.topic.configs.enabled, sync.topic.acls.enabled, offset-syncs.topic.replication.factor,
 *   offset-syncs.topic.location (KIP-716; offsetSyncsTopic(): at `target` the topic is
 *   mm2-offset-syncs.<source alias>.internal).
 * - MirrorCheckpointConfig: groups, emit.checkpoints.enabled, sync.group.offsets.enabled,
 *   checkpoints.topic.replication.factor, offset-syncs.topic.location; validate() refuses
 *   emit.checkpoints.enabled and sync.group.offsets.enabled both false.
 * - MirrorHeartbeatConfig: heartbeats.topic.replication.factor.
 * - DefaultReplicationPolicy: offsetSyncsTopic = "mm2-offset-syncs.<alias>.internal",
 *   checkpointsTopic = "<alias>.checkpoints.internal", heartbeatsTopic = "heartbeats", remote
 *   topics "<alias>.<topic>"; IdentityReplicationPolicy keeps names except heartbeats, which it
 *   replicates as "<alias>.heartbeats" like the default policy.
 * Replication factors are -1: the broker's default.replication.factor (KIP-464), so the internal
 * topics follow the cluster's setting whatever its broker count.
 * IAM client settings: aws/aws-msk-iam-auth README (AWS_MSK_IAM, IAMLoginModule, IAMClientCallbackHandler).
 */

export const IDENTITY_REPLICATION_POLICY_CLASS = "org.apache.kafka.connect.mirror.IdentityReplicationPolicy";
export const DEFAULT_REPLICATION_POLICY_CLASS = "org.apache.kafka.connect.mirror.DefaultReplicationPolicy";
/** MirrorMaker copies records as bytes: no conversion on either side. */
const BYTE_ARRAY_CONVERTER = "org.apache.kafka.connect.converters.ByteArrayConverter";

/** MirrorMaker's roles: one MSK Connect connector each. */
export type MirrorMakerRole = "source" | "checkpoint" | "heartbeat";

/** How the connectors sign in to the source cluster. */
export type MirrorSourceAuthentication =
  | { readonly type: "iam"; /** ARN of the source MSK cluster (literal). */ readonly clusterArn: string }
  | {
      readonly type: "scram";
      /** Secrets Manager secret with {"username","password"}, read through the config provider. */
      readonly secretName: string;
      readonly mechanism: "SCRAM-SHA-512" | "SCRAM-SHA-256";
      /** Customer-managed key of the secret. @default - AWS-managed key, nothing to grant */
      readonly kmsKeyArn?: string;
    }
  | { readonly type: "tls" }
  | { readonly type: "none" };

/** The source brokers' network peer: exactly one of cidr or securityGroupId. */
export interface MirrorSourcePeer {
  /** @default - none (securityGroupId names the peer) */
  readonly cidr?: string;
  /** @default - none (cidr names the peer) */
  readonly securityGroupId?: string;
  readonly port: number;
}

export interface MirrorMakerProps {
  /** The file's connector name; its connectors are <name>-source, -checkpoint and -heartbeat. */
  readonly name: string;
  /** source.cluster.alias (lowercase letters, digits, '-'). */
  readonly sourceAlias: string;
  /** source.cluster.bootstrap.servers, host:port each. */
  readonly sourceBootstrapServers: readonly string[];
  readonly authentication: MirrorSourceAuthentication;
  readonly sourcePeer: MirrorSourcePeer;
  /** The connectors' security group (ConnectorSecurityGroup): the egress rule to the peer is added to it. */
  readonly connectorSecurityGroupId: string;
  /** Our cluster's ARN (token allowed): IAM names its topics and groups. */
  readonly targetClusterArn: string;
  /** Our cluster's SASL/IAM bootstrap brokers (token allowed). */
  readonly targetBootstrapServers: string;
  /** Topics MirrorMaker writes on our cluster (our topic files, created by Terraform). */
  readonly topics: readonly string[];
  /**
   * MirrorMaker's `topics` filter, in source names.
   * @default - exactly the source names of `topics`
   */
  readonly topicsRegex?: string;
  /**
   * identity keeps topic names (a migration); default writes <alias>.<topic>.
   * @default "identity"
   */
  readonly replicationPolicy?: "identity" | "default";
  /**
   * emit.checkpoints.enabled
   * @default true
   */
  readonly emitCheckpoints?: boolean;
  /**
   * sync.group.offsets.enabled
   * @default true
   */
  readonly syncGroupOffsets?: boolean;
  /** Consumer groups whose offsets are synced: ids, or prefixes ending in `*`. */
  readonly groups: readonly string[];
  /**
   * tasks.max of the source and checkpoint connectors (the heartbeat connector runs one task).
   * @default 1
   */
  readonly tasksMax?: number;
  /** Region of the stack (KMS ViaService condition). */
  readonly region: string;
}

/** One of the three connectors: what MskConnector needs beyond the file's common settings. */
export interface MirrorMakerConnectorParts extends ConnectorKindParts {
  readonly role: MirrorMakerRole;
  /** MSK Connect connector name suffix-free: <name>-<role>. */
  readonly name: string;
  readonly connectorClass: string;
  /** Topics it writes on our cluster (MskConnector's own-topic statement names them). */
  readonly topics: readonly string[];
  readonly tasksMax: number;
}

/** A name as a Java regex that matches only itself (topic and group names: '.' is the only metacharacter they may hold). */
function literalPattern(name: string): string {
  return name.replace(/\./g, "\\.");
}

/** A group id or `prefix*` as MirrorMaker's regex. */
function groupRegex(group: string): string {
  return group.endsWith("*") ? `${literalPattern(group.slice(0, -1))}.*` : literalPattern(group);
}

/**
 * MirrorMaker 2 on MSK Connect: the properties and least-privilege IAM statements of its source,
 * checkpoint and heartbeat connectors, and the security group egress rule from the connectors to
 * the source brokers. Offset syncs live on our cluster (offset-syncs.topic.location=target), so
 * the source cluster is only read. Topic configs and ACLs are not synced: Terraform owns our
 * topics' settings and our cluster authorizes with IAM.
 */
export class MirrorMaker extends Construct {
  /** The three connectors, in creation order: source, checkpoint, heartbeat. */
  public readonly connectors: readonly MirrorMakerConnectorParts[];
  /** Names of MirrorMaker's internal topics on our cluster. */
  public readonly internalTopics: { readonly offsetSyncs: string; readonly checkpoints: string; readonly heartbeats: string; readonly remoteHeartbeats: string };
  public readonly egressRule: VpcSecurityGroupEgressRule;

  constructor(scope: Construct, id: string, props: MirrorMakerProps) {
    super(scope, id);
    this.replicationPolicy = props.replicationPolicy ?? "identity";
    this.validate(props);
    const alias = props.sourceAlias;
    // DefaultReplicationPolicy (and IdentityReplicationPolicy for heartbeats), separator ".".
    this.internalTopics = {
      offsetSyncs: `mm2-offset-syncs.${alias}.internal`,
      checkpoints: `${alias}.checkpoints.internal`,
      heartbeats: "heartbeats",
      remoteHeartbeats: `${alias}.heartbeats`,
    };
    this.egressRule = this.buildEgressRule(props);
    this.connectors = [this.sourceConnector(props), this.checkpointConnector(props), this.heartbeatConnector(props)];
  }

  private buildEgressRule(props: MirrorMakerProps): VpcSecurityGroupEgressRule {
    const p = props.sourcePeer;
    return new VpcSecurityGroupEgressRule(this, "to-source-cluster", {
      securityGroupId: props.connectorSecurityGroupId,
      description: `Kafka (${props.authentication.type}) to the brokers of MirrorMaker source cluster ${props.sourceAlias}`,
      ipProtocol: "tcp",
      fromPort: p.port,
      toPort: p.port,
      ...(p.cidr !== undefined ? { cidrIpv4: p.cidr } : { referencedSecurityGroupId: p.securityGroupId }),
    });
  }

  private get policyClass(): string {
    return this.replicationPolicy === "default" ? DEFAULT_REPLICATION_POLICY_CLASS : IDENTITY_REPLICATION_POLICY_CLASS;
  }

  private readonly replicationPolicy: "identity" | "default";

  /** A topic of ours by its source name. */
  private sourceName(props: MirrorMakerProps, topic: string): string {
    return this.replicationPolicy === "default" ? topic.slice(props.sourceAlias.length + 1) : topic;
  }

  /** What all three share: alias, policy, our cluster over SASL/IAM, byte-for-byte converters. */
  private common(props: MirrorMakerProps): Record<string, string> {
    return {
      "source.cluster.alias": props.sourceAlias,
      "replication.policy.class": this.policyClass,
      "target.cluster.bootstrap.servers": props.targetBootstrapServers,
      "target.cluster.security.protocol": "SASL_SSL",
      "target.cluster.sasl.mechanism": "AWS_MSK_IAM",
      "target.cluster.sasl.jaas.config": "software.amazon.msk.auth.iam.IAMLoginModule required;",
      "target.cluster.sasl.client.callback.handler.class": "software.amazon.msk.auth.iam.IAMClientCallbackHandler",
      "key.converter": BYTE_ARRAY_CONVERTER,
      "value.converter": BYTE_ARRAY_CONVERTER,
      "header.converter": BYTE_ARRAY_CONVERTER,
    };
  }

  /** The source-cluster client settings and the topic filter: what the source and checkpoint connectors read with. */
  private sourceFacing(props: MirrorMakerProps): Record<string, string> {
    const out: Record<string, string> = {
      "source.cluster.bootstrap.servers": props.sourceBootstrapServers.join(","),
      "offset-syncs.topic.location": "target",
      topics: props.topicsRegex ?? props.topics.map((t) => literalPattern(this.sourceName(props, t))).join(","),
    };
    const a = props.authentication;
    const p = "source.cluster.";
    if (a.type === "iam") {
      out[`${p}security.protocol`] = "SASL_SSL";
      out[`${p}sasl.mechanism`] = "AWS_MSK_IAM";
      out[`${p}sasl.jaas.config`] = "software.amazon.msk.auth.iam.IAMLoginModule required;";
      out[`${p}sasl.client.callback.handler.class`] = "software.amazon.msk.auth.iam.IAMClientCallbackHandler";
    } else if (a.type === "scram") {
      const ref = (key: string) => configProviderReference(SECRETS_MANAGER_PROVIDER_NAME, a.secretName, key);
      out[`${p}security.protocol`] = "SASL_SSL";
      out[`${p}sasl.mechanism`] = a.mechanism;
      out[`${p}sasl.jaas.config`] = `org.apache.kafka.common.security.scram.ScramLoginModule required username="${ref("username")}" password="${ref("password")}";`;
      // MSK Connect restarts a connector that uses a config provider periodically unless told not to.
      out["config.action.reload"] = "none";
    } else {
      out[`${p}security.protocol`] = a.type === "tls" ? "SSL" : "PLAINTEXT";
    }
    return out;
  }

  private targetTopicArn(props: MirrorMakerProps, topic: string): string {
    return `${Fn.replace(props.targetClusterArn, ":cluster/", ":topic/")}/${topic}`;
  }

  private targetGroupArn(props: MirrorMakerProps, group: string): string {
    return `${Fn.replace(props.targetClusterArn, ":cluster/", ":group/")}/${group}`;
  }

  /** Source-side names of our topics, as ARNs of the source cluster (IAM sources only). */
  private sourceArns(clusterArn: string, kind: "topic" | "group", names: readonly string[]): string[] {
    return names.map((n) => `${clusterArn.replace(":cluster/", `:${kind}/`)}/${n}`);
  }

  /** A Kafka ≥ 3.0 producer is idempotent by default; MSK IAM authorizes that on the cluster. */
  private idempotentWrites(props: MirrorMakerProps): PolicyStatement {
    return { Sid: "MirrorIdempotentWrite", Effect: "Allow", Action: ["kafka-cluster:WriteDataIdempotently"], Resource: [props.targetClusterArn] };
  }

  /** Statements on the source cluster (IAM) or its secret's key (SCRAM with a customer key). */
  private sourceAccess(props: MirrorMakerProps, topicActions: readonly string[], groups: boolean): PolicyStatement[] {
    const a = props.authentication;
    if (a.type === "scram" && a.kmsKeyArn !== undefined) {
      return [
        {
          Sid: "SourceSecretKey",
          Effect: "Allow",
          Action: ["kms:Decrypt"],
          Resource: [a.kmsKeyArn],
          Condition: { StringEquals: { "kms:ViaService": `secretsmanager.${props.region}.amazonaws.com` } },
        },
      ];
    }
    if (a.type !== "iam") return [];
    const sourceTopics = props.topics.map((t) => this.sourceName(props, t));
    const out: PolicyStatement[] = [
      { Sid: "SourceCluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [a.clusterArn] },
      { Sid: "SourceTopics", Effect: "Allow", Action: [...topicActions], Resource: this.sourceArns(a.clusterArn, "topic", sourceTopics) },
    ];
    if (groups) {
      out.push({ Sid: "SourceGroups", Effect: "Allow", Action: ["kafka-cluster:DescribeGroup"], Resource: this.sourceArns(a.clusterArn, "group", props.groups) });
    }
    return out;
  }

  private secrets(props: MirrorMakerProps): string[] {
    return props.authentication.type === "scram" ? [props.authentication.secretName] : [];
  }

  private sourceConnector(props: MirrorMakerProps): MirrorMakerConnectorParts {
    const t = this.internalTopics;
    return {
      role: "source",
      name: `${props.name}-source`,
      connectorClass: "org.apache.kafka.connect.mirror.MirrorSourceConnector",
      topics: props.topics,
      tasksMax: props.tasksMax ?? 1,
      properties: {
        ...this.common(props),
        ...this.sourceFacing(props),
        "replication.factor": "-1",
        "offset-syncs.topic.replication.factor": "-1",
        // Terraform owns our topics' settings (topic files), and our cluster authorizes with IAM, not ACLs.
        "sync.topic.configs.enabled": "false",
        "sync.topic.acls.enabled": "false",
      },
      statements: [
        {
          Sid: "MirrorInternalTopics",
          Effect: "Allow",
          // MirrorMaker creates its offset-syncs topic, and <alias>.heartbeats if the source has a heartbeats topic.
          Action: ["kafka-cluster:CreateTopic", "kafka-cluster:DescribeTopic", "kafka-cluster:WriteData"],
          Resource: [this.targetTopicArn(props, t.offsetSyncs), this.targetTopicArn(props, t.remoteHeartbeats)],
        },
        this.idempotentWrites(props),
        // Read the records and the topic settings of new topics (describeConfigs).
        ...this.sourceAccess(props, ["kafka-cluster:DescribeTopic", "kafka-cluster:DescribeTopicDynamicConfiguration", "kafka-cluster:ReadData"], false),
      ],
      referencedSecretNames: this.secrets(props),
    };
  }

  private checkpointConnector(props: MirrorMakerProps): MirrorMakerConnectorParts {
    const t = this.internalTopics;
    const sync = props.syncGroupOffsets ?? true;
    const statements: PolicyStatement[] = [
      { Sid: "MirrorCheckpointsTopic", Effect: "Allow", Action: ["kafka-cluster:CreateTopic"], Resource: [this.targetTopicArn(props, t.checkpoints)] },
      { Sid: "MirrorOffsetSyncsRead", Effect: "Allow", Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"], Resource: [this.targetTopicArn(props, t.offsetSyncs)] },
      this.idempotentWrites(props),
    ];
    if (sync) {
      statements.push(
        {
          Sid: "MirrorGroupOffsets",
          Effect: "Allow",
          // describeConsumerGroups, listConsumerGroupOffsets, alterConsumerGroupOffsets on our cluster.
          Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"],
          Resource: props.groups.map((g) => this.targetGroupArn(props, g)),
        },
        {
          Sid: "MirrorGroupTopics",
          Effect: "Allow",
          // Committing a group's offset on a topic is authorized as a read of that topic.
          Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
          Resource: props.topics.map((x) => this.targetTopicArn(props, x)),
        },
      );
    }
    statements.push(...this.sourceAccess(props, ["kafka-cluster:DescribeTopic"], true));
    return {
      role: "checkpoint",
      name: `${props.name}-checkpoint`,
      connectorClass: "org.apache.kafka.connect.mirror.MirrorCheckpointConnector",
      topics: [t.checkpoints],
      tasksMax: props.tasksMax ?? 1,
      properties: {
        ...this.common(props),
        ...this.sourceFacing(props),
        groups: props.groups.map(groupRegex).join(","),
        "emit.checkpoints.enabled": String(props.emitCheckpoints ?? true),
        "sync.group.offsets.enabled": String(sync),
        "checkpoints.topic.replication.factor": "-1",
      },
      statements,
      referencedSecretNames: this.secrets(props),
    };
  }

  private heartbeatConnector(props: MirrorMakerProps): MirrorMakerConnectorParts {
    return {
      role: "heartbeat",
      name: `${props.name}-heartbeat`,
      connectorClass: "org.apache.kafka.connect.mirror.MirrorHeartbeatConnector",
      topics: [this.internalTopics.heartbeats],
      tasksMax: 1,
      properties: { ...this.common(props), "heartbeats.topic.replication.factor": "-1" },
      statements: [
        { Sid: "MirrorHeartbeatsTopic", Effect: "Allow", Action: ["kafka-cluster:CreateTopic"], Resource: [this.targetTopicArn(props, this.internalTopics.heartbeats)] },
        this.idempotentWrites(props),
      ],
    };
  }

  private validate(props: MirrorMakerProps): void {
    const where = `MirrorMaker ${props.name}`;
    if (!/^[a-z][a-z0-9-]{0,31}$/.test(props.sourceAlias)) throw new Error(`${where}: sourceAlias must be lowercase letters, digits and '-', got "${props.sourceAlias}"`);
    if (props.sourceBootstrapServers.length === 0) throw new Error(`${where}: sourceBootstrapServers must name at least one broker`);
    for (const b of props.sourceBootstrapServers) if (!/^[A-Za-z0-9.-]+:\d{1,5}$/.test(b)) throw new Error(`${where}: a bootstrap server is host:port, got "${b}"`);
    if (props.topics.length === 0) throw new Error(`${where}: topics must name at least one topic`);
    if (props.groups.length === 0) throw new Error(`${where}: groups must name at least one consumer group`);
    if (this.replicationPolicy === "default") {
      for (const t of props.topics) if (!t.startsWith(`${props.sourceAlias}.`)) throw new Error(`${where}: with the default replication policy every topic is <alias>.<topic>, got "${t}"`);
    }
    if (props.emitCheckpoints === false && props.syncGroupOffsets === false) throw new Error(`${where}: emitCheckpoints and syncGroupOffsets cannot both be false`);
    const p = props.sourcePeer;
    if ((p.cidr === undefined) === (p.securityGroupId === undefined)) throw new Error(`${where}: sourcePeer needs exactly one of cidr or securityGroupId`);
    if (p.cidr !== undefined && /\/0$/.test(p.cidr)) throw new Error(`${where}: sourcePeer.cidr must name the source network, got "${p.cidr}"`);
    if (!Number.isInteger(p.port) || p.port < 1 || p.port > 65535) throw new Error(`${where}: sourcePeer.port must be 1-65535, got ${p.port}`);
    const a = props.authentication;
    if (a.type === "iam" && !Token.isUnresolved(a.clusterArn) && !/^arn:aws[a-z-]*:kafka:[a-z0-9-]+:\d{12}:cluster\/[^/]+\/[^/]+$/.test(a.clusterArn)) {
      throw new Error(`${where}: authentication.clusterArn must be an MSK cluster ARN, got "${a.clusterArn}"`);
    }
  }
}
