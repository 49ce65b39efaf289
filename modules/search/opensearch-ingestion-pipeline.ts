/**
 * OpenSearchIngestionPipeline: an Amazon OpenSearch Ingestion pipeline (`aws_osis_pipeline`,
 * managed Data Prepper) that reads Kafka topics from the MSK cluster and writes each topic to its
 * index on the domain, with its own IAM role (no password anywhere), log group, dead-letter prefix
 * in S3 and VPC placement. The pipeline is counted by `create` (the second deploy phase); its
 * role, policy and log group exist in both phases, so the bootstrap can map the role before the
 * pipeline starts writing.
 *
 * Pipeline body keys are Data Prepper's (opensearch-project/data-prepper, checked at 4e7f003):
 * - source `kafka`: `acknowledgments`, `topics[].name/group_id/serde_format/auto_offset_reset`,
 *   `aws.region/sts_role_arn/msk.arn` (kafka-plugins .../source/KafkaSourceConfig.java,
 *   SourceTopicConfig.java, configuration/AwsConfig.java; serde `json` from util/MessageFormat.java).
 *   The source puts the record's topic in the event metadata `kafka_topic`
 *   (consumer/KafkaCustomConsumer.java, `eventMetadata.setAttribute("kafka_topic", topicName)`).
 * - `route` (alias of `routes`, data-prepper-api .../PipelineModel.java): one route per topic,
 *   `getMetadata("kafka_topic") == "<topic>"`, so each topic reaches only its own index's sink.
 * - sink `opensearch`: `hosts`, `index`, `aws.region/sts_role_arn`, `dlq.s3.bucket/key_path_prefix/
 *   region/sts_role_arn`, `routes` (opensearch .../OpenSearchSinkConfig.java,
 *   AwsAuthenticationConfiguration.java; failures-common .../dlq/README.md; SinkModel.java).
 * The sample body of AWS's guide (configure-client-msk.html, "Step 2: Create the pipeline") has the
 * same shape and sets no `broker_connection_type`: OpenSearch Ingestion makes the multi-VPC
 * connection itself, so none is set here either.
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/configure-client-msk.html
 * @see https://docs.aws.amazon.com/opensearch-service/latest/developerguide/pipeline-domain-access.html
 */
import { Fn, type IResolvable, type ITerraformDependable, TerraformStack, Token, ref } from "cdktf";
import { Construct } from "constructs";
import { stringify } from "yaml";
import { CloudwatchLogGroup } from "@cdktf/provider-aws/lib/cloudwatch-log-group";
import { IamRole } from "@cdktf/provider-aws/lib/iam-role";
import { IamRolePolicy } from "@cdktf/provider-aws/lib/iam-role-policy";
import { OsisPipeline } from "@cdktf/provider-aws/lib/osis-pipeline";
import { LOG_RETENTION_DAYS } from "../validators/aws-values";
import { policyDocument, serviceTrustStatement, type PolicyStatement } from "../iam-policy";

/** The OpenSearch Ingestion service principal that assumes pipeline roles (pipeline-domain-access.html). */
export const OSIS_PIPELINES_PRINCIPAL = "osis-pipelines.amazonaws.com";
/** Principals AWS's guide puts in the MSK cluster policy for a same-account pipeline (configure-client-msk.html, prerequisites). */
export const OSIS_CLUSTER_POLICY_PRINCIPALS = ["osis.amazonaws.com", OSIS_PIPELINES_PRINCIPAL] as const;
/** OCUs per pipeline (configure-client-msk.html: "96, which is the maximum OCUs per pipeline"). */
export const OSIS_MAX_UNITS = 96;
/** Pipeline names: 3-28 characters (provider: pipeline_name LengthBetween(3, 28)), lowercase letters, digits, '-'. */
const PIPELINE_NAME = /^[a-z][a-z0-9-]{2,27}$/;

/** The pipeline role's name: `<namePrefix>-<connector>-osis` (known before the role exists). */
export function ingestionRoleName(namePrefix: string, name: string): string {
  return `${namePrefix}-${name}-osis`;
}

/** One topic the pipeline reads and the index it writes it to. */
export interface IngestionTopic {
  readonly topic: string;
  readonly index: string;
}

/** Where documents that OpenSearch refuses go (Data Prepper's `dlq.s3`). */
export interface IngestionDeadLetterQueue {
  readonly bucketName: string;
  /** ARN of the bucket (the role may write under `prefix` only). */
  readonly bucketArn: string;
  /** Key prefix ending in '/', e.g. `dlq/<connector>/`. */
  readonly prefix: string;
}

/** The OpenSearch domain the pipeline writes to. */
export interface IngestionDomain {
  /** Domain ARN (`arn:<partition>:es:<region>:<account>:domain/<name>`). */
  readonly arn: string;
  /** VPC endpoint host name (no scheme). */
  readonly endpoint: string;
}

export interface OpenSearchIngestionPipelineProps {
  /** Prefix of every name: the pipeline is `<namePrefix>-<name>`, its role `<namePrefix>-<name>-osis`. */
  readonly namePrefix: string;
  /** Connector name (configs/connectors/<name>.yaml): lowercase letters, digits and '-'. */
  readonly name: string;
  /** Topics and their indexes: 1 to `maxTopics`, each topic once. */
  readonly topics: readonly IngestionTopic[];
  /**
   * Most topics one pipeline may read.
   * @default 4
   */
  readonly maxTopics?: number;
  /** Kafka consumer group of every topic. */
  readonly consumerGroup: string;
  /**
   * Where a new consumer group starts.
   * @default "earliest"
   */
  readonly autoOffsetReset?: "earliest" | "latest";
  /**
   * Fewest OpenSearch Compute Units.
   * @default 1
   */
  readonly minUnits?: number;
  /**
   * Most OpenSearch Compute Units (≥ minUnits, ≤ 96).
   * @default 2
   */
  readonly maxUnits?: number;
  /**
   * Persistent buffering (buffer_options).
   * @default false
   */
  readonly persistentBuffer?: boolean;
  /**
   * Customer KMS key for data at rest (encryption_at_rest_options).
   * @default - an AWS-owned key (no encryption_at_rest_options block)
   */
  readonly kmsKeyArn?: string;
  /** ARN of the MSK cluster (multi-VPC connectivity with IAM and a cluster policy for OpenSearch Ingestion). */
  readonly clusterArn: string;
  readonly domain: IngestionDomain;
  readonly deadLetterQueue: IngestionDeadLetterQueue;
  /** Private subnets of the pipeline's VPC endpoint. */
  readonly subnetIds: readonly string[];
  /** The pipeline's own security group (IngestionSecurityGroup). */
  readonly securityGroupId: string;
  /** Create the pipeline (count 1) or not (count 0): the stack's `to_create_connector`. */
  readonly create: boolean | IResolvable;
  /** AWS account id (token): trust conditions. */
  readonly accountId: string;
  readonly partition: string;
  readonly region: string;
  /**
   * Retention of the pipeline's log group.
   * @default 30
   */
  readonly logRetentionDays?: number;
  /**
   * What must exist before the pipeline starts (its topics, the index bootstrap, the cluster policy).
   * @default []
   */
  readonly dependsOn?: readonly ITerraformDependable[];
}

/** `arn:…:cluster/<name>/<uuid>` -> `arn:…:<kind>/<name>/<uuid>/<leaf>` (MSK's topic and group ARNs). */
function clusterChildArn(clusterArn: string, kind: "topic" | "group", leaf: string): string {
  return `${Fn.replace(clusterArn, ":cluster/", `:${kind}/`)}/${leaf}`;
}

export class OpenSearchIngestionPipeline extends Construct {
  /** `<namePrefix>-<name>`. */
  public readonly pipelineName: string;
  public readonly role: IamRole;
  public readonly rolePolicy: IamRolePolicy;
  public readonly logGroup: CloudwatchLogGroup;
  public readonly resource: OsisPipeline;
  /** The pipeline body as synthesized (YAML; ARNs and the endpoint are Terraform references). */
  public readonly configurationBody: string;
  /** ARN of the pipeline; null until created (count = 1). */
  public readonly arn: string;
  /** Always "sink": the pipeline reads its topics. */
  public readonly direction = "sink" as const;

  constructor(scope: Construct, id: string, props: OpenSearchIngestionPipelineProps) {
    super(scope, id);
    OpenSearchIngestionPipeline.validate(props);
    this.pipelineName = `${props.namePrefix}-${props.name}`;
    this.role = this.buildRole(props);
    this.rolePolicy = this.buildRolePolicy(props);
    this.logGroup = new CloudwatchLogGroup(this, "log-group", {
      // OpenSearch Ingestion publishes to log groups under /aws/vendedlogs/ (its console's default).
      name: `/aws/vendedlogs/OpenSearchIngestion/${this.pipelineName}/audit-logs`,
      retentionInDays: props.logRetentionDays ?? 30,
    });
    this.configurationBody = this.body(props);
    this.resource = this.buildPipeline(props);
    this.arn = Token.asString(Fn.one(ref(`${this.resource.terraformResourceType}.${this.resource.friendlyUniqueId}[*].pipeline_arn`, TerraformStack.of(this))));
  }

  /** Assumable only by this account's OpenSearch Ingestion, for this pipeline (pipeline-domain-access.html, confused deputy). */
  private buildRole(props: OpenSearchIngestionPipelineProps): IamRole {
    const trust = serviceTrustStatement(
      OSIS_PIPELINES_PRINCIPAL,
      props.accountId,
      `arn:${props.partition}:osis:${props.region}:${props.accountId}:pipeline/${this.pipelineName}`,
    );
    return new IamRole(this, "role", {
      name: ingestionRoleName(props.namePrefix, props.name),
      description: `Pipeline role of OpenSearch Ingestion pipeline ${this.pipelineName}`,
      assumeRolePolicy: policyDocument([trust]),
    });
  }

  /** The statements of the pipeline role (exported for tests and the README). */
  public static statements(props: Pick<OpenSearchIngestionPipelineProps, "clusterArn" | "topics" | "consumerGroup" | "domain" | "deadLetterQueue">): PolicyStatement[] {
    return [
      // configure-client-msk.html, "Step 1: Configure a pipeline role": Connect and DescribeCluster
      // (AWS's sample also lists AlterCluster, which a consumer never needs) and the control-plane
      // calls that find the brokers.
      { Sid: "Cluster", Effect: "Allow", Action: ["kafka-cluster:Connect", "kafka-cluster:DescribeCluster"], Resource: [props.clusterArn] },
      { Sid: "ClusterBrokers", Effect: "Allow", Action: ["kafka:DescribeClusterV2", "kafka:GetBootstrapBrokers"], Resource: [props.clusterArn] },
      // AWS's sample grants kafka-cluster:*Topic*; a consumer needs DescribeTopic and ReadData only.
      {
        Sid: "ReadOwnTopics",
        Effect: "Allow",
        Action: ["kafka-cluster:DescribeTopic", "kafka-cluster:ReadData"],
        Resource: props.topics.map((t) => clusterChildArn(props.clusterArn, "topic", t.topic)),
      },
      // Its own group only (AWS's sample: group/<cluster>/*).
      { Sid: "OwnGroup", Effect: "Allow", Action: ["kafka-cluster:AlterGroup", "kafka-cluster:DescribeGroup"], Resource: [clusterChildArn(props.clusterArn, "group", props.consumerGroup)] },
      // pipeline-domain-access.html, Step 1 (its sample names domain/*; this names the one domain).
      { Sid: "DescribeDomain", Effect: "Allow", Action: ["es:DescribeDomain"], Resource: [props.domain.arn] },
      { Sid: "WriteDomain", Effect: "Allow", Action: ["es:ESHttp*"], Resource: [props.domain.arn, `${props.domain.arn}/*`] },
      // failures-common dlq/README.md: "must have S3:PutObject permissions on the configured S3 Bucket".
      { Sid: "DeadLetterQueue", Effect: "Allow", Action: ["s3:PutObject"], Resource: [`${props.deadLetterQueue.bucketArn}/${props.deadLetterQueue.prefix}*`] },
    ];
  }

  private buildRolePolicy(props: OpenSearchIngestionPipelineProps): IamRolePolicy {
    return new IamRolePolicy(this, "policy", { name: "pipeline", role: this.role.id, policy: policyDocument(OpenSearchIngestionPipeline.statements(props)) });
  }

  /** The Data Prepper pipeline definition (pipeline_configuration_body), as YAML. */
  private body(props: OpenSearchIngestionPipelineProps): string {
    const aws = { region: props.region, sts_role_arn: this.role.arn };
    const routeOf = (t: IngestionTopic) => `topic-${t.topic}`;
    const definition = {
      version: "2",
      [props.name]: {
        source: {
          kafka: {
            acknowledgments: true,
            topics: props.topics.map((t) => ({
              name: t.topic,
              group_id: props.consumerGroup,
              serde_format: "json",
              auto_offset_reset: props.autoOffsetReset ?? "earliest",
            })),
            aws: { ...aws, msk: { arn: props.clusterArn } },
          },
        },
        route: props.topics.map((t) => ({ [routeOf(t)]: `getMetadata("kafka_topic") == "${t.topic}"` })),
        sink: props.topics.map((t) => ({
          opensearch: {
            hosts: [`https://${props.domain.endpoint}`],
            index: t.index,
            aws,
            dlq: { s3: { bucket: props.deadLetterQueue.bucketName, key_path_prefix: props.deadLetterQueue.prefix, ...aws } },
            routes: [routeOf(t)],
          },
        })),
      },
    };
    // lineWidth 0: never fold a line (a folded token would not resolve).
    return stringify(definition, { lineWidth: 0 });
  }

  private buildPipeline(props: OpenSearchIngestionPipelineProps): OsisPipeline {
    return new OsisPipeline(this, "resource", {
      count: Fn.conditional(props.create, 1, 0) as unknown as number,
      pipelineName: this.pipelineName,
      minUnits: props.minUnits ?? 1,
      maxUnits: props.maxUnits ?? 2,
      pipelineConfigurationBody: this.configurationBody,
      bufferOptions: [{ persistentBufferEnabled: props.persistentBuffer ?? false }],
      ...(props.kmsKeyArn ? { encryptionAtRestOptions: [{ kmsKeyArn: props.kmsKeyArn }] } : {}),
      logPublishingOptions: [{ isLoggingEnabled: true, cloudwatchLogDestination: [{ logGroup: this.logGroup.name }] }],
      vpcOptions: [{ subnetIds: [...props.subnetIds], securityGroupIds: [props.securityGroupId] }],
      // The role's policy before the pipeline assumes it; then whatever the stack names.
      dependsOn: [this.rolePolicy, ...(props.dependsOn ?? [])],
    });
  }

  private static validate(props: OpenSearchIngestionPipelineProps): void {
    const where = `OpenSearchIngestionPipeline ${props.name}`;
    if (!/^[a-z][a-z0-9-]{0,62}$/.test(props.name)) throw new Error(`${where}: name must be lowercase letters, digits and '-', got "${props.name}"`);
    const pipelineName = `${props.namePrefix}-${props.name}`;
    if (!Token.isUnresolved(props.namePrefix) && !PIPELINE_NAME.test(pipelineName)) {
      throw new Error(`${where}: pipeline name "${pipelineName}" must be 3-28 lowercase letters, digits and '-', starting with a letter (${pipelineName.length} characters)`);
    }
    const max = props.maxTopics ?? 4;
    if (props.topics.length < 1 || props.topics.length > max) throw new Error(`${where}: topics must name 1 to ${max} topics, got ${props.topics.length}`);
    const dup = props.topics.find((t, i) => props.topics.findIndex((u) => u.topic === t.topic) !== i);
    if (dup) throw new Error(`${where}: topic ${dup.topic} is listed twice`);
    if (!/^[A-Za-z0-9._-]{1,200}$/.test(props.consumerGroup)) throw new Error(`${where}: consumerGroup must be 1-200 letters, digits, '.', '_' or '-', got "${props.consumerGroup}"`);
    const min = props.minUnits ?? 1;
    const maxUnits = props.maxUnits ?? 2;
    for (const [k, v] of [["minUnits", min], ["maxUnits", maxUnits]] as const) {
      if (!Number.isInteger(v) || v < 1 || v > OSIS_MAX_UNITS) throw new Error(`${where}: ${k} must be an integer from 1 to ${OSIS_MAX_UNITS}, got ${v}`);
    }
    if (min > maxUnits) throw new Error(`${where}: minUnits (${min}) must not exceed maxUnits (${maxUnits})`);
    const retention = props.logRetentionDays ?? 30;
    if (!(LOG_RETENTION_DAYS as readonly number[]).includes(retention)) throw new Error(`${where}: log retention must be one of ${LOG_RETENTION_DAYS.join(", ")} days, got ${retention}`);
    if (!/^([A-Za-z0-9_.-]+\/)+$/.test(props.deadLetterQueue.prefix)) throw new Error(`${where}: deadLetterQueue.prefix must be a key prefix ending in '/', got "${props.deadLetterQueue.prefix}"`);
    if (props.subnetIds.length < 1 || props.subnetIds.length > 12) throw new Error(`${where}: subnetIds must name 1 to 12 subnets, got ${props.subnetIds.length}`);
  }
}
