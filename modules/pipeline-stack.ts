import { Aspects, type ITerraformDependable, Lazy, LocalBackend, S3Backend, TerraformOutput, TerraformStack, TerraformVariable, Token } from "cdktf";
import { Construct } from "constructs";
import { DataAwsCallerIdentity } from "@cdktf/provider-aws/lib/data-aws-caller-identity";
import { DataAwsPartition } from "@cdktf/provider-aws/lib/data-aws-partition";
import type { ConnectorConfig, EnvironmentConfig, PluginConfig, ProcessorConfig, TopicConfig } from "./config/load";
import { flinkApplicationProps } from "./config/processor-props";
import type { ArchiveConfig, PipelineConfig } from "./config/load";
import { firehoseArchiveProps } from "./config/archive-props";
import { FirehoseArchive } from "./processing/firehose-archive";
import { FlinkApplication } from "./processing/flink-application";
import { ProcessorSecurityGroup } from "./processing/processor-security-group";
import { deadLetterQueueOf, isMskConnect, isSink, registryNameOf, type ConnectorSpecOf, type EnvironmentSpec, type MskConnectSpec, type TopicConfigsSpec } from "./config/schema";
import { effectiveTopic, managedTopics } from "./config/topics";
import { PipelineAwsProvider } from "./aws-provider";
import { KafkaTopic, type KafkaTopicConfigs } from "./kafka/kafka-topic";
import { IndexBootstrap } from "./search/index-bootstrap";
import { ArtifactBucket } from "./storage/artifact-bucket";
import { ConnectorPlugin } from "./connect/connector-plugin";
import { ConnectorSecurityGroup } from "./connect/connector-security-group";
import { NO_KIND_PARTS, type ConnectorKindParts } from "./connect/connector-kind";
import { KafkaCluster, type KafkaClusterProps } from "./kafka/kafka-cluster";
import { KafkaServerlessCluster } from "./kafka/kafka-serverless-cluster";
import type { PipelineKafka } from "./kafka/pipeline-kafka";
import { KafkaClusterPolicy } from "./kafka/kafka-cluster-policy";
import { KafkaClientHost } from "./kafka/kafka-client-host";
import { ClientCertificateAuthority } from "./kafka/client-certificate-authority";
import { ScramUsers } from "./kafka/scram-users";
import { MskConnector, sinkSecretName, sinkUsername } from "./connect/msk-connector";
import { glueConverterProps, mskConnectorProps, referencedSecrets, secretsInProperties } from "./config/connector-props";
import { mirrorMakerProps } from "./config/kind-props/mirror-maker";
import { connectorNamesOf } from "./config/checks/mirror-maker";
import { MirrorMaker } from "./connect/mirror-maker";
import type { StackValues } from "./config/stack-values";
import { bootstrapKafkaTopic, indexBootstrapTopic } from "./config/index-bootstrap-props";
import { connectorPluginProps } from "./config/plugin-props";
import type { PathSegment } from "./config/issues";
import { fromStack, localStatePath } from "./stack-layout";
import { SecurityGuard, type Finding } from "./guard/security-guard";
import { Network } from "./network/network";
import { OpenSearchServiceLinkedRole } from "./search/opensearch-service-linked-role";
import { MASTER_INITIAL_STAGE, SearchDomain, dashboardsUserSecretName, masterSecretName } from "./search/search-domain";
import { VpnServer } from "./network/vpn-server";
import { WorkerConfiguration } from "./connect/worker-configuration";
import { S3SinkDestination } from "./connect/s3-sink-destination";
import { s3SinkDestinationProps } from "./config/kind-props/s3-sink";
import { EventBridgeSinkBus } from "./connect/eventbridge-sink-bus";
import { eventbridgeSinkBusProps } from "./config/kind-props/eventbridge-sink";
import { glueValueConverter } from "./processing/glue-converter";
import { SchemaRegistry } from "./processing/schema-registry";
import { KinesisSourceStream } from "./connect/kinesis-source-stream";
import { kinesisSourceProps } from "./config/kind-props/kinesis-source";
import { JdbcSourceDatabase } from "./connect/jdbc-source-database";
import { jdbcSourceProps } from "./config/kind-props/jdbc-source";
import { IngestionSecurityGroup } from "./search/ingestion-security-group";
import { OpenSearchIngestionPipeline, ingestionRoleName } from "./search/opensearch-ingestion-pipeline";
import { opensearchIngestionProps } from "./config/kind-props/opensearch-ingestion";

export interface PipelineStackProps {
  /** The environment this stack deploys (validated). */
  readonly environment: EnvironmentConfig;
  /** Every topic of the pipeline. */
  readonly topics: readonly TopicConfig[];
  /** Every connector of the pipeline. */
  readonly connectors: readonly ConnectorConfig[];
  /** Plugins the connectors use, with their artifacts' hashes. */
  readonly plugins: readonly PluginConfig[];
  /**
   * Stream processors (Managed Flink applications).
   * @default []
   */
  readonly processors?: readonly ProcessorConfig[];
  /**
   * Archives: Firehose delivery streams from a topic to S3 (configs/archives/).
   * @default []
   */
  readonly archives?: readonly ArchiveConfig[];
  /** Text of scripts/vpn-bootstrap.sh, rendered into the VPN server's user data. */
  readonly vpnBootstrapScript: string;
  /**
   * Text of scripts/kafka-client-bootstrap.sh, rendered into the Kafka client host's user data.
   * Required when the environment enables `client_host`.
   * @default - none (an enabled client host is then an error)
   */
  readonly clientHostBootstrapScript?: string;
}

/** YAML's topic configs (Kafka names) as KafkaTopic props. */
function topicConfigs(c: TopicConfigsSpec | undefined): KafkaTopicConfigs | undefined {
  if (!c) return undefined;
  const policy = c["cleanup.policy"];
  return {
    retentionMs: c["retention.ms"],
    retentionBytes: c["retention.bytes"],
    cleanupPolicy: policy === "both" ? "compact,delete" : policy,
    minInsyncReplicas: c["min.insync.replicas"],
    maxMessageBytes: c["max.message.bytes"],
    compressionType: c["compression.type"],
    remoteStorageEnable: c["remote.storage.enable"],
    localRetentionMs: c["local.retention.ms"],
    localRetentionBytes: c["local.retention.bytes"],
  };
}

/** YAML's storage mode, open monitoring and multi-VPC connectivity as KafkaCluster props (each only when set). */
function kafkaPlatformOptions(k: EnvironmentSpec["kafka"]): Pick<KafkaClusterProps, "storageMode" | "openMonitoring" | "vpcConnectivity"> {
  const m = k.open_monitoring;
  return {
    ...(k.storage_mode !== undefined ? { storageMode: k.storage_mode } : {}),
    ...(m
      ? {
          openMonitoring: {
            jmxExporter: m.jmx_exporter,
            nodeExporter: m.node_exporter,
            allowedSecurityGroupIds: m.allowed_security_group_ids,
            allowedCidrs: m.allowed_cidrs,
          },
        }
      : {}),
    ...(k.vpc_connectivity ? { vpcConnectivity: { iam: k.vpc_connectivity.iam } } : {}),
  };
}

/** The worker configurations in use: plain, and with the Secrets Manager config provider (sinks). */
interface WorkerConfigurations {
  readonly workers?: WorkerConfiguration;
  readonly sinkWorkers?: WorkerConfiguration;
}

/** PipelineStack's props for one environment of a loaded configuration: what main.ts and the tests build. */
export function pipelineStackProps(
  config: PipelineConfig,
  environment: EnvironmentConfig,
  scripts: Pick<PipelineStackProps, "vpnBootstrapScript" | "clientHostBootstrapScript">,
): PipelineStackProps {
  return {
    environment,
    topics: config.topics,
    connectors: config.connectors,
    plugins: config.plugins,
    processors: config.processors,
    archives: config.archives,
    ...scripts,
  };
}

/** Whether a connector reads a secret through the Secrets Manager config provider (its worker configuration must declare it). */
function readsSecrets(c: ConnectorConfig): boolean {
  return isMskConnect(c.spec) && (c.spec.kind === "opensearch-sink" || referencedSecrets(c.spec).length > 0);
}

/** A connector file with its spec narrowed to the MSK Connect kinds. */
type MskConnectConfig = ConnectorConfig & { readonly spec: MskConnectSpec };
/** A connector file of kind opensearch-ingestion. */
type IngestionConfig = ConnectorConfig & { readonly spec: ConnectorSpecOf<"opensearch-ingestion"> };

const isMskConnectConfig = (c: ConnectorConfig): c is MskConnectConfig => isMskConnect(c.spec);
const isIngestionConfig = (c: ConnectorConfig): c is IngestionConfig => c.spec.kind === "opensearch-ingestion";

/** The OpenSearch (FGAC) role an ingestion pipeline's IAM role is mapped to: write on its indexes only. */
export function ingestionBackendRole(namePrefix: string, connector: string): string {
  return `${namePrefix}-${connector}-ingestion`;
}

/** Terraform output holding an ingestion pipeline's role ARN (read by the bootstrap to map the role). */
export function ingestionRoleArnOutput(connector: string): string {
  return `ingestion_role_arn_${connector.replace(/-/g, "_")}`;
}

/** The output with the SASL/IAM bootstrap brokers (also what the bootstrap reads on MSK Serverless). */
export const BOOTSTRAP_BROKERS_OUTPUT = "msk_bootstrap_brokers_sasl_iam";

/** Minimum CloudWatch retention the guard accepts without a waiver. */
const MINIMUM_LOG_RETENTION_DAYS = 7;

/** The environment setting behind a rule's finding, by rule id and construct path prefix. */
const SETTING_BEHIND: readonly { rule: RegExp; resource: RegExp; path: PathSegment[] }[] = [
  { rule: /^LOG-/, resource: /\.kafka\//, path: ["kafka", "log_retention_days"] },
  { rule: /^LOG-/, resource: /\.search\//, path: ["opensearch", "log_retention_days"] },
  { rule: /^LOG-/, resource: /\.network\//, path: ["network", "flow_logs_retention_days"] },
  { rule: /^LOG-/, resource: /\.connectors\//, path: ["connect", "log_retention_days"] },
  { rule: /^OS-5$/, resource: /\.search\//, path: ["opensearch", "anonymous_access"] },
  { rule: /^MSK-6$/, resource: /\.kafka-cluster-policy\//, path: ["kafka", "cluster_policy"] },
  { rule: /^OS-/, resource: /\.search\//, path: ["opensearch"] },
  { rule: /^SG-1$/, resource: /\.vpn\//, path: ["vpn", "allowed_cidrs"] },
  { rule: /^(EC2|SG|IAM)-/, resource: /\.client-host\//, path: ["client_host"] },
  { rule: /^(MSK-7|KMS-1)$/, resource: /\.kafka-scram\//, path: ["kafka", "client_authentication", "scram"] },
  { rule: /^S3-/, resource: /\.artifacts\//, path: ["artifact_bucket"] },
];

/** What the security guard says about a stack, before anything is written. */
export interface SecurityReport {
  /** Every applicable rule × resource, compliant or not. */
  readonly findings: readonly Finding[];
  /** Violations no waiver accepts, and waivers that accept nothing. */
  readonly errors: readonly string[];
  /** Violations accepted by a waiver, with its reason. */
  readonly warnings: readonly string[];
}

/**
 * One environment of the pipeline: provider, state backend, the `to_create_connector` switch and
 * the constructs that make up the pipeline. The stack's name is the environment's name.
 */
export class PipelineStack extends TerraformStack {
  /** Terraform variable that gates every MSK Connect connector (phase 2 of the deploy). */
  public readonly toCreateConnector: TerraformVariable;
  public readonly callerIdentity: DataAwsCallerIdentity;
  public readonly partition: DataAwsPartition;
  public readonly network: Network;
  /** The VPN server, when the environment enables it. */
  public readonly vpn?: VpnServer;
  public readonly artifacts: ArtifactBucket;
  /** The Kafka cluster: KafkaCluster (provisioned) or KafkaServerlessCluster, by `kafka.mode`. */
  public readonly kafka: PipelineKafka;
  /** The Kafka client host, when the environment enables it. */
  public readonly clientHost?: KafkaClientHost;
  /** The cluster policy, when the environment names principals (kafka.cluster_policy). */
  public readonly kafkaClusterPolicy?: KafkaClusterPolicy;
  /** The private CA of mutual TLS, when the environment creates one. */
  public readonly clientCertificateAuthority?: ClientCertificateAuthority;
  /** SASL/SCRAM users, their secrets and key, when the environment turns SCRAM on. */
  public readonly scramUsers?: ScramUsers;
  /**
   * Kafka topics by name: every topic file and every connector's dead-letter topic. Empty on MSK
   * Serverless, where the bootstrap creates them (the plan's kafka_topics).
   */
  public readonly topics: ReadonlyMap<string, KafkaTopic>;
  public readonly search: SearchDomain;
  /** MSK Connect connectors by name (each counted by `to_create_connector`). */
  public readonly connectors: ReadonlyMap<string, MskConnector>;
  /** OpenSearch Ingestion pipelines by connector name (kind opensearch-ingestion; each counted by `to_create_connector`). */
  public readonly ingestionPipelines: ReadonlyMap<string, OpenSearchIngestionPipeline>;
  /** Managed Flink applications by processor name (started with `to_create_connector`). */
  public readonly processors: ReadonlyMap<string, FlinkApplication>;
  /** Firehose delivery streams to S3 by archive name (created with `to_create_connector`). */
  public readonly archives: ReadonlyMap<string, FirehoseArchive>;
  /** Index mappings and sink users the bootstrap command applies; main.ts writes its documents. */
  public readonly indexBootstrap: IndexBootstrap;
  /** The Glue Schema Registry and its schemas, when the environment enables it. */
  public readonly schemaRegistry?: SchemaRegistry;

  private readonly environment: EnvironmentConfig;
  private readonly guard: SecurityGuard;

  constructor(scope: Construct, props: PipelineStackProps) {
    super(scope, props.environment.name);
    this.environment = props.environment;
    const env = props.environment.spec;

    this.buildProvider(env);
    this.buildBackend(props.environment);
    this.toCreateConnector = this.buildConnectorSwitch();
    this.callerIdentity = new DataAwsCallerIdentity(this, "caller");
    this.partition = new DataAwsPartition(this, "partition");
    this.network = this.buildNetwork(env);
    if (env.vpn.enabled) {
      this.vpn = this.buildVpn(env, props.vpnBootstrapScript);
      this.buildVpnOutputs(this.vpn);
    }
    const connectorSecurityGroup = this.buildConnectorSecurityGroup(env);
    const processorSecurityGroup = (props.processors ?? []).length > 0 ? this.buildProcessorSecurityGroup(env) : undefined;
    const clients = this.clientSecurityGroups(connectorSecurityGroup);
    this.artifacts = this.buildArtifactBucket(env);
    this.clientCertificateAuthority = this.buildClientCertificateAuthority(env);
    this.kafka = this.buildKafka(env, this.kafkaClientSecurityGroups(env, clients, processorSecurityGroup));
    if (env.kafka.cluster_policy) this.kafkaClusterPolicy = this.buildKafkaClusterPolicy(env.kafka.cluster_policy.principals);
    this.scramUsers = this.buildScramUsers(env);
    if (env.client_host.enabled) {
      this.clientHost = this.buildClientHost(env, props.clientHostBootstrapScript);
      this.buildClientHostOutputs(env, this.clientHost);
    }
    const ingestionSecurityGroups = this.buildIngestionSecurityGroups(props);
    this.search = this.buildSearch(env, { ...clients, ...Object.fromEntries([...ingestionSecurityGroups].map(([n, g]) => [`ingestion-${n}`, g.securityGroupId])) });
    this.topics = this.buildTopics(props);
    this.indexBootstrap = this.buildIndexBootstrap(props);
    if (env.schema_registry.enabled) this.schemaRegistry = this.buildSchemaRegistry(props);
    const scopes = this.buildMskConnectScopes();
    const plugins = this.buildPlugins(props, scopes.plugins);
    const workerConfigurations = this.buildWorkerConfigurations(props);
    this.connectors = this.buildConnectors(props, scopes.connectors, plugins, workerConfigurations, connectorSecurityGroup);
    this.ingestionPipelines = this.buildIngestionPipelines(props, scopes.connectors, ingestionSecurityGroups);
    this.processors = this.buildProcessors(props, processorSecurityGroup);
    this.archives = this.buildArchives(props);
    this.buildOutputs();
    this.guard = this.buildSecurityGuard();
    Aspects.of(this).add(this.guard);
  }

  /** hashicorp/aws ">= 6.38, < 7": aws_msk_topic (KafkaTopic) is newer than the prebuilt binding. */
  private buildProvider(env: EnvironmentSpec): PipelineAwsProvider {
    return new PipelineAwsProvider(this, "aws", {
      region: env.region,
      defaultTags: [{ tags: { ...env.tags } }],
    });
  }

  /** The environment's S3 backend, or local state at an explicit relative path. */
  private buildBackend(environment: EnvironmentConfig): void {
    const env = environment.spec;
    const s3 = env.backend?.s3;
    if (s3) {
      const backend = new S3Backend(this, {
        bucket: s3.bucket,
        key: s3.key,
        region: s3.region ?? env.region,
        encrypt: s3.encrypt,
        dynamodbTable: s3.dynamodb_table,
        kmsKeyId: s3.kms_key_id,
      });
      // cdktf 0.21's S3BackendConfig predates Terraform 1.10's S3-native locking.
      if (s3.use_lockfile) backend.addOverride("use_lockfile", true);
    } else {
      // Explicit and relative: cdktf's default local backend writes the absolute working directory.
      new LocalBackend(this, { path: localStatePath(environment.name) });
    }
  }

  private buildConnectorSwitch(): TerraformVariable {
    return new TerraformVariable(this, "to_create_connector", {
      type: "bool",
      default: false,
      nullable: false,
      description:
        "Create the MSK Connect connectors, OpenSearch Ingestion pipelines and Firehose archives, and start the Flink processors. Deploy with false first, bootstrap the OpenSearch indexes " +
        "(npm run bootstrap -- --env <env>), then deploy with true.",
    });
  }

  private buildNetwork(env: EnvironmentSpec): Network {
    return new Network(this, "network", {
      namePrefix: env.name_prefix,
      cidr: env.network.cidr,
      azCount: env.network.az_count,
      availabilityZones: env.network.availability_zones,
      natMode: env.network.nat,
      flowLogsRetentionDays: env.network.flow_logs_retention_days,
    });
  }

  private buildVpn(env: EnvironmentSpec, bootstrapScript: string): VpnServer {
    return new VpnServer(this, "vpn", {
      namePrefix: env.name_prefix,
      vpcId: this.network.vpcId,
      vpcCidr: this.network.vpcCidr,
      subnetId: this.network.publicSubnetIds[0],
      instanceType: env.vpn.instance_type,
      allowedCidrs: env.vpn.allowed_cidrs,
      allowOpenIngress: env.vpn.allow_open_ingress,
      protocols: { l2tpIpsec: env.vpn.l2tp_ipsec, softether: env.vpn.softether, openvpn: env.vpn.openvpn },
      hub: env.vpn.hub,
      username: env.vpn.username,
      clientNetwork: env.vpn.client_network,
      bootstrapScript,
      region: env.region,
      dependsOn: this.network.publicInternetAccess,
      secretRecoveryWindowDays: env.secrets.recovery_window_days,
    });
  }

  private buildVpnOutputs(vpn: VpnServer): void {
    new TerraformOutput(this, "vpn_public_ip", {
      value: vpn.publicIp,
      description: "Elastic IP the VPN clients connect to.",
    });
    new TerraformOutput(this, "vpn_secret_arn", {
      value: vpn.secretArn,
      description: "Secrets Manager secret with the VPN credentials (written by the server at first boot).",
    });
  }

  /**
   * The connectors' security group: egress only, to the brokers (9098) and the domain (443).
   * The broker and domain groups are created after it; Lazy breaks the reference cycle.
   */
  /** The stream processors' group: egress to the brokers (9098) only; the brokers accept it like the connectors'. */
  private buildProcessorSecurityGroup(env: EnvironmentSpec): ProcessorSecurityGroup {
    return new ProcessorSecurityGroup(this, "processor-security-group", {
      namePrefix: env.name_prefix,
      vpcId: this.network.vpcId,
      kafkaSecurityGroupId: Lazy.stringValue({ produce: () => this.kafka.securityGroupId }),
    });
  }

  private buildConnectorSecurityGroup(env: EnvironmentSpec): ConnectorSecurityGroup {
    return new ConnectorSecurityGroup(this, "connector-security-group", {
      namePrefix: env.name_prefix,
      vpcId: this.network.vpcId,
      kafkaSecurityGroupId: Lazy.stringValue({ produce: () => this.kafka.securityGroupId }),
      opensearchSecurityGroupId: Lazy.stringValue({ produce: () => this.search.securityGroupId }),
    });
  }

  /** Who may reach the brokers (9098) and the domain (443): the connectors and the VPN, by group. */
  private clientSecurityGroups(connectorSecurityGroup: ConnectorSecurityGroup): Record<string, string> {
    const clients: Record<string, string> = { connectors: connectorSecurityGroup.securityGroupId };
    if (this.vpn) clients.vpn = this.vpn.securityGroupId;
    return clients;
  }

  /**
   * The brokers' clients: the connectors and the VPN, and the client host when enabled (created
   * after the cluster, whose ARN and brokers it needs; Lazy breaks the cycle). The client host
   * reaches the brokers only, never the domain.
   */
  /** Who reaches the brokers: the domain's clients, plus the client host and the processors (which never reach the domain). */
  private kafkaClientSecurityGroups(env: EnvironmentSpec, clients: Record<string, string>, processors: ProcessorSecurityGroup | undefined): Record<string, string> {
    return {
      ...clients,
      ...(env.client_host.enabled ? { "client-host": Lazy.stringValue({ produce: () => this.clientHost!.securityGroupId }) } : {}),
      ...(processors ? { processors: processors.securityGroupId } : {}),
    };
  }

  /** The opt-in Kafka client host in the first private subnet: SSM only, the YAML's topics and groups. */
  private buildClientHost(env: EnvironmentSpec, bootstrapScript: string | undefined): KafkaClientHost {
    if (bootstrapScript === undefined) {
      throw new Error("PipelineStack: client_host.enabled needs clientHostBootstrapScript (the text of scripts/kafka-client-bootstrap.sh, see scripts/project-assets.ts)");
    }
    const c = env.client_host;
    return new KafkaClientHost(this, "client-host", {
      namePrefix: env.name_prefix,
      vpcId: this.network.vpcId,
      subnetId: this.network.privateSubnetIds[0],
      instanceType: c.instance_type,
      kafkaSecurityGroupId: this.kafka.securityGroupId,
      cluster: { arn: this.kafka.clusterArn, bootstrapBrokersSaslIam: this.kafka.bootstrapBrokersSaslIam },
      topics: c.topics,
      consumerGroups: c.consumer_groups,
      bootstrapScript,
      region: env.region,
      kafkaCli: c.kafka_cli,
      mskIamAuth: c.msk_iam_auth,
      dependsOn: this.network.privateInternetAccess,
    });
  }

  private buildClientHostOutputs(env: EnvironmentSpec, host: KafkaClientHost): void {
    new TerraformOutput(this, "client_host_instance_id", {
      value: host.instanceId,
      description: "EC2 instance id of the Kafka client host.",
    });
    new TerraformOutput(this, "client_host_ssm_command", {
      value: `aws ssm start-session --region ${env.region} --target ${host.instanceId}`,
      description: "Opens a shell on the Kafka client host (needs the Session Manager plugin of the AWS CLI); then `bash -l`, which loads /etc/profile.d/kafka-client.sh.",
    });
  }

  private buildArtifactBucket(env: EnvironmentSpec): ArtifactBucket {
    return new ArtifactBucket(this, "artifacts", {
      namePrefix: env.name_prefix,
      accountId: this.callerIdentity.accountId,
      region: env.region,
      partition: this.partition.partition,
      forceDestroy: env.artifact_bucket.force_destroy,
    });
  }

  /** A root CA in AWS Private CA for mutual TLS, when `kafka.client_authentication.tls` asks to create one. */
  private buildClientCertificateAuthority(env: EnvironmentSpec): ClientCertificateAuthority | undefined {
    const create = env.kafka.client_authentication.tls?.certificate_authority.create;
    if (!create) return undefined;
    return new ClientCertificateAuthority(this, "kafka-client-ca", {
      namePrefix: env.name_prefix,
      partition: this.partition.partition,
      subject: {
        commonName: create.common_name,
        organization: create.organization,
        organizationalUnit: create.organizational_unit,
        country: create.country,
      },
      validityYears: create.validity_years,
      permanentDeletionTimeInDays: create.permanent_deletion_days,
    });
  }

  /** The CA ARNs mutual TLS names (created or given), or undefined when it is off. */
  private tlsCertificateAuthorityArns(env: EnvironmentSpec): string[] | undefined {
    const ca = env.kafka.client_authentication.tls?.certificate_authority;
    if (!ca) return undefined;
    return [this.clientCertificateAuthority?.arn ?? ca.arn!];
  }

  /** SASL/SCRAM users (secrets, key, passwords, association), when `kafka.client_authentication.scram` is set. */
  private buildScramUsers(env: EnvironmentSpec): ScramUsers | undefined {
    const scram = env.kafka.client_authentication.scram;
    if (!scram) return undefined;
    return new ScramUsers(this, "kafka-scram", {
      namePrefix: env.name_prefix,
      clusterArn: this.kafka.clusterArn,
      users: scram.users,
      region: env.region,
      accountId: this.callerIdentity.accountId,
      partition: this.partition.partition,
      kmsKeyArn: scram.kms_key_arn,
      secretRecoveryWindowDays: env.secrets.recovery_window_days,
    });
  }

  private buildKafka(env: EnvironmentSpec, clients: Record<string, string>): PipelineKafka {
    const k = env.kafka;
    if (k.mode === "serverless") {
      // The loader refuses every provisioned-only kafka.* field in a serverless file.
      return new KafkaServerlessCluster(this, "kafka", {
        namePrefix: env.name_prefix,
        vpcId: this.network.vpcId,
        subnetIds: this.network.privateSubnetIds,
        clientSecurityGroups: clients,
      });
    }
    const sp = k.server_properties;
    return new KafkaCluster(this, "kafka", {
      namePrefix: env.name_prefix,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      clientSecurityGroups: clients,
      kafkaVersion: k.version,
      brokerInstanceType: k.broker_instance_type,
      brokerCount: k.broker_count,
      ebsVolumeGb: k.ebs_volume_gb,
      storageAutoscalingMaxGb: k.storage_autoscaling_max_gb,
      encryptionKmsKeyArn: k.encryption_kms_key_arn,
      enhancedMonitoring: k.enhanced_monitoring,
      logRetentionDays: k.log_retention_days,
      logBucket: this.artifacts,
      ...kafkaPlatformOptions(k),
      clientAuthentication: { tlsCertificateAuthorityArns: this.tlsCertificateAuthorityArns(env), scram: k.client_authentication.scram !== undefined },
      // A created CA is usable once its certificate is installed (ACTIVE).
      dependsOn: this.clientCertificateAuthority ? [this.clientCertificateAuthority.installation] : undefined,
      serverProperties: {
        // Topics are declared in YAML and created by Terraform; auto-creation stays an explicit option.
        autoCreateTopics: sp.auto_create_topics ?? false,
        defaultPartitions: sp.default_partitions,
        defaultReplicationFactor: sp.default_replication_factor,
        minInsyncReplicas: sp.min_insync_replicas,
        logRetentionHours: sp.log_retention_hours,
        deleteTopicEnable: sp.delete_topic_enable,
        extra: sp.extra,
      },
    });
  }

  /** aws_msk_cluster_policy: VPC connections and broker lookup for the principals the YAML names. */
  private buildKafkaClusterPolicy(principals: readonly string[]): KafkaClusterPolicy {
    return new KafkaClusterPolicy(this, "kafka-cluster-policy", {
      clusterArn: this.kafka.clusterArn,
      principals,
      partition: this.partition.partition,
    });
  }

  /** The OpenSearch domain, after the service-linked role a VPC domain needs. */
  private buildSearch(env: EnvironmentSpec, clients: Record<string, string>): SearchDomain {
    const os = env.opensearch;
    const serviceLinkedRole = new OpenSearchServiceLinkedRole(this, "opensearch-service-linked-role", { mode: os.service_linked_role });
    return new SearchDomain(this, "search", {
      namePrefix: env.name_prefix,
      vpcId: this.network.vpcId,
      subnetIds: this.network.privateSubnetIds,
      clientSecurityGroups: clients,
      engineVersion: os.engine_version,
      instanceType: os.instance_type,
      instanceCount: os.instance_count,
      zoneCount: os.zone_count,
      dedicatedMasterType: os.dedicated_master_type,
      ebsVolumeGb: os.ebs_volume_gb,
      dashboardsUsers: Object.keys(os.dashboards_users),
      logRetentionDays: os.log_retention_days,
      auditLogs: os.audit_logs,
      anonymousAccess: os.anonymous_access,
      secretRecoveryWindowDays: env.secrets.recovery_window_days,
      dependsOn: serviceLinkedRole.dependables,
    });
  }

  /** Kafka topics: one aws_msk_topic per topic file and per dead-letter topic (none on MSK Serverless). */
  private buildTopics(props: PipelineStackProps): Map<string, KafkaTopic> {
    const env = props.environment.spec;
    const k = env.kafka;
    // MSK's topic APIs are provisioned-only: on Serverless the bootstrap creates the topics.
    if (this.kafka.mode === "serverless") return new Map();
    const topicScope = new Construct(this, "topics");
    const kafkaTopics = new Map<string, KafkaTopic>();
    for (const t of managedTopics(props.topics, props.connectors)) {
      const effective = effectiveTopic(t.settings, env);
      kafkaTopics.set(
        t.name,
        new KafkaTopic(topicScope, t.name, {
          name: t.name,
          clusterArn: this.kafka.clusterArn,
          partitionCount: effective.partitions,
          replicationFactor: effective.replicationFactor,
          configs: topicConfigs(t.settings.configs),
          brokerCount: k.broker_count,
          kafkaVersion: k.version,
          clusterStorageMode: k.storage_mode ?? "LOCAL",
          preventDestroy: !k.allow_topic_replacement,
        }),
      );
    }
    return kafkaTopics;
  }

  private buildIndexBootstrap(props: PipelineStackProps): IndexBootstrap {
    const env = props.environment.spec;
    const os = env.opensearch;
    const topicByName = new Map(props.topics.map((t) => [t.name, t.spec]));
    const opensearchSinks = props.connectors.filter((c) => c.spec.kind === "opensearch-sink");
    return new IndexBootstrap(this, "index-bootstrap", {
      environmentName: props.environment.name,
      region: env.region,
      runOnDeploy: {
        create: this.toCreateConnector.booleanValue,
        endpoint: this.search.endpoint,
        ...(this.kafka.mode === "serverless" ? { kafkaBrokers: this.kafka.bootstrapBrokersSaslIam } : {}),
        // Never against a half-open domain: its access policy and the VPN's way in (the domain's
        // ingress rule from the VPN group; the VPN group's own egress is inline in that group).
        // On MSK Serverless it creates the Kafka topics too, through the cluster's rule from the VPN.
        dependsOn: [
          this.search.domainPolicy,
          ...(this.search.ingressRules.vpn ? [this.search.ingressRules.vpn] : []),
          ...(this.kafka.mode === "serverless" && this.kafka.ingressRules.vpn ? [this.kafka.ingressRules.vpn] : []),
        ],
        // Changing these makes Terraform re-send advanced_security_options, with the initial
        // master password: the bootstrap runs again and repairs the reset.
        rerunWhen: { anonymous_access: String(os.anonymous_access) },
      },
      master: {
        domainName: this.search.name,
        username: this.search.masterUsername,
        secretName: masterSecretName(env.name_prefix),
        initialStage: MASTER_INITIAL_STAGE,
      },
      access: { adminRoleArns: os.access.admin_roles, readerRoleArns: os.access.reader_roles },
      readerRole: `${env.name_prefix}-read-only`,
      auditLogs: os.audit_logs,
      dashboardsUsers: Object.entries(os.dashboards_users).map(([username, u]) => ({
        username,
        role: u.role,
        secretName: dashboardsUserSecretName(env.name_prefix, username),
      })),
      dashboardsSavedObjects: props.environment.dashboardsSavedObjects,
      topics: props.topics.map(indexBootstrapTopic),
      ...(this.kafka.mode === "serverless"
        ? {
            kafkaTopics: {
              bootstrapBrokersOutput: BOOTSTRAP_BROKERS_OUTPUT,
              topics: managedTopics(props.topics, props.connectors).map((t) => bootstrapKafkaTopic(t, env)),
            },
          }
        : {}),
      iamSinks: props.connectors.filter(isIngestionConfig).map((c) => ({
        connector: c.name,
        role: ingestionBackendRole(env.name_prefix, c.name),
        roleArnOutput: ingestionRoleArnOutput(c.name),
        // The pipeline role's ARN is known before the role exists: the runner passes it on its command line.
        roleArn: `arn:${this.partition.partition}:iam::${this.callerIdentity.accountId}:role/${ingestionRoleName(env.name_prefix, c.name)}`,
        indexes: c.spec.topics.map((t) => topicByName.get(t)!.index.name),
      })),
      sinks: opensearchSinks.map((c) => ({
        connector: c.name,
        username: sinkUsername(env.name_prefix, c.name),
        role: sinkUsername(env.name_prefix, c.name),
        secretName: sinkSecretName(env.name_prefix, c.name),
        indexes: c.spec.topics.map((t) => topicByName.get(t)!.index.name),
      })),
    });
  }

  // ---- MSK Connect: plugins, worker configurations, connectors -------------------------------

  /** The groups of plugins and connectors, created together (construct tree order: plugins, connectors, worker configurations). */
  private buildMskConnectScopes(): { plugins: Construct; connectors: Construct } {
    return { plugins: new Construct(this, "plugins"), connectors: new Construct(this, "connectors") };
  }

  private buildPlugins(props: PipelineStackProps, pluginScope: Construct): Map<string, ConnectorPlugin> {
    const env = props.environment.spec;
    return new Map(
      props.plugins.map((p) => [
        p.name,
        new ConnectorPlugin(pluginScope, p.name, {
          namePrefix: env.name_prefix,
          ...connectorPluginProps(p, fromStack(p.artifact.displayPath)),
          bucketName: this.artifacts.bucketName,
          bucketArn: this.artifacts.bucketArn,
          dependsOn: [this.artifacts.versioning],
        }),
      ]),
    );
  }

  /**
   * Two worker configurations: declaring the Secrets Manager config provider makes a worker fail
   * unless its plugin bundles the provider, which only the sink's plugin does. Each only when a
   * connector uses it.
   */
  private buildWorkerConfigurations(props: PipelineStackProps): WorkerConfigurations {
    const env = props.environment.spec;
    const workerProps = {
      namePrefix: env.name_prefix,
      region: env.region,
      offsetFlushIntervalMs: env.connect.offset_flush_interval_ms,
      workerProperties: env.connect.worker_properties,
    };
    const mskConnectors = props.connectors.filter(isMskConnectConfig);
    const usesSecrets = mskConnectors.some((c) => readsSecrets(c));
    // A mirror-maker's heartbeat connector reads no SCRAM secret: plain workers unless its config references one.
    const usesPlain = mskConnectors.some((c) => !readsSecrets(c) || (c.spec.kind === "mirror-maker" && secretsInProperties([c.spec.config]).length === 0));
    const workers = usesPlain ? new WorkerConfiguration(this, "worker-config", workerProps) : undefined;
    const sinkWorkers = usesSecrets
      ? new WorkerConfiguration(this, "worker-config-secrets", { ...workerProps, nameSuffix: "workers-secrets", secretsManagerProvider: true })
      : undefined;
    return { workers, sinkWorkers };
  }

  /** MSK Connect connectors, sources first so each sink can depend on them; then sinks (after the index bootstrap). */
  private buildConnectors(
    props: PipelineStackProps,
    connectorScope: Construct,
    plugins: ReadonlyMap<string, ConnectorPlugin>,
    { workers, sinkWorkers }: WorkerConfigurations,
    connectorSecurityGroup: ConnectorSecurityGroup,
  ): Map<string, MskConnector> {
    const env = props.environment.spec;
    const sp = env.kafka.server_properties;
    const kafkaTopics = this.topics;
    const stackValues = this.stackValues(env);
    const kindScope = this.connectorKindScope();
    const connectors = new Map<string, MskConnector>();
    // MirrorMaker's connectors are not waited for: they copy from another cluster, not feed the sinks' first run.
    const mirrorConnectors = new Set<string>();
    const sourceConnectors = () => [...connectors.entries()].filter(([n, x]) => x.direction === "source" && !mirrorConnectors.has(n)).map(([, x]) => x.resource);
    // Sources first, so each sink can depend on them; then sinks (after the index bootstrap).
    const ordered = [...props.connectors].sort((a, b) => Number(isSink(a.spec)) - Number(isSink(b.spec)) || (a.name < b.name ? -1 : 1));
    for (const c of ordered) {
      // Managed services (opensearch-ingestion) are built by buildIngestionPipelines.
      if (!isMskConnectConfig(c)) continue;
      const sink = isSink(c.spec);
      const specProps = mskConnectorProps(
        c.spec,
        props.topics.map((t) => t.spec),
        { kafkaConnectVersion: env.connect.kafka_connect_version, logRetentionDays: env.connect.log_retention_days, replicationFactor: sp.default_replication_factor },
        stackValues,
      );
      const common = {
        namePrefix: env.name_prefix,
        ...specProps,
        plugin: plugins.get(c.spec.plugin)!,
        create: this.toCreateConnector.booleanValue,
        cluster: { arn: this.kafka.clusterArn, bootstrapBrokersSaslIam: this.kafka.bootstrapBrokersSaslIam },
        subnetIds: this.network.privateSubnetIds,
        securityGroupIds: [connectorSecurityGroup.securityGroupId],
        accountId: this.callerIdentity.accountId,
        partition: this.partition.partition,
        region: env.region,
        logBucketName: this.artifacts.bucketName,
        opensearchEndpoint: this.search.endpoint,
        secretRecoveryWindowDays: env.secrets.recovery_window_days,
      };
      // Its topics (and dead-letter topic) exist before it starts; sinks also wait for the sources.
      // On MSK Serverless no topic is a Terraform resource: the bootstrap creates them, and it runs
      // (counted by to_create_connector, like the connectors) before any connector, sources too.
      const dlqTopic = deadLetterQueueOf(c.spec)?.topic;
      const topicDependencies: ITerraformDependable[] =
        this.kafka.mode === "serverless"
          ? this.indexBootstrap.runner ? [this.indexBootstrap.runner] : []
          : [...c.spec.topics, ...(dlqTopic ? [dlqTopic] : [])].map((t) => kafkaTopics.get(t)!);
      if (c.spec.kind === "mirror-maker") {
        // One file, three connectors (<name>-source/-checkpoint/-heartbeat), each with its own role.
        const mirror = new MirrorMaker(
          kindScope,
          c.name,
          mirrorMakerProps(c.spec, {
            connectorSecurityGroupId: connectorSecurityGroup.securityGroupId,
            targetClusterArn: this.kafka.clusterArn,
            targetBootstrapServers: this.kafka.bootstrapBrokersSaslIam,
            region: env.region,
          }),
        );
        for (const part of mirror.connectors) {
          mirrorConnectors.add(part.name);
          // The file's config goes to all three, its transforms to the source connector only.
          const own = secretsInProperties([c.spec.config, ...(part.role === "source" ? c.spec.transforms.map((t) => t.config) : [])]);
          const names = [...new Set([...own, ...(part.referencedSecretNames ?? [])])].sort();
          connectors.set(
            part.name,
            new MskConnector(connectorScope, part.name, {
              ...common,
              name: part.name,
              connectorClass: part.connectorClass,
              direction: "source",
              topics: part.topics,
              tasksMax: part.tasksMax,
              // The file's capacity runs the source connector; checkpoints and heartbeats need one small worker.
              capacity: part.role === "source" ? specProps.capacity : undefined,
              transforms: part.role === "source" ? specProps.transforms : [],
              kindProperties: part.properties,
              additionalStatements: part.statements,
              referencedSecretNames: names,
              workerConfiguration: names.length > 0 ? sinkWorkers! : workers!,
              dependsOn: [...topicDependencies, mirror.egressRule],
            }),
          );
        }
        continue;
      }
      const parts = this.buildConnectorKind(kindScope, c, connectorSecurityGroup);
      const converter = this.buildValueConverter(c, env);
      connectors.set(
        c.name,
        new MskConnector(connectorScope, c.name, {
          ...common,
          kindProperties: { ...parts.properties, ...converter.properties },
          additionalStatements: [...(specProps.additionalStatements ?? []), ...parts.statements, ...converter.statements],
          referencedSecretNames: [...(specProps.referencedSecretNames ?? []), ...(parts.referencedSecretNames ?? [])],
          workerConfiguration: readsSecrets(c) ? sinkWorkers! : workers!,
          // Each once: on Serverless a sink's topics are the bootstrap run too.
          dependsOn: [
            ...new Set([
              ...topicDependencies,
              ...(sink ? [...sourceConnectors(), ...(this.indexBootstrap.runner ? [this.indexBootstrap.runner] : [])] : []),
              ...(parts.dependables ?? []),
            ]),
          ],
        }),
      );
    }
    return connectors;
  }

  /**
   * Each opensearch-ingestion connector's security group, under connector-kinds/<connector>-network,
   * created before the domain so the domain can accept 443 from it (client `ingestion-<connector>`).
   */
  private buildIngestionSecurityGroups(props: PipelineStackProps): Map<string, IngestionSecurityGroup> {
    const groups = new Map<string, IngestionSecurityGroup>();
    const files = props.connectors.filter(isIngestionConfig);
    if (files.length === 0) return groups;
    const scope = this.connectorKindScope();
    for (const c of files) {
      groups.set(
        c.name,
        new IngestionSecurityGroup(scope, `${c.name}-network`, {
          namePrefix: this.environment.spec.name_prefix,
          pipeline: c.name,
          vpcId: this.network.vpcId,
          opensearchSecurityGroupId: Lazy.stringValue({ produce: () => this.search.securityGroupId }),
        }),
      );
    }
    return groups;
  }

  /** connector-kinds: what connectors' kinds create around them (one scope, made once). */
  private connectorKindScope(): Construct {
    return (this.node.tryFindChild("connector-kinds") as Construct | undefined) ?? new Construct(this, "connector-kinds");
  }

  /**
   * OpenSearch Ingestion pipelines (kind opensearch-ingestion), under connectors/<name> beside the
   * MSK Connect connectors: sinks, so each starts after its topics, the source connectors, the
   * index bootstrap and the cluster policy that lets OpenSearch Ingestion connect.
   */
  private buildIngestionPipelines(
    props: PipelineStackProps,
    connectorScope: Construct,
    securityGroups: ReadonlyMap<string, IngestionSecurityGroup>,
  ): Map<string, OpenSearchIngestionPipeline> {
    const env = props.environment.spec;
    const pipelines = new Map<string, OpenSearchIngestionPipeline>();
    const mirrored = new Set(props.connectors.filter((c) => c.spec.kind === "mirror-maker").flatMap((c) => connectorNamesOf(c.spec)));
    const sources = [...this.connectors.entries()].filter(([n, x]) => x.direction === "source" && !mirrored.has(n)).map(([, x]) => x.resource);
    for (const c of props.connectors.filter(isIngestionConfig)) {
      const group = securityGroups.get(c.name)!;
      pipelines.set(
        c.name,
        new OpenSearchIngestionPipeline(connectorScope, c.name, {
          ...opensearchIngestionProps(
            c.spec,
            props.topics.map((t) => t.spec),
            { artifactBucket: { name: this.artifacts.bucketName, arn: this.artifacts.bucketArn }, partition: this.partition.partition, logRetentionDays: env.connect.log_retention_days },
          ),
          namePrefix: env.name_prefix,
          clusterArn: this.kafka.clusterArn,
          domain: { arn: this.search.domainArn, endpoint: this.search.endpoint },
          subnetIds: this.network.privateSubnetIds,
          securityGroupId: group.securityGroupId,
          create: this.toCreateConnector.booleanValue,
          accountId: this.callerIdentity.accountId,
          partition: this.partition.partition,
          region: env.region,
          dependsOn: [
            ...c.spec.topics.map((t) => this.topics.get(t)!),
            ...sources,
            ...(this.indexBootstrap.runner ? [this.indexBootstrap.runner] : []),
            ...(this.kafkaClusterPolicy ? [this.kafkaClusterPolicy.resource] : []),
            group.egressRule,
            ...(this.search.ingressRules[`ingestion-${c.name}`] ? [this.search.ingressRules[`ingestion-${c.name}`]!] : []),
          ],
        }),
      );
    }
    return pipelines;
  }

  /**
   * What a connector's kind creates around it (a bucket, a stream, a rule), under
   * connector-kinds/<connector>, and the properties and statements it gives the connector. One
   * case per kind with a construct in modules/connect/.
   */
  private buildConnectorKind(scope: Construct, c: MskConnectConfig, connectorSecurityGroup: ConnectorSecurityGroup): ConnectorKindParts {
    const env = this.environment.spec;
    switch (c.spec.kind) {
      // The S3 gateway endpoint of the network carries the sink's S3 traffic (port 443, allowed by
      // the connector security group's AWS API rule); nothing to add.
      case "s3-sink":
        return new S3SinkDestination(
          scope,
          c.name,
          s3SinkDestinationProps(c.spec, { namePrefix: env.name_prefix, region: env.region, partition: this.partition.partition, accountId: this.callerIdentity.accountId }),
        );
      // PutEvents goes to events.<region>.amazonaws.com through the NAT gateway (HTTPS, the
      // connector security group's AWS API rule); nothing to add.
      case "eventbridge-sink":
        return new EventBridgeSinkBus(scope, c.name, eventbridgeSinkBusProps(c.spec, { namePrefix: env.name_prefix, region: env.region }));
      case "msk-datagen":
      case "opensearch-sink":
      case "custom":
        return NO_KIND_PARTS;
      case "kinesis-source": {
        const { interfaceEndpoint, ...kinesis } = kinesisSourceProps(c.spec);
        return new KinesisSourceStream(scope, c.name, {
          ...kinesis,
          namePrefix: env.name_prefix,
          region: env.region,
          accountId: this.callerIdentity.accountId,
          partition: this.partition.partition,
          connectorSecurityGroupId: connectorSecurityGroup.securityGroupId,
          interfaceEndpoint: interfaceEndpoint ? { vpcId: this.network.vpcId, subnetIds: this.network.privateSubnetIds } : undefined,
        });
      }
      case "jdbc-source":
        return new JdbcSourceDatabase(scope, c.name, { ...jdbcSourceProps(c.spec), connectorSecurityGroupId: connectorSecurityGroup.securityGroupId });
      case "mirror-maker":
        throw new Error(`connector ${c.name}: a mirror-maker file is expanded into its three connectors by buildConnectors`);
    }
  }

  /** Each processor file's Managed Flink application, under processors/<name>. */
  private buildProcessors(props: PipelineStackProps, securityGroup: ProcessorSecurityGroup | undefined): Map<string, FlinkApplication> {
    const env = props.environment.spec;
    const processors = new Map<string, FlinkApplication>();
    if (!securityGroup) return processors;
    const scope = new Construct(this, "processors");
    const plugins = new Map(props.plugins.map((p) => [p.name, p]));
    const stackValues = this.stackValues(env);
    for (const p of props.processors ?? []) {
      const jar = plugins.get(p.spec.application)!;
      processors.set(
        p.name,
        new FlinkApplication(scope, p.name, {
          ...flinkApplicationProps(p.spec, { namePrefix: env.name_prefix, logRetentionDays: env.connect.log_retention_days }, stackValues),
          namePrefix: env.name_prefix,
          code: { name: jar.name, path: fromStack(jar.artifact.displayPath), sha256: jar.artifact.sha256 },
          bucketName: this.artifacts.bucketName,
          bucketArn: this.artifacts.bucketArn,
          clusterArn: this.kafka.clusterArn,
          subnetIds: this.network.privateSubnetIds,
          securityGroupIds: [securityGroup.securityGroupId],
          start: this.toCreateConnector.booleanValue,
          accountId: this.callerIdentity.accountId,
          partition: this.partition.partition,
          region: env.region,
        }),
      );
    }
    return processors;
  }

  /**
   * Each archive file's Firehose delivery stream, under archives/<name>, created with
   * `to_create_connector` after its topic and the cluster policy (which lets Firehose create its VPC
   * connection; the loader requires it and multi-VPC connectivity once there is an archive).
   */
  private buildArchives(props: PipelineStackProps): Map<string, FirehoseArchive> {
    const env = props.environment.spec;
    const archives = new Map<string, FirehoseArchive>();
    if ((props.archives ?? []).length === 0) return archives;
    const scope = new Construct(this, "archives");
    for (const a of props.archives ?? []) {
      const topic = this.topics.get(a.spec.topic);
      const archive = new FirehoseArchive(scope, a.name, {
        ...firehoseArchiveProps(a.spec, { accountId: this.callerIdentity.accountId, logRetentionDays: env.connect.log_retention_days }),
        namePrefix: env.name_prefix,
        clusterArn: this.kafka.clusterArn,
        create: this.toCreateConnector.booleanValue,
        dependsOn: [...(topic ? [topic] : []), ...(this.kafkaClusterPolicy ? [this.kafkaClusterPolicy.resource] : [])],
        accountId: this.callerIdentity.accountId,
        partition: this.partition.partition,
        region: env.region,
      });
      archives.set(a.name, archive);
      new TerraformOutput(this, `archive_stream_arn_${a.name.replace(/-/g, "_")}`, {
        value: archive.arn,
        description: `ARN of archive ${a.name}'s Firehose stream to s3://${Token.isUnresolved(archive.bucketName) ? "<created bucket>" : archive.bucketName} (null until deployed with to_create_connector=true).`,
      });
    }
    return archives;
  }

  /** The environment's Glue Schema Registry with a schema per topic file that has a `schema` section. */
  private buildSchemaRegistry(props: PipelineStackProps): SchemaRegistry {
    const env = props.environment.spec;
    return new SchemaRegistry(this, "schema-registry", {
      name: registryNameOf(env.name_prefix, env.schema_registry),
      description: env.schema_registry.description,
      schemas: props.topics.flatMap((t) => {
        const s = t.spec.schema;
        if (!s) return [];
        if (t.schemaDefinition === undefined) throw new Error(`topic ${t.name}: schema without a definition (the loader reads schema.file)`);
        return [{ name: t.name, format: s.format, compatibility: s.compatibility, definition: t.schemaDefinition }];
      }),
    });
  }

  /** A Glue value converter's properties and statements (none for the built-in JSON converter). */
  private buildValueConverter(c: MskConnectConfig, env: EnvironmentSpec): ConnectorKindParts {
    const registry = this.schemaRegistry;
    const converterProps = glueConverterProps(
      c.spec,
      registry && { name: registry.registryName, arn: registry.arn, schemaArn: (topic) => registry.schema(topic).arn },
      env.region,
    );
    return converterProps ? glueValueConverter(converterProps) : NO_KIND_PARTS;
  }

  /** What `${stack:<name>}` in a connector file stands for (modules/config/stack-values.ts). */
  private stackValues(env: EnvironmentSpec): StackValues {
    return {
      name_prefix: env.name_prefix,
      region: env.region,
      account_id: this.callerIdentity.accountId,
      partition: this.partition.partition,
      artifact_bucket: this.artifacts.bucketName,
      artifact_bucket_arn: this.artifacts.bucketArn,
      cluster_arn: this.kafka.clusterArn,
      bootstrap_brokers: this.kafka.bootstrapBrokersSaslIam,
      opensearch_endpoint: this.search.endpoint,
    };
  }

  /** Connector ARNs, then the endpoints and names a user or the bootstrap needs. */
  private buildOutputs(): void {
    for (const [name, connector] of this.connectors) {
      new TerraformOutput(this, `connector_arn_${name.replace(/-/g, "_")}`, {
        value: connector.arn,
        description: `ARN of connector ${name} (null until deployed with to_create_connector=true).`,
      });
    }
    for (const [name, pipeline] of this.ingestionPipelines) {
      new TerraformOutput(this, `connector_arn_${name.replace(/-/g, "_")}`, {
        value: pipeline.arn,
        description: `ARN of OpenSearch Ingestion pipeline ${pipeline.pipelineName} (connector ${name}; null until deployed with to_create_connector=true).`,
      });
      // Created in both phases: the bootstrap maps it as a backend role before the pipeline writes.
      new TerraformOutput(this, ingestionRoleArnOutput(name), {
        value: pipeline.role.arn,
        description: `IAM role of OpenSearch Ingestion pipeline ${pipeline.pipelineName}, mapped by the index bootstrap to its write-only OpenSearch role.`,
      });
    }

    const outputs: [string, string, string][] = [
      [BOOTSTRAP_BROKERS_OUTPUT, this.kafka.bootstrapBrokersSaslIam, "MSK bootstrap brokers for SASL/IAM clients (port 9098)."],
      ["msk_cluster_arn", this.kafka.clusterArn, "ARN of the MSK cluster."],
      ["opensearch_endpoint", this.search.endpoint, "OpenSearch domain endpoint (HTTPS, inside the VPC)."],
      ["opensearch_dashboard_url", this.search.dashboardUrl, "OpenSearch Dashboards URL (through the VPN)."],
      ["artifact_bucket_name", this.artifacts.bucketName, "S3 bucket for connector plugins and logs."],
      ["account_id", this.callerIdentity.accountId, "AWS account the stack is deployed to."],
    ];
    if (this.environment.spec.kafka.vpc_connectivity?.iam && this.kafka.bootstrapBrokersVpcConnectivitySaslIam !== undefined) {
      outputs.push([
        "msk_bootstrap_brokers_vpc_connectivity_sasl_iam",
        this.kafka.bootstrapBrokersVpcConnectivitySaslIam,
        "MSK bootstrap brokers for SASL/IAM clients in other VPCs (multi-VPC connectivity; create a VPC connection first).",
      ]);
    }
    for (const [name, value, description] of outputs) new TerraformOutput(this, name, { value, description });
    this.buildClientAuthenticationOutputs();
  }

  /** Brokers, CA and secrets of mutual TLS and SCRAM, only when they are on. */
  private buildClientAuthenticationOutputs(): void {
    if (this.kafka.bootstrapBrokersTls !== undefined) {
      new TerraformOutput(this, "msk_bootstrap_brokers_tls", {
        value: this.kafka.bootstrapBrokersTls,
        description: "MSK bootstrap brokers for mutual-TLS clients (port 9094).",
      });
      new TerraformOutput(this, "msk_client_certificate_authority_arn", {
        value: this.tlsCertificateAuthorityArns(this.environment.spec)![0],
        description: "AWS Private CA that issues the Kafka client certificates (aws acm-pca issue-certificate --certificate-authority-arn ...).",
      });
    }
    if (this.kafka.bootstrapBrokersSaslScram !== undefined && this.scramUsers) {
      new TerraformOutput(this, "msk_bootstrap_brokers_sasl_scram", {
        value: this.kafka.bootstrapBrokersSaslScram,
        description: "MSK bootstrap brokers for SASL/SCRAM clients (port 9096).",
      });
      new TerraformOutput(this, "msk_scram_secret_names", {
        value: this.scramUsers.secretNames,
        description: "Secrets Manager secret of each SCRAM user ({\"username\",\"password\"}, password generated at deploy).",
      });
    }
  }

  /** Synth fails on any insecure resource unless the environment file waives it with a reason. */
  private buildSecurityGuard(): SecurityGuard {
    return new SecurityGuard({
      waivers: this.environment.spec.security.waivers,
      waiverSource: this.environment.origin.file,
      minimumLogRetentionDays: MINIMUM_LOG_RETENTION_DAYS,
      sourceOf: (resource, rule) => this.settingBehind(resource, rule.id),
    });
  }

  /** `configs/environments/<env>.yaml:L:C` of the setting behind a finding, when one is known. */
  private settingBehind(resource: string, rule: string): string | undefined {
    const hit = SETTING_BEHIND.find((s) => s.rule.test(rule) && s.resource.test(resource));
    return hit ? this.environment.origin.at(hit.path) : undefined;
  }

  /**
   * Runs the security guard's rules on the stack as it stands: the same findings the aspect turns
   * into annotations at synth, available before anything is written.
   */
  public securityReport(): SecurityReport {
    const { findings, unused } = this.guard.evaluate(this);
    const where = (resource: string, rule: string) => {
      const at = this.settingBehind(resource, rule);
      return at ? ` (${at})` : "";
    };
    const errors = findings
      .filter((f) => f.status === "non_compliant" && !f.waived)
      .map((f) => `${f.rule} ${f.resource}: ${f.message}${where(f.resource, f.rule)}`);
    for (const { waiver, why } of unused) {
      errors.push(`unused waiver ${waiver.rule} ${waiver.resource} in ${this.environment.origin.file}: ${why}`);
    }
    const warnings = findings
      .filter((f) => f.status === "non_compliant" && f.waived)
      .map((f) => `waived ${f.rule} ${f.resource}: ${f.reason} (${f.message})`);
    return { findings, errors, warnings };
  }
}
