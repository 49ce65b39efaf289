/**
 * KafkaTopic: one `aws_msk_topic` (AWS provider >= 6.38), a Kafka topic of an MSK provisioned
 * cluster created through MSK's topic APIs (CreateTopic/UpdateTopic/DeleteTopic; IAM, no network
 * access to the brokers). cdktf's prebuilt bindings stop at provider 6.25.0, so this is a typed
 * construct over cdktf's public `TerraformResource`; its schema below is read from
 * hashicorp/terraform-provider-aws `internal/service/kafka/topic.go` and listed in
 * custom-resources.ts.
 *
 * What changes in place and what replaces the topic (from the provider's plan modifiers):
 * - `partition_count`: in place (UpdateTopic); Kafka can only add partitions, a decrease fails at apply.
 * - `configs`: in place (UpdateTopic with the whole JSON document).
 * - `name`, `cluster_arn`, `replication_factor`: RequiresReplace, i.e. the topic and every record
 *   in it are deleted and an empty topic is created.
 * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-topic-operations-information.html
 */
import {
  type ITerraformDependable,
  TerraformResource,
  Token,
  numberToHclTerraform,
  numberToTerraform,
  stringToHclTerraform,
  stringToTerraform,
} from "cdktf";
import { Construct } from "constructs";
import type { CustomResourceSchema } from "../custom-resource-schema";
import { AWS_PROVIDER_VERSION_CONSTRAINT } from "../aws-provider";

/** Schema of aws_msk_topic (provider 6.38.0+), from internal/service/kafka/topic.go. */
export const MSK_TOPIC_SCHEMA: CustomResourceSchema = {
  resourceType: "aws_msk_topic",
  sinceProviderVersion: "6.38.0",
  source: "hashicorp/terraform-provider-aws internal/service/kafka/topic.go (website/docs/r/msk_topic.html.markdown)",
  attributes: {
    arn: { type: "string", computed: true },
    cluster_arn: { type: "string", required: true, forceNew: true },
    configs: { type: "string", optional: true },
    configs_actual: { type: "string", computed: true },
    name: { type: "string", required: true, forceNew: true },
    partition_count: { type: "number", required: true },
    // framework.WithRegionModel: every 6.x framework resource has an optional, computed region.
    region: { type: "string", optional: true, computed: true },
    replication_factor: { type: "number", required: true, forceNew: true },
  },
  blocks: {
    timeouts: { create: { type: "string", optional: true }, update: { type: "string", optional: true }, delete: { type: "string", optional: true } },
  },
};

/** Kafka's cleanup.policy values. */
export type KafkaCleanupPolicy = "delete" | "compact" | "compact,delete";
/** Topic-level compression.type values. */
export type KafkaCompressionType = "producer" | "uncompressed" | "zstd" | "lz4" | "snappy" | "gzip";

const CLEANUP_POLICIES: readonly KafkaCleanupPolicy[] = ["delete", "compact", "compact,delete"];
const COMPRESSION_TYPES: readonly KafkaCompressionType[] = ["producer", "uncompressed", "zstd", "lz4", "snappy", "gzip"];

/** The topic configs the pipeline sets; unset ones keep the cluster's defaults. */
export interface KafkaTopicConfigs {
  /**
   * retention.ms: how long records are kept; -1 keeps them forever.
   * @default - the cluster's log.retention.hours
   */
  readonly retentionMs?: number;
  /**
   * retention.bytes: most bytes kept per partition; -1 = no limit.
   * @default - Kafka's -1
   */
  readonly retentionBytes?: number;
  /**
   * cleanup.policy.
   * @default - Kafka's "delete"
   */
  readonly cleanupPolicy?: KafkaCleanupPolicy;
  /**
   * min.insync.replicas: replicas that must acknowledge an acks=all write (≤ replicationFactor).
   * @default - the cluster's min.insync.replicas
   */
  readonly minInsyncReplicas?: number;
  /**
   * max.message.bytes: largest record batch the topic accepts.
   * @default - Kafka's 1048588
   */
  readonly maxMessageBytes?: number;
  /**
   * compression.type.
   * @default - Kafka's "producer"
   */
  readonly compressionType?: KafkaCompressionType;
  /**
   * remote.storage.enable: tiered storage for this topic (the cluster's storage mode must be
   * TIERED; needs retentionMs; not with a compacting cleanup policy).
   * @default - Kafka's false
   */
  readonly remoteStorageEnable?: boolean;
  /**
   * local.retention.ms: how long segments also stay on the brokers (with remoteStorageEnable;
   * below retentionMs, or -2 for the same).
   * @default - Kafka's -2
   */
  readonly localRetentionMs?: number;
  /**
   * local.retention.bytes: most bytes per partition kept on the brokers (with
   * remoteStorageEnable; below retentionBytes, or -2 for the same).
   * @default - Kafka's -2
   */
  readonly localRetentionBytes?: number;
}

export interface KafkaTopicProps {
  /** Kafka topic name (letters, digits, '.', '_', '-'; at most 249 characters). Changing it replaces the topic. */
  readonly name: string;
  /** ARN of the MSK provisioned cluster (Kafka 3.6.0 or later). */
  readonly clusterArn: string;
  /** Partitions; may grow in place, never shrink. */
  readonly partitionCount: number;
  /** Copies of each partition. Changing it replaces the topic. */
  readonly replicationFactor: number;
  /**
   * Topic configs, rendered as the JSON object `configs` (Kafka names, string values, sorted keys).
   * @default - none: every config keeps the cluster's default
   */
  readonly configs?: KafkaTopicConfigs;
  /**
   * Brokers of the cluster, to check replicationFactor against.
   * @default - not checked
   */
  readonly brokerCount?: number;
  /**
   * Kafka version of the cluster (e.g. "3.8.x"), to check that it has the topic APIs (3.6.0+).
   * @default - not checked
   */
  readonly kafkaVersion?: string;
  /**
   * Storage mode of the cluster, to check that tiered configs are only set on a TIERED cluster.
   * @default - not checked
   */
  readonly clusterStorageMode?: "LOCAL" | "TIERED";
  /**
   * `lifecycle.prevent_destroy`: Terraform refuses any plan that deletes the topic (and its data),
   * whether by replacement, removal or destroy.
   * @default true
   */
  readonly preventDestroy?: boolean;
  /**
   * What the topic waits for.
   * @default - only what its attributes reference (the cluster)
   */
  readonly dependsOn?: ITerraformDependable[];
}

/** Kafka's topic name rule. */
const TOPIC_NAME = /^[A-Za-z0-9._-]{1,249}$/;

/** "3.8.x" → [3, 8, 0]. */
function versionParts(v: string): number[] {
  return v.split(".").map((p) => Number.parseInt(p, 10) || 0);
}

/** True when a Kafka version (x wildcards allowed) is at least 3.6.0, the first with MSK's topic APIs. */
export function hasTopicApis(version: string): boolean {
  const [major = 0, minor = 0] = versionParts(version);
  return major > 3 || (major === 3 && minor >= 6);
}

/** The `configs` document: Kafka names, string values (as the API returns them), sorted keys. */
export function renderTopicConfigs(configs: KafkaTopicConfigs | undefined): string | undefined {
  if (!configs) return undefined;
  const entries: [string, string | number | undefined][] = [
    ["cleanup.policy", configs.cleanupPolicy],
    ["compression.type", configs.compressionType],
    ["local.retention.bytes", configs.localRetentionBytes],
    ["local.retention.ms", configs.localRetentionMs],
    ["max.message.bytes", configs.maxMessageBytes],
    ["min.insync.replicas", configs.minInsyncReplicas],
    ["remote.storage.enable", configs.remoteStorageEnable === undefined ? undefined : String(configs.remoteStorageEnable)],
    ["retention.bytes", configs.retentionBytes],
    ["retention.ms", configs.retentionMs],
  ];
  const out: Record<string, string> = {};
  for (const [k, v] of entries) if (v !== undefined) out[k] = String(v);
  return Object.keys(out).length > 0 ? JSON.stringify(out) : undefined;
}

const isInt = (n: number) => Token.isUnresolved(n) || Number.isInteger(n);

/**
 * An MSK topic managed by Terraform. Partition count and configs change in place; name, cluster
 * and replication factor replace it, which deletes its records, so `prevent_destroy` is on unless
 * turned off explicitly.
 */
export class KafkaTopic extends TerraformResource {
  public static readonly tfResourceType = "aws_msk_topic";

  private readonly _name: string;
  private readonly _clusterArn: string;
  private readonly _partitionCount: number;
  private readonly _replicationFactor: number;
  private readonly _configs?: string;

  constructor(scope: Construct, id: string, props: KafkaTopicProps) {
    KafkaTopic.validate(props);
    const preventDestroy = props.preventDestroy ?? true;
    super(scope, id, {
      terraformResourceType: KafkaTopic.tfResourceType,
      terraformGeneratorMetadata: {
        providerName: "aws",
        providerVersionConstraint: AWS_PROVIDER_VERSION_CONSTRAINT,
      },
      dependsOn: props.dependsOn,
      lifecycle: preventDestroy ? { preventDestroy: true } : undefined,
    });
    this._name = props.name;
    this._clusterArn = props.clusterArn;
    this._partitionCount = props.partitionCount;
    this._replicationFactor = props.replicationFactor;
    this._configs = renderTopicConfigs(props.configs);
  }

  private static validate(props: KafkaTopicProps): void {
    const where = `KafkaTopic ${props.name}`;
    if (!Token.isUnresolved(props.name) && (!TOPIC_NAME.test(props.name) || props.name === "." || props.name === "..")) {
      throw new Error(`${where}: name must be 1-249 letters, digits, '.', '_' or '-' (not '.' or '..'), got "${props.name}"`);
    }
    if (!isInt(props.partitionCount) || props.partitionCount < 1) {
      throw new Error(`${where}: partitionCount must be a whole number ≥ 1, got ${props.partitionCount}`);
    }
    if (!isInt(props.replicationFactor) || props.replicationFactor < 1) {
      throw new Error(`${where}: replicationFactor must be a whole number ≥ 1, got ${props.replicationFactor}`);
    }
    if (props.brokerCount !== undefined && props.replicationFactor > props.brokerCount) {
      throw new Error(`${where}: replicationFactor (${props.replicationFactor}) must be at most the cluster's broker count (${props.brokerCount})`);
    }
    if (props.kafkaVersion !== undefined && !hasTopicApis(props.kafkaVersion)) {
      throw new Error(`${where}: the cluster runs Kafka ${props.kafkaVersion}; MSK's topic APIs need 3.6.0 or later`);
    }
    const c = props.configs ?? {};
    if (c.minInsyncReplicas !== undefined) {
      if (!isInt(c.minInsyncReplicas) || c.minInsyncReplicas < 1) {
        throw new Error(`${where}: configs.minInsyncReplicas must be a whole number ≥ 1, got ${c.minInsyncReplicas}`);
      }
      if (c.minInsyncReplicas > props.replicationFactor) {
        throw new Error(`${where}: configs.minInsyncReplicas (${c.minInsyncReplicas}) must be at most replicationFactor (${props.replicationFactor})`);
      }
    }
    for (const [field, value] of [["retentionMs", c.retentionMs], ["retentionBytes", c.retentionBytes]] as const) {
      if (value !== undefined && (!isInt(value) || value < -1)) {
        throw new Error(`${where}: configs.${field} must be a whole number ≥ -1 (-1 = no limit), got ${value}`);
      }
    }
    if (c.maxMessageBytes !== undefined && (!isInt(c.maxMessageBytes) || c.maxMessageBytes < 1)) {
      throw new Error(`${where}: configs.maxMessageBytes must be a whole number ≥ 1, got ${c.maxMessageBytes}`);
    }
    if (c.cleanupPolicy !== undefined && !CLEANUP_POLICIES.includes(c.cleanupPolicy)) {
      throw new Error(`${where}: configs.cleanupPolicy must be one of ${CLEANUP_POLICIES.join(", ")}, got "${c.cleanupPolicy}"`);
    }
    if (c.compressionType !== undefined && !COMPRESSION_TYPES.includes(c.compressionType)) {
      throw new Error(`${where}: configs.compressionType must be one of ${COMPRESSION_TYPES.join(", ")}, got "${c.compressionType}"`);
    }
    KafkaTopic.validateTiered(where, c, props.clusterStorageMode);
  }

  /** MSK's rules for tiered topics (msk-guidelines-tiered-storage-topic-level-config). */
  private static validateTiered(where: string, c: KafkaTopicConfigs, storageMode: "LOCAL" | "TIERED" | undefined): void {
    const remote = c.remoteStorageEnable === true;
    for (const [field, value] of [["localRetentionMs", c.localRetentionMs], ["localRetentionBytes", c.localRetentionBytes]] as const) {
      if (value === undefined) continue;
      if (!remote) throw new Error(`${where}: configs.${field} needs remoteStorageEnable: true`);
      if (!isInt(value) || value < -2) throw new Error(`${where}: configs.${field} must be a whole number ≥ -2 (-2 = the total retention), got ${value}`);
    }
    if (!remote) return;
    if (storageMode === "LOCAL") throw new Error(`${where}: configs.remoteStorageEnable needs a cluster with storage mode TIERED`);
    if (c.retentionMs === undefined) throw new Error(`${where}: configs.remoteStorageEnable needs retentionMs (MSK requires it on a tiered topic)`);
    if (c.cleanupPolicy !== undefined && c.cleanupPolicy !== "delete") {
      throw new Error(`${where}: configs.remoteStorageEnable needs cleanupPolicy "delete" (tiered storage holds no compacted topics), got "${c.cleanupPolicy}"`);
    }
    for (const [local, localValue, total, totalValue] of [
      ["localRetentionMs", c.localRetentionMs, "retentionMs", c.retentionMs],
      ["localRetentionBytes", c.localRetentionBytes, "retentionBytes", c.retentionBytes],
    ] as const) {
      if (localValue === undefined || localValue === -2 || totalValue === undefined || totalValue === -1) continue;
      if (localValue === -1 || localValue >= totalValue) {
        throw new Error(`${where}: configs.${local} (${localValue}) must be below ${total} (${totalValue}), or -2 for the same`);
      }
    }
  }

  /** Kafka topic name. */
  public get name(): string {
    return this._name;
  }

  /** ARN of the topic (computed). */
  public get arn(): string {
    return this.getStringAttribute("arn");
  }

  /** Every config of the topic as JSON, including the cluster's defaults (computed, display only). */
  public get configsActual(): string {
    return this.getStringAttribute("configs_actual");
  }

  /** The `configs` JSON document this topic sets, or undefined when it sets none. */
  public get configsJson(): string | undefined {
    return this._configs;
  }

  protected override synthesizeAttributes(): Record<string, unknown> {
    return {
      name: stringToTerraform(this._name),
      cluster_arn: stringToTerraform(this._clusterArn),
      partition_count: numberToTerraform(this._partitionCount),
      replication_factor: numberToTerraform(this._replicationFactor),
      configs: stringToTerraform(this._configs),
    };
  }

  protected override synthesizeHclAttributes(): Record<string, unknown> {
    const attrs: Record<string, { value: unknown; isBlock: false; type: "simple"; storageClassType: string }> = {
      name: { value: stringToHclTerraform(this._name), isBlock: false, type: "simple", storageClassType: "string" },
      cluster_arn: { value: stringToHclTerraform(this._clusterArn), isBlock: false, type: "simple", storageClassType: "string" },
      partition_count: { value: numberToHclTerraform(this._partitionCount), isBlock: false, type: "simple", storageClassType: "number" },
      replication_factor: { value: numberToHclTerraform(this._replicationFactor), isBlock: false, type: "simple", storageClassType: "number" },
      configs: { value: stringToHclTerraform(this._configs), isBlock: false, type: "simple", storageClassType: "string" },
    };
    return Object.fromEntries(Object.entries(attrs).filter(([, v]) => v.value !== undefined));
  }
}
