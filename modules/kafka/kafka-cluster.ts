/**
 * KafkaCluster: an Amazon MSK (provisioned) cluster with IAM authentication (mutual TLS and SASL/SCRAM beside it when asked), TLS in transit,
 * encryption at rest, broker logs to CloudWatch and S3, its configuration rendered from props, and
 * a security group that names its clients.
 */
import { type ITerraformDependable, Token } from "cdktf";
import { Construct } from "constructs";
import { AppautoscalingPolicy } from "@cdktf/provider-aws/lib/appautoscaling-policy";
import { AppautoscalingTarget } from "@cdktf/provider-aws/lib/appautoscaling-target";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { MskCluster } from "@cdktf/provider-aws/lib/msk-cluster";
import { MskConfiguration } from "@cdktf/provider-aws/lib/msk-configuration";
import type { SecurityGroup } from "@cdktf/provider-aws/lib/security-group";
import type { VpcSecurityGroupIngressRule } from "@cdktf/provider-aws/lib/vpc-security-group-ingress-rule";
import { validateClientSecurityGroups, type ClientSecurityGroups } from "../network/client-security-groups";
import { addKafkaSecurityGroup } from "./kafka-security-group";
import type { PipelineKafka } from "./pipeline-kafka";
import { KAFKA_VERSIONS, LOG_RETENTION_DAYS } from "../validators/aws-values";
import { addOpenMonitoringIngressRules, openMonitoringBlock, openMonitoringProblems, type KafkaOpenMonitoring } from "./open-monitoring";
import { STORAGE_MODES, tieredStorageProblems, type KafkaStorageMode } from "./tiered-storage";
import { connectivityInfo, vpcConnectivityProblems, type KafkaVpcConnectivity } from "./vpc-connectivity";
import {
  addAuthenticationIngressRules,
  clientAuthenticationBlock,
  validateClientAuthentication,
  type AuthenticationIngressRules,
  type KafkaClientAuthentication,
} from "./kafka-client-authentication";

export { MSK_IAM_PORT } from "./kafka-security-group";

export const ENHANCED_MONITORING_LEVELS = ["DEFAULT", "PER_BROKER", "PER_TOPIC_PER_BROKER", "PER_TOPIC_PER_PARTITION"] as const;

/** Broker properties that have their own field; `extra` must not set them. */
const NAMED_PROPERTIES = {
  autoCreateTopics: "auto.create.topics.enable",
  defaultPartitions: "num.partitions",
  defaultReplicationFactor: "default.replication.factor",
  minInsyncReplicas: "min.insync.replicas",
  logRetentionHours: "log.retention.hours",
  deleteTopicEnable: "delete.topic.enable",
} as const;

/** Broker properties written to the MSK configuration. */
export interface KafkaServerProperties {
  /**
   * auto.create.topics.enable: when true, a producer's first write creates a missing topic with
   * the cluster defaults. Off by default: topics are declared and created by Terraform (KafkaTopic).
   * @default false
   */
  readonly autoCreateTopics?: boolean;
  /**
   * num.partitions
   * @default 2
   */
  readonly defaultPartitions?: number;
  /**
   * default.replication.factor (≤ brokerCount)
   * @default 3
   */
  readonly defaultReplicationFactor?: number;
  /**
   * min.insync.replicas (≤ defaultReplicationFactor)
   * @default 2
   */
  readonly minInsyncReplicas?: number;
  /**
   * log.retention.hours
   * @default 168
   */
  readonly logRetentionHours?: number;
  /**
   * delete.topic.enable
   * @default true
   */
  readonly deleteTopicEnable?: boolean;
  /**
   * Any other broker property, written as-is.
   * @default {}
   */
  readonly extra?: Readonly<Record<string, string | number | boolean>>;
}

/** Where broker logs go in S3: structurally satisfied by an `ArtifactBucket`. */
export interface KafkaLogBucket {
  /** Bucket name. */
  readonly bucketName: string;
  /**
   * The bucket policy that lets log delivery write; the cluster waits for it, so MSK does not
   * rewrite the policy itself.
   * @default - no dependency
   */
  readonly bucketPolicy?: ITerraformDependable;
}

export interface KafkaClusterProps {
  /** Prefix of every name (the environment's `name_prefix`). The cluster is `<namePrefix>-msk`. */
  readonly namePrefix: string;
  /** VPC of the brokers' security group. */
  readonly vpcId: string;
  /** Private subnets the brokers' network interfaces go in: 2 or 3, one per AZ. */
  readonly subnetIds: readonly string[];
  /**
   * Security groups allowed to reach the brokers on 9098 (SASL/IAM over TLS), keyed by a stable
   * name used in the rule's id and description, e.g. `{ connectors: sg, vpn: sg }`.
   */
  readonly clientSecurityGroups: ClientSecurityGroups;
  /**
   * Apache Kafka version (YAML `kafka.version`). 2.x versions are end of life on MSK.
   * @default "3.8.x"
   */
  readonly kafkaVersion?: string;
  /**
   * Broker instance type.
   * @default "kafka.m5.large"
   */
  readonly brokerInstanceType?: string;
  /**
   * Brokers in total; a multiple of the number of subnets (MSK spreads them evenly over the AZs).
   * @default 3
   */
  readonly brokerCount?: number;
  /**
   * EBS storage per broker, GiB.
   * @default 100
   */
  readonly ebsVolumeGb?: number;
  /**
   * Turns on storage autoscaling up to this size per broker, GiB (must exceed ebsVolumeGb). The
   * cluster then ignores later changes of its volume size, which autoscaling owns.
   * @default - no storage autoscaling
   */
  readonly storageAutoscalingMaxGb?: number;
  /**
   * Disk utilization (%) that storage autoscaling keeps the brokers at.
   * @default 60
   */
  readonly storageAutoscalingTargetPercent?: number;
  /**
   * Broker properties of the MSK configuration.
   * @default - the defaults of each field
   */
  readonly serverProperties?: KafkaServerProperties;
  /**
   * Customer KMS key for encryption at rest.
   * @default - the AWS-managed key for MSK
   */
  readonly encryptionKmsKeyArn?: string;
  /**
   * CloudWatch metrics level.
   * @default "DEFAULT"
   */
  readonly enhancedMonitoring?: (typeof ENHANCED_MONITORING_LEVELS)[number];
  /**
   * Retention of the broker log group, days (one of CloudWatch's periods).
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * Bucket for broker logs (in addition to CloudWatch), e.g. the `ArtifactBucket`.
   * @default - broker logs go to CloudWatch only
   */
  readonly logBucket?: KafkaLogBucket;
  /**
   * Key prefix of the broker logs in the bucket.
   * @default "logs/msk/broker/"
   */
  readonly logBucketPrefix?: string;
  /**
   * `storage_mode`: LOCAL (EBS only) or TIERED (EBS plus MSK's tiered storage; Kafka 3.6.0+, not
   * kafka.t3.small, cluster cleanup policy delete). Written only when set: the provider treats an
   * absent storage_mode as "whatever the cluster has".
   * @default - not set (MSK's LOCAL)
   * @see https://docs.aws.amazon.com/msk/latest/developerguide/msk-tiered-storage.html
   */
  readonly storageMode?: KafkaStorageMode;
  /**
   * Open monitoring with Prometheus: exporters on the brokers and ingress on 11001/11002 from the
   * named peers only. Written only when set (then with both exporters explicit).
   * @default - not set: no exporter, no monitoring rule
   */
  readonly openMonitoring?: KafkaOpenMonitoring;
  /**
   * Multi-VPC private connectivity with SASL/IAM. Turning it on or off restarts every broker.
   * Written only when set.
   * @default - not set: off
   */
  readonly vpcConnectivity?: KafkaVpcConnectivity;
  /**
   * Client authentication beside IAM: mutual TLS (9094) and SASL/SCRAM (9096), each opened to the
   * same `clientSecurityGroups` as 9098.
   * @default - IAM only
   */
  readonly clientAuthentication?: KafkaClientAuthentication;
  /**
   * What the cluster waits for besides its own parts, e.g. the installed certificate of a CA it
   * names (a CA is only usable once ACTIVE).
   * @default - nothing else
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** The named broker properties with their defaults applied. */
type NamedServerProperties = { readonly [K in keyof typeof NAMED_PROPERTIES]-?: NonNullable<KafkaServerProperties[K]> };

/** The props with their defaults applied, once they passed every check. */
interface KafkaClusterSettings {
  readonly version: string;
  readonly brokerCount: number;
  readonly ebsVolumeGb: number;
  readonly logRetentionDays: number;
  readonly enhancedMonitoring: (typeof ENHANCED_MONITORING_LEVELS)[number];
  readonly targetPercent: number;
  /** `storageAutoscalingMaxGb`: storage autoscaling is on when set. */
  readonly maxGb?: number;
  readonly named: NamedServerProperties;
  readonly extra: Readonly<Record<string, string | number | boolean>>;
}

/** Every check of the props, in order, before any resource exists; returns them with defaults. */
function checkKafkaClusterProps(props: KafkaClusterProps): KafkaClusterSettings {
  const version = props.kafkaVersion ?? "3.8.x";
  const brokerCount = props.brokerCount ?? 3;
  const ebsVolumeGb = props.ebsVolumeGb ?? 100;
  const logRetentionDays = props.logRetentionDays ?? 30;
  const enhancedMonitoring = props.enhancedMonitoring ?? "DEFAULT";
  const targetPercent = props.storageAutoscalingTargetPercent ?? 60;
  const sp = props.serverProperties ?? {};
  const named: NamedServerProperties = {
    autoCreateTopics: sp.autoCreateTopics ?? false,
    defaultPartitions: sp.defaultPartitions ?? 2,
    defaultReplicationFactor: sp.defaultReplicationFactor ?? 3,
    minInsyncReplicas: sp.minInsyncReplicas ?? 2,
    logRetentionHours: sp.logRetentionHours ?? 168,
    deleteTopicEnable: sp.deleteTopicEnable ?? true,
  };
  const extra = sp.extra ?? {};

  if (!/^[a-z][a-z0-9-]{1,50}$/.test(props.namePrefix)) {
    throw new Error(`KafkaCluster: namePrefix must be 2-51 lowercase letters, digits or '-', starting with a letter, got "${props.namePrefix}"`);
  }
  if (/^[0-2]\./.test(version)) {
    throw new Error(`KafkaCluster: Kafka version ${version} is end of life on Amazon MSK; use one of ${KAFKA_VERSIONS.join(", ")}`);
  }
  if (!(KAFKA_VERSIONS as readonly string[]).includes(version)) {
    throw new Error(`KafkaCluster: unsupported Kafka version "${version}"; supported: ${KAFKA_VERSIONS.join(", ")}`);
  }
  if (props.subnetIds.length < 2 || props.subnetIds.length > 3) {
    throw new Error(`KafkaCluster: MSK needs 2 or 3 client subnets (one per AZ), got ${props.subnetIds.length}`);
  }
  if (new Set(props.subnetIds).size !== props.subnetIds.length) {
    throw new Error(`KafkaCluster: subnetIds contains duplicates: ${props.subnetIds.join(", ")}`);
  }
  if (!Number.isInteger(brokerCount) || brokerCount < 1) {
    throw new Error(`KafkaCluster: brokerCount must be a positive integer, got ${brokerCount}`);
  }
  if (brokerCount % props.subnetIds.length !== 0) {
    throw new Error(
      `KafkaCluster: brokerCount (${brokerCount}) must be a multiple of the number of client subnets (${props.subnetIds.length})`,
    );
  }
  if (!/^kafka\.[a-z0-9]+\.[a-z0-9]+$/.test(props.brokerInstanceType ?? "kafka.m5.large")) {
    throw new Error(`KafkaCluster: brokerInstanceType must look like kafka.m5.large, got "${props.brokerInstanceType}"`);
  }
  if (!Number.isInteger(ebsVolumeGb) || ebsVolumeGb < 1 || ebsVolumeGb > 16384) {
    throw new Error(`KafkaCluster: ebsVolumeGb must be an integer from 1 to 16384, got ${ebsVolumeGb}`);
  }
  const maxGb = props.storageAutoscalingMaxGb;
  if (maxGb !== undefined && (!Number.isInteger(maxGb) || maxGb <= ebsVolumeGb || maxGb > 16384)) {
    throw new Error(`KafkaCluster: storageAutoscalingMaxGb must be an integer above ebsVolumeGb (${ebsVolumeGb}) and at most 16384, got ${maxGb}`);
  }
  if (!Number.isInteger(targetPercent) || targetPercent < 10 || targetPercent > 80) {
    throw new Error(`KafkaCluster: storageAutoscalingTargetPercent must be an integer from 10 to 80, got ${targetPercent}`);
  }
  if (!(LOG_RETENTION_DAYS as readonly number[]).includes(logRetentionDays)) {
    throw new Error(`KafkaCluster: logRetentionDays must be one of CloudWatch's periods (${LOG_RETENTION_DAYS.join(", ")}), got ${logRetentionDays}`);
  }
  if (!(ENHANCED_MONITORING_LEVELS as readonly string[]).includes(enhancedMonitoring)) {
    throw new Error(`KafkaCluster: enhancedMonitoring must be one of ${ENHANCED_MONITORING_LEVELS.join(", ")}, got "${enhancedMonitoring}"`);
  }
  checkServerProperties(named, extra, brokerCount);
  validateClientSecurityGroups("KafkaCluster", props.clientSecurityGroups);
  validateClientAuthentication("KafkaCluster", props.clientAuthentication ?? {});
  if (
    props.encryptionKmsKeyArn !== undefined &&
    !Token.isUnresolved(props.encryptionKmsKeyArn) &&
    !/^arn:aws[a-z-]*:kms:[a-z0-9-]+:\d{12}:key\/[a-f0-9-]+$/.test(props.encryptionKmsKeyArn)
  ) {
    throw new Error(`KafkaCluster: encryptionKmsKeyArn must be a KMS key ARN, got "${props.encryptionKmsKeyArn}"`);
  }
  checkPlatformOptions(props, version, extra);
  return { version, brokerCount, ebsVolumeGb, logRetentionDays, enhancedMonitoring, targetPercent, maxGb, named, extra };
}

/** Storage mode, open monitoring and multi-VPC connectivity against AWS's rules. */
function checkPlatformOptions(props: KafkaClusterProps, version: string, extra: Readonly<Record<string, string | number | boolean>>): void {
  const brokerType = props.brokerInstanceType ?? "kafka.m5.large";
  if (props.storageMode !== undefined && !(STORAGE_MODES as readonly string[]).includes(props.storageMode)) {
    throw new Error(`KafkaCluster: storageMode must be one of ${STORAGE_MODES.join(", ")}, got "${props.storageMode}"`);
  }
  const cleanupPolicy = extra["log.cleanup.policy"];
  const problems = [
    ...(props.storageMode === "TIERED" ? tieredStorageProblems(version, brokerType, cleanupPolicy === undefined ? undefined : String(cleanupPolicy)) : []),
    ...(props.openMonitoring ? openMonitoringProblems(props.openMonitoring).map((p) => `openMonitoring: ${p}`) : []),
    ...(props.vpcConnectivity ? vpcConnectivityProblems(props.vpcConnectivity, brokerType) : []),
  ];
  if (problems.length > 0) throw new Error(`KafkaCluster: ${problems.join("; ")}`);
}

/** Replication settings that fit the brokers, and `extra` keys that are single-line and not named ones. */
function checkServerProperties(
  named: NamedServerProperties,
  extra: Readonly<Record<string, string | number | boolean>>,
  brokerCount: number,
): void {
  if (named.defaultReplicationFactor > brokerCount) {
    throw new Error(`KafkaCluster: defaultReplicationFactor (${named.defaultReplicationFactor}) must be at most brokerCount (${brokerCount})`);
  }
  if (named.minInsyncReplicas > named.defaultReplicationFactor) {
    throw new Error(
      `KafkaCluster: minInsyncReplicas (${named.minInsyncReplicas}) must be at most defaultReplicationFactor (${named.defaultReplicationFactor})`,
    );
  }
  for (const [field, property] of Object.entries(NAMED_PROPERTIES)) {
    if (property in extra) {
      throw new Error(`KafkaCluster: serverProperties.extra sets "${property}", which has its own field ${field}`);
    }
  }
  for (const key of Object.keys(extra)) {
    if (!/^[A-Za-z0-9_.$-]+$/.test(key)) {
      throw new Error(`KafkaCluster: serverProperties.extra has an invalid property name "${key}"`);
    }
    if (/[\r\n]/.test(String(extra[key]))) {
      throw new Error(`KafkaCluster: serverProperties.extra["${key}"] must be a single line, got ${JSON.stringify(extra[key])}`);
    }
  }
}

/** The broker properties as strings, keyed by Kafka's property names: the named ones, then `extra`. */
function brokerProperties(
  named: NamedServerProperties,
  extra: Readonly<Record<string, string | number | boolean>>,
): Record<string, string> {
  const properties: Record<string, string> = {};
  for (const [field, property] of Object.entries(NAMED_PROPERTIES)) {
    properties[property] = String(named[field as keyof typeof named]);
  }
  for (const [key, value] of Object.entries(extra)) properties[key] = String(value);
  return properties;
}

/**
 * MSK cluster. Clients authenticate with IAM (`unauthenticated = false`), and also with mutual TLS
 * or SASL/SCRAM when `clientAuthentication` turns them on; client-broker traffic is TLS only and
 * in-cluster traffic is encrypted.
 *
 * Security group: ingress 9098 from each named client group (and 9094 / 9096 from the same groups
 * for mutual TLS / SCRAM), nothing else.
 * - No self-referencing rule: brokers replicate over MSK's own, service-managed network, not
 *   through the interfaces MSK puts in our subnets; those carry client traffic only. (The
 *   reference design's all-ports self rule existed because its connectors shared the MSK group;
 *   ours have their own group, which is one of the named clients.)
 * - No egress rule: brokers initiate nothing through these interfaces (security groups are
 *   stateful, so replies to clients need no egress rule). Terraform removes the default
 *   allow-all egress rule when it creates the group.
 */
export class KafkaCluster extends Construct implements PipelineKafka {
  public readonly mode = "provisioned" as const;
  public readonly cluster: MskCluster;
  public readonly configuration: MskConfiguration;
  public readonly securityGroup: SecurityGroup;
  public readonly logGroup: CloudwatchLogGroup;
  /** One rule per client, keyed like `clientSecurityGroups`. */
  public readonly ingressRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
  /** Open monitoring's rules by construct id (`open-monitoring-<jmx|node>-<peer>`); empty when off. */
  public readonly monitoringIngressRules: Readonly<Record<string, VpcSecurityGroupIngressRule>>;
  /** Rules of the mutual-TLS (9094) and SASL/SCRAM (9096) listeners, keyed like `clientSecurityGroups`, when on. */
  public readonly authenticationIngressRules: AuthenticationIngressRules;
  public readonly storageScalingTarget?: AppautoscalingTarget;
  public readonly storageScalingPolicy?: AppautoscalingPolicy;

  public readonly clusterArn: string;
  public readonly clusterName: string;
  /** Comma-separated `host:9098` list for SASL/IAM clients. */
  public readonly bootstrapBrokersSaslIam: string;
  /** Bootstrap brokers for SASL/IAM clients over multi-VPC connectivity (empty while it is off). */
  public readonly bootstrapBrokersVpcConnectivitySaslIam: string;
  /** Comma-separated `host:9094` list for mutual-TLS clients (when mutual TLS is on). */
  public readonly bootstrapBrokersTls?: string;
  /** Comma-separated `host:9096` list for SASL/SCRAM clients (when SCRAM is on). */
  public readonly bootstrapBrokersSaslScram?: string;
  public readonly securityGroupId: string;
  public readonly logGroupName: string;

  constructor(scope: Construct, id: string, props: KafkaClusterProps) {
    super(scope, id);
    const settings = checkKafkaClusterProps(props);
    const clusterName = `${props.namePrefix}-msk`;

    const group = addKafkaSecurityGroup(this, clusterName, props.vpcId, props.clientSecurityGroups);
    this.securityGroup = group.securityGroup;
    this.ingressRules = group.ingressRules;
    this.monitoringIngressRules = props.openMonitoring
      ? addOpenMonitoringIngressRules(this, this.securityGroup.id, props.openMonitoring, clusterName)
      : {};
    const auth = props.clientAuthentication ?? {};
    this.authenticationIngressRules = addAuthenticationIngressRules(this, this.securityGroup.id, props.clientSecurityGroups, auth, clusterName);
    this.logGroup = this.buildLogGroup(clusterName, settings.logRetentionDays);
    this.configuration = this.buildConfiguration(clusterName, settings.version, brokerProperties(settings.named, settings.extra));
    this.cluster = this.buildCluster(clusterName, props, settings);
    if (settings.maxGb !== undefined) {
      this.storageScalingTarget = this.buildStorageScalingTarget(settings.maxGb);
      this.storageScalingPolicy = this.buildStorageScalingPolicy(clusterName, this.storageScalingTarget, settings.targetPercent);
    }

    this.clusterArn = this.cluster.arn;
    this.clusterName = this.cluster.clusterName;
    this.bootstrapBrokersSaslIam = this.cluster.bootstrapBrokersSaslIam;
    this.bootstrapBrokersVpcConnectivitySaslIam = this.cluster.bootstrapBrokersVpcConnectivitySaslIam;
    if (auth.tlsCertificateAuthorityArns) this.bootstrapBrokersTls = this.cluster.bootstrapBrokersTls;
    if (auth.scram) this.bootstrapBrokersSaslScram = this.cluster.bootstrapBrokersSaslScram;
    this.securityGroupId = this.securityGroup.id;
    this.logGroupName = this.logGroup.name;
  }

  private buildLogGroup(clusterName: string, retentionDays: number): CloudwatchLogGroup {
    return new CloudwatchLogGroup(this, "log-group", {
      name: `/msk/${clusterName}/brokers`,
      retentionInDays: retentionDays,
    });
  }

  /**
   * The MSK configuration. The version is part of the name: kafka_versions forces a new
   * configuration, and create_before_destroy then needs a free name.
   */
  private buildConfiguration(clusterName: string, version: string, properties: Readonly<Record<string, string>>): MskConfiguration {
    return new MskConfiguration(this, "configuration", {
      name: `${clusterName}-${version.replace(/\./g, "-")}`,
      description: `Broker properties of ${clusterName}`,
      kafkaVersions: [version],
      serverProperties: renderServerProperties(properties),
      lifecycle: { createBeforeDestroy: true },
    });
  }

  /** The cluster: IAM auth only, TLS in transit, encrypted at rest, broker logs to CloudWatch (and S3). */
  private buildCluster(clusterName: string, props: KafkaClusterProps, settings: KafkaClusterSettings): MskCluster {
    const s3Logs = props.logBucket
      ? { enabled: true, bucket: props.logBucket.bucketName, prefix: props.logBucketPrefix ?? "logs/msk/broker/" }
      : undefined;
    return new MskCluster(this, "cluster", {
      clusterName,
      kafkaVersion: settings.version,
      numberOfBrokerNodes: settings.brokerCount,
      enhancedMonitoring: settings.enhancedMonitoring,
      brokerNodeGroupInfo: {
        instanceType: props.brokerInstanceType ?? "kafka.m5.large",
        clientSubnets: [...props.subnetIds],
        securityGroups: [this.securityGroup.id],
        storageInfo: { ebsStorageInfo: { volumeSize: settings.ebsVolumeGb } },
        ...(props.vpcConnectivity ? { connectivityInfo: connectivityInfo(props.vpcConnectivity) } : {}),
      },
      ...(props.storageMode !== undefined ? { storageMode: props.storageMode } : {}),
      ...(props.openMonitoring ? { openMonitoring: openMonitoringBlock(props.openMonitoring) } : {}),
      clientAuthentication: clientAuthenticationBlock(props.clientAuthentication ?? {}),
      encryptionInfo: {
        encryptionInTransit: { clientBroker: "TLS", inCluster: true },
        ...(props.encryptionKmsKeyArn !== undefined ? { encryptionAtRestKmsKeyArn: props.encryptionKmsKeyArn } : {}),
      },
      configurationInfo: {
        arn: this.configuration.arn,
        revision: this.configuration.latestRevision,
      },
      loggingInfo: {
        brokerLogs: {
          cloudwatchLogs: { enabled: true, logGroup: this.logGroup.name },
          ...(s3Logs ? { s3: s3Logs } : {}),
        },
      },
      tags: { Name: clusterName },
      dependsOn: this.clusterDependencies(props),
      // Storage autoscaling grows the volumes outside Terraform; MSK cannot shrink them back.
      lifecycle:
        settings.maxGb !== undefined
          ? { ignoreChanges: ["broker_node_group_info[0].storage_info[0].ebs_storage_info[0].volume_size"] }
          : undefined,
    });
  }

  /** The log bucket's policy and whatever the props add, or undefined (no depends_on) when none. */
  private clusterDependencies(props: KafkaClusterProps): ITerraformDependable[] | undefined {
    const deps = [...(props.logBucket?.bucketPolicy ? [props.logBucket.bucketPolicy] : []), ...(props.dependsOn ?? [])];
    return deps.length > 0 ? deps : undefined;
  }

  private buildStorageScalingTarget(maxGb: number): AppautoscalingTarget {
    return new AppautoscalingTarget(this, "storage-scaling-target", {
      serviceNamespace: "kafka",
      scalableDimension: "kafka:broker-storage:VolumeSize",
      resourceId: this.cluster.arn,
      minCapacity: 1,
      maxCapacity: maxGb,
    });
  }

  private buildStorageScalingPolicy(clusterName: string, target: AppautoscalingTarget, targetPercent: number): AppautoscalingPolicy {
    return new AppautoscalingPolicy(this, "storage-scaling-policy", {
      name: `${clusterName}-broker-storage`,
      policyType: "TargetTrackingScaling",
      serviceNamespace: target.serviceNamespace,
      scalableDimension: target.scalableDimension,
      resourceId: target.resourceId,
      targetTrackingScalingPolicyConfiguration: {
        predefinedMetricSpecification: { predefinedMetricType: "KafkaBrokerStorageUtilization" },
        targetValue: targetPercent,
        // MSK storage only grows.
        disableScaleIn: true,
      },
    });
  }
}

/** `key=value` lines sorted by key, so the same properties always render the same text. */
export function renderServerProperties(properties: Readonly<Record<string, string>>): string {
  return (
    Object.keys(properties)
      .sort()
      .map((k) => `${k}=${properties[k]}`)
      .join("\n") + "\n"
  );
}
